/**
 * What a job works on, in words, for the file column: its input video (title and path) when it
 * has one, else what its parameters say (a scan's folder, how many videos a random compilation
 * picks), else its type's description.
 */
import type { Job } from '../../../shared/contracts/job';
import { jobTypeLabel } from './job-type-labels';

export interface JobSubject {
  readonly title: string;
  /** A library-relative path (monospace), or null. */
  readonly path: string | null;
}

export function jobSubject(job: Pick<Job, 'type' | 'params' | 'input'>): JobSubject {
  if (job.input) return { title: job.input.title || job.input.path, path: job.input.path };
  const p = job.params;
  if (typeof p.directoryType === 'string') return { title: `Folder ${p.directoryType}/`, path: null };
  if (job.type === 'compile_random') return { title: `${typeof p.count === 'number' ? p.count : 10} random videos`, path: null };
  const ids = Array.isArray(p.videoIds) ? p.videoIds.length : 0;
  if (ids > 0) return { title: `${ids} videos`, path: null };
  if (typeof p.videoId === 'string') return { title: 'A video no longer in the library', path: null };
  return { title: jobTypeLabel(job.type), path: null };
}

/** The file name of a library-relative path (for links that search the library by it). */
export function fileNameOf(path: string): string {
  return path.split('/').at(-1) ?? path;
}
