/**
 * Verification of an output before it is published: ffprobe must read it with what the job
 * expects, so an invalid output (a tool that exited 0 on a full disk, a crashed encoder) never
 * reaches its final name.
 *
 * - video: a video stream; an audio stream when the job expects one; the duration within the job
 *   type's tolerance of the expected one (DURATION_TOLERANCE, the larger of seconds and fraction);
 *   with `decode`, a full decode (`ffmpeg -v error -i out -f null -`) in which any error fails.
 * - image: a picture ffprobe can read, with a width and height (and the asked width).
 * - text and metric files (the analysis pass, in a private folder) are exempt.
 *
 * A failed check is retryable (a corrupt output from a healthy input is usually a passing fault: a
 * hardware encoder, a full disk); when the disk is (nearly) full the reason says "Disk full".
 */
import { dirname } from 'node:path';
import type { VideoMetadata } from '../../core/library-ports';
import { probeMedia } from '../media/ffprobe';
import type { MediaTools } from '../media/tool-discovery';
import { probeFailureText, probeVideo } from '../library/probe-video';
import { JobError, type JobContext } from '../processor';
import { DISK_FULL_BYTES, diskFull, freeBytes } from './output-failure';
import { runTracked } from './tracked-result';

export interface DurationTolerance {
  readonly seconds: number;
  readonly fraction: number;
}

/**
 * How far an output's duration may be from the expected one, per job type. Encoders round to
 * whole frames and AAC adds priming samples (re-encode: ½ s or 2 %); compilations normalise
 * frame rates and pad audio per input (1 s or 5 %); clips cut by stream copy start and end on
 * keyframes (1 s or 10 %); a GIF's frames are 1/fps long (½ s or 10 %).
 */
export const DURATION_TOLERANCE = {
  reencode: { seconds: 0.5, fraction: 0.02 },
  compilation: { seconds: 1, fraction: 0.05 },
  segments: { seconds: 1, fraction: 0.05 },
  clip: { seconds: 1, fraction: 0.1 },
  gif: { seconds: 0.5, fraction: 0.1 },
} as const satisfies Record<string, DurationTolerance>;

export type OutputCheck =
  | {
      readonly kind: 'video';
      /** Expected length; null: any. */
      readonly durationSeconds: number | null;
      readonly tolerance: DurationTolerance;
      /** True: an audio stream must be there. */
      readonly audio?: boolean;
      /** The job asked for `verify: "decode"`. */
      readonly decode?: boolean;
    }
  | { readonly kind: 'image'; readonly width?: number }
  | { readonly kind: 'none' };

export interface ImageInfo {
  readonly width: number;
  readonly height: number;
}

export type Verified = { readonly kind: 'video'; readonly metadata: VideoMetadata } | { readonly kind: 'image'; readonly image: ImageInfo } | { readonly kind: 'none' };

/** The allowed difference for an expected duration. Pure. */
export function allowedDrift(expected: number, tolerance: DurationTolerance): number {
  return Math.max(tolerance.seconds, tolerance.fraction * expected);
}

/** Why a probed video does not meet the check, or null. Pure. */
export function videoMismatch(metadata: Pick<VideoMetadata, 'durationSeconds' | 'hasAudio'>, check: Extract<OutputCheck, { kind: 'video' }>): string | null {
  if (check.audio && !metadata.hasAudio) return 'no audio stream';
  if (check.durationSeconds !== null) {
    const drift = Math.abs(metadata.durationSeconds - check.durationSeconds);
    if (drift > allowedDrift(check.durationSeconds, check.tolerance)) {
      return `duration ${metadata.durationSeconds.toFixed(2)} s, expected ${check.durationSeconds.toFixed(2)} s (± ${allowedDrift(check.durationSeconds, check.tolerance).toFixed(2)} s)`;
    }
  }
  return null;
}

function tracked(ctx: JobContext, command: string) {
  let untrack: (() => void) | null = null;
  return {
    onPid: (pid: number) => {
      untrack = ctx.trackProcess({ pid, command, suspend: () => process.kill(pid, 'SIGSTOP'), resume: () => process.kill(pid, 'SIGCONT') });
    },
    done: () => (untrack as (() => void) | null)?.(),
  };
}

/** A full decode of `path`; the error lines ffmpeg printed (none: it decodes cleanly). */
export async function decodeErrors(ctx: JobContext, ffmpegPath: string, path: string): Promise<string[]> {
  const result = await runTracked(ctx, {
    command: ffmpegPath,
    args: ['-hide_banner', '-nostdin', '-v', 'error', '-i', path, '-f', 'null', '-'],
    signal: ctx.signal,
    killGraceMs: 1000,
    onActivity: () => ctx.heartbeat(),
    tailLines: 200,
  });
  if (result.cancelled) throw ctx.signal.reason ?? new Error('cancelled');
  const errors = result.stderrTail.map((l) => l.trim()).filter(Boolean);
  if (!result.ok && errors.length === 0) errors.push(`ffmpeg exited with code ${result.exitCode}`);
  return errors;
}

/** Verifies the written partial at `path` (`relativePath` names it in messages); throws a one-line JobError when it fails. */
export async function verifyOutput(ctx: JobContext, tools: MediaTools, path: string, relativePath: string, check: OutputCheck): Promise<Verified> {
  if (check.kind === 'none') return { kind: 'none' };
  const fail = async (why: string): Promise<never> => {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('cancelled');
    const free = await freeBytes(dirname(path));
    if (free !== null && free < DISK_FULL_BYTES) throw diskFull(relativePath, `${Math.round(free / 1024)} KB free (the output was incomplete: ${why})`);
    throw new JobError(`The output ${relativePath} failed verification: ${why}`, true);
  };
  if (check.kind === 'image') {
    const t = tracked(ctx, tools.ffprobe.path);
    let image: ImageInfo;
    try {
      const info = await probeMedia(path, { ffprobePath: tools.ffprobe.path, signal: ctx.signal, onPid: t.onPid });
      image = { width: info.width, height: info.height };
    } catch (error) {
      return fail(probeFailureText(error));
    } finally {
      t.done();
    }
    if (!(image.width > 0 && image.height > 0)) return fail('no picture size');
    if (check.width !== undefined && image.width !== check.width) return fail(`width ${image.width}, expected ${check.width}`);
    return { kind: 'image', image };
  }
  let metadata: VideoMetadata;
  try {
    metadata = await probeVideo({ absolutePath: path, ffprobePath: tools.ffprobe.path, signal: ctx.signal, ctx });
  } catch (error) {
    return fail(probeFailureText(error));
  }
  const mismatch = videoMismatch(metadata, check);
  if (mismatch) return fail(mismatch);
  if (check.decode) {
    const errors = await decodeErrors(ctx, tools.ffmpeg.path, path);
    if (errors.length > 0) return fail(`the decode check found ${errors.length} error(s): ${errors[0]!.slice(0, 200)}`);
    ctx.log(`Decode check of ${relativePath}: no errors`);
  }
  return { kind: 'video', metadata };
}
