/**
 * The record of a video a job produced (re-encode, compilation, clip, digest): its library row
 * with the metadata verified before publishing, written in the publish's fenced statement
 * (VideoStore.publishVideo), so an attempt that lost its job records nothing.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { VideoDirectory } from '../../../shared/domain/library';
import type { VideoRecord, VideoStore } from '../../core/library-ports';
import type { JobContext } from '../processor';
import type { PublishedFile } from './publish-output';
import type { Verified } from './verify-output';

/** For LibraryTarget.record: the video row of `file`; null when fenced. */
export async function recordOutputVideo(ctx: JobContext, videos: VideoStore, file: PublishedFile, verified: Verified, directoryType: VideoDirectory): Promise<VideoRecord | null> {
  if (verified.kind !== 'video') throw new Error(`recordOutputVideo: ${file.relativePath} was not verified as a video`);
  const info = await stat(file.path);
  const metadata = { ...verified.metadata, sizeBytes: info.size };
  const video = await videos.publishVideo(
    { id: randomUUID(), path: file.relativePath, directoryType, sizeBytes: info.size, mtimeMs: Math.round(info.mtimeMs), sourceJobId: ctx.job.id, at: Date.now(), metadata },
    { ...ctx.files.fence, path: file.relativePath },
  );
  if (video) {
    ctx.log(
      `Output: ${file.relativePath} — ${metadata.width}x${metadata.height} ${metadata.videoCodec}${metadata.audioCodec ? `/${metadata.audioCodec}` : ''}, ` +
        `${metadata.durationSeconds.toFixed(2)} s, ${(info.size / 1e6).toFixed(1)} MB`,
    );
  }
  return video;
}
