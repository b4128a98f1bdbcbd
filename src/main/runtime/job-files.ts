/**
 * The files a page of jobs reads and writes, for the file-centric jobs table: each job's input
 * video (params.videoId, else the first of params.videoIds) and the videos it wrote (sourceJobId),
 * found with two batched reads per page, never one per row.
 */
import type { Job, JobFile } from '../../shared/contracts/job';
import type { VideoRecord, VideoStore } from '../core/library-ports';

/** The video a job's params name first, if any. */
export function inputVideoId(params: Readonly<Record<string, unknown>>): string | null {
  if (typeof params.videoId === 'string') return params.videoId;
  if (Array.isArray(params.videoIds) && typeof params.videoIds[0] === 'string') return params.videoIds[0];
  return null;
}

const fileOf = (v: VideoRecord): JobFile => ({ videoId: v.id, title: v.title, path: v.path, durationSeconds: v.durationSeconds });

export async function withFiles<J extends Job>(videos: VideoStore, jobs: readonly J[]): Promise<J[]> {
  if (jobs.length === 0) return [];
  const inputIds = [...new Set(jobs.map((j) => inputVideoId(j.params)).filter((id): id is string => id !== null))];
  const [inputs, outputs] = await Promise.all([videos.videosByIds(inputIds), videos.videosFromJobs(jobs.map((j) => j.id))]);
  const byId = new Map(inputs.map((v) => [v.id, fileOf(v)]));
  const byJob = new Map<string, JobFile[]>();
  for (const v of outputs) {
    if (v.sourceJobId === null) continue;
    const list = byJob.get(v.sourceJobId) ?? [];
    list.push(fileOf(v));
    byJob.set(v.sourceJobId, list);
  }
  return jobs.map((job) => {
    const id = inputVideoId(job.params);
    return { ...job, input: id === null ? null : (byId.get(id) ?? null), outputs: byJob.get(job.id) ?? [] };
  });
}
