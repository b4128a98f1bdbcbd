/** Registers a video a job produced (re-encode, compilation) in the library, with its metadata. */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { VideoDirectory } from '../../../shared/domain/library';
import type { VideoRecord } from '../../core/library-ports';
import type { JobContext } from '../processor';
import { JobError } from '../processor';
import { probeFailureText, probeVideo } from '../library/probe-video';
import { requireTools, type MediaDeps } from './media-deps';

export async function registerOutputVideo(ctx: JobContext, deps: MediaDeps, absolutePath: string, directoryType: VideoDirectory): Promise<VideoRecord> {
  const relative = deps.library.toRelative(absolutePath);
  const info = await stat(absolutePath);
  const now = Date.now();
  await deps.videos.addVideos([{ id: randomUUID(), path: relative, directoryType, sizeBytes: info.size, mtimeMs: Math.round(info.mtimeMs), sourceJobId: ctx.job.id, at: now }]);
  const record = (await deps.videos.getVideoByPath(relative))!;
  try {
    const metadata = await probeVideo({ absolutePath, ffprobePath: requireTools(deps).ffprobe.path, signal: ctx.signal, ctx });
    const probed = await deps.videos.recordProbe(record.id, { ok: true, metadata }, Date.now());
    ctx.log(`Output: ${relative} — ${metadata.width}x${metadata.height} ${metadata.videoCodec}${metadata.audioCodec ? `/${metadata.audioCodec}` : ''}, ${metadata.durationSeconds.toFixed(2)} s, ${(info.size / 1e6).toFixed(1)} MB`);
    return probed;
  } catch (error) {
    const reason = probeFailureText(error);
    await deps.videos.recordProbe(record.id, { ok: false, error: reason }, Date.now());
    throw new JobError(`The output ${relative} is not a valid video: ${reason}`, true);
  }
}
