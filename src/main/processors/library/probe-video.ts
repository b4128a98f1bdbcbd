/**
 * ffprobe a library file into the metadata the videos table keeps. Errors keep ffprobe's reason
 * but not the absolute path (records and logs show library-relative paths).
 */
import type { VideoMetadata } from '../../core/library-ports';
import { MediaProbeError, probeMedia } from '../media/ffprobe';
import type { JobContext } from '../processor';

export interface ProbeTarget {
  readonly absolutePath: string;
  readonly ffprobePath: string;
  readonly signal: AbortSignal;
  /** Tracks the ffprobe process with the job (PID recorded for orphan cleanup). */
  readonly ctx?: JobContext;
}

export async function probeVideo(target: ProbeTarget): Promise<VideoMetadata> {
  let untrack: (() => void) | null = null;
  try {
    const info = await probeMedia(target.absolutePath, {
      ffprobePath: target.ffprobePath,
      signal: target.signal,
      onPid: (pid) => {
        untrack = target.ctx?.trackProcess({ pid, command: target.ffprobePath, suspend: () => process.kill(pid, 'SIGSTOP'), resume: () => process.kill(pid, 'SIGCONT') }) ?? null;
      },
    });
    if (info.durationSeconds === null) throw new MediaProbeError('corrupt', target.absolutePath, 'no duration (not a video file?)');
    return {
      durationSeconds: info.durationSeconds,
      width: info.displayWidth,
      height: info.displayHeight,
      fps: info.fps,
      videoCodec: info.videoCodec,
      audioCodec: info.audioCodec,
      bitrate: info.bitrate === null ? null : Math.round(info.bitrate),
      orientation: info.orientation,
      hasAudio: info.hasAudio,
      sizeBytes: info.sizeBytes ?? 0,
    };
  } catch (error) {
    if (error instanceof MediaProbeError) {
      const detail = error.message.startsWith(`${error.path}: `) ? error.message.slice(error.path.length + 2) : error.message;
      throw new MediaProbeError(error.reason, error.path, detail);
    }
    throw error;
  } finally {
    (untrack as (() => void) | null)?.();
  }
}

/** The reason without the absolute path, e.g. "corrupt: moov atom not found". */
export function probeFailureText(error: unknown): string {
  if (error instanceof MediaProbeError) {
    const detail = error.message.startsWith(`${error.path}: `) ? error.message.slice(error.path.length + 2) : error.message;
    return `${error.reason}: ${detail}`;
  }
  return error instanceof Error ? error.message : String(error);
}
