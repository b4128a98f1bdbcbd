/**
 * A job's input videos with what the FFmpeg graphs need (file, duration, audio), probing the ones
 * never probed. Invalid or missing inputs fail the job at once with their reason.
 */
import type { VideoRecord } from '../../core/library-ports';
import type { JobContext } from '../processor';
import { JobError } from '../processor';
import { probeFailureText, probeVideo } from '../library/probe-video';
import { requireVideo, requireVideoFile } from '../library/video-input';
import { requireTools, type MediaDeps } from './media-deps';

export interface InputVideo {
  readonly record: VideoRecord;
  readonly absolutePath: string;
  readonly durationSeconds: number;
  readonly hasAudio: boolean;
}

export async function loadInputVideo(ctx: JobContext, deps: MediaDeps, videoId: string): Promise<InputVideo> {
  const record = await requireVideo(deps.videos, videoId);
  const absolutePath = await requireVideoFile(deps.library, record);
  if (record.valid === false) throw new JobError(`Input video ${record.path} is invalid: ${record.validationError ?? 'unknown reason'}`, false);
  if (record.durationSeconds !== null && record.hasAudio !== null && record.valid === true) {
    return { record, absolutePath, durationSeconds: record.durationSeconds, hasAudio: record.hasAudio };
  }
  try {
    const metadata = await probeVideo({ absolutePath, ffprobePath: requireTools(deps).ffprobe.path, signal: ctx.signal, ctx });
    const updated = await deps.videos.recordProbe(record.id, { ok: true, metadata }, Date.now());
    return { record: updated, absolutePath, durationSeconds: metadata.durationSeconds, hasAudio: metadata.hasAudio };
  } catch (error) {
    if (ctx.signal.aborted || error instanceof JobError) throw error;
    const reason = probeFailureText(error);
    await deps.videos.recordProbe(record.id, { ok: false, error: reason }, Date.now());
    throw new JobError(`Input video ${record.path} is invalid: ${reason}`, false);
  }
}

export async function loadInputVideos(ctx: JobContext, deps: MediaDeps, ids: readonly string[]): Promise<InputVideo[]> {
  const out: InputVideo[] = [];
  for (const id of ids) out.push(await loadInputVideo(ctx, deps, id));
  return out;
}
