/** Resolving a job's input video: the record, then its file inside the library, with clear non-retryable errors. */
import { stat } from 'node:fs/promises';
import type { VideoRecord, VideoStore } from '../../core/library-ports';
import type { LibraryPaths } from '../../library/library-paths';
import { JobError } from '../processor';

export async function requireVideo(videos: VideoStore, id: string): Promise<VideoRecord> {
  const video = await videos.getVideo(id);
  if (!video) throw new JobError(`Input video ${id} is not in the library any more.`, false);
  return video;
}

/** The absolute path of the video's file; fails for good when the file is gone. */
export async function requireVideoFile(library: LibraryPaths, video: VideoRecord): Promise<string> {
  const path = library.resolve(video.path);
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
  } catch {
    throw new JobError(`Input file is missing: ${video.path}`, false);
  }
  return path;
}
