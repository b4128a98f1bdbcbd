/**
 * The proof a replace must pass before the original is touched, and the live guard that stops an
 * encode early when the output is clearly going to be larger. The checks are pure (each one a
 * TranscodeCheck: name, passed, detail); decodePass() is the full decode they rest on.
 *
 *   streams   every planned stream is in the output (1 video, the audio and subtitle tracks kept)
 *   duration  within 0.5 s or one frame per minute, whichever is larger (transcode-settings.ts)
 *   frames    decoded frames within 0.5 % of the original's
 *   decode    a full decode of the output (every kept video and audio stream) printed no error
 *   savings   at least minSavingsPercent smaller (required by a replace; reported by a copy)
 */
import type { TranscodeCheck } from '../../../shared/contracts/transcode';
import { startFfmpeg } from '../media/ffmpeg-run';
import { ConsoleBuffer } from '../media/console-buffer';
import type { JobContext } from '../processor';
import { resultWhileTracked } from '../steps/tracked-result';
import { durationTolerance } from './transcode-settings';

export const FRAME_TOLERANCE = 0.005;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

export function checkStreams(planned: { video: number; audio: number; subtitles: number }, output: { video: number; audio: number; subtitles: number }): TranscodeCheck {
  const missing = (['video', 'audio', 'subtitles'] as const).filter((k) => output[k] < planned[k]).map((k) => `${k} ${output[k]}/${planned[k]}`);
  const all = `video ${output.video}, audio ${output.audio}, subtitles ${output.subtitles}`;
  return { name: 'streams', passed: missing.length === 0, detail: missing.length === 0 ? `every kept stream present (${all})` : `missing streams: ${missing.join(', ')}` };
}

export function checkDuration(original: number, output: number, fps: number | null): TranscodeCheck {
  const allowed = durationTolerance(original, fps);
  const drift = Math.abs(output - original);
  return { name: 'duration', passed: drift <= allowed, detail: `${output.toFixed(2)} s vs ${original.toFixed(2)} s (± ${allowed.toFixed(2)} s allowed)` };
}

export function checkFrames(original: number | null, output: number | null): TranscodeCheck {
  if (original === null || output === null) return { name: 'frames', passed: false, detail: `frame count unknown (original ${original ?? '?'}, output ${output ?? '?'})` };
  const allowed = Math.floor(original * FRAME_TOLERANCE);
  return { name: 'frames', passed: Math.abs(output - original) <= allowed, detail: `${output} frames vs ${original} (± ${allowed} allowed)` };
}

/** `how`: how the full decode ran, when not on the finished file (the decode while encoding). */
export function checkDecode(errors: readonly string[], how = 'full decode'): TranscodeCheck {
  return { name: 'decode', passed: errors.length === 0, detail: errors.length === 0 ? `${how}, no errors` : `${errors.length} decode error(s): ${errors[0]!.slice(0, 200)}` };
}

export function savedPercent(bytesIn: number, bytesOut: number): number {
  return bytesIn > 0 ? ((bytesIn - bytesOut) / bytesIn) * 100 : 0;
}

export function checkSavings(bytesIn: number, bytesOut: number, minPercent: number): TranscodeCheck {
  const saved = savedPercent(bytesIn, bytesOut);
  return { name: 'savings', passed: saved >= minPercent, detail: `${mb(bytesOut)} vs ${mb(bytesIn)}: ${saved.toFixed(1)} % saved (at least ${minPercent} % needed)` };
}

/** The first failed check, as the reason a replace keeps the original; null when all passed. Pure. */
export function firstFailure(checks: readonly TranscodeCheck[]): string | null {
  const failed = checks.find((c) => !c.passed);
  return failed ? `${failed.name} check failed: ${failed.detail}` : null;
}

/**
 * The live guard's verdict after a progress update: the reason to stop, once at least a fifth of
 * the video is written and the size projected from it is clearly (2 %) over the original's; null
 * to go on. Sizes on disk lag what the muxer holds, so the projection errs low, never high. Pure.
 */
export function liveGuardVerdict(u: { bytesWritten: number; outTimeSeconds: number | null; durationSeconds: number; originalBytes: number }): string | null {
  if (u.outTimeSeconds === null || u.durationSeconds <= 0) return null;
  const fraction = u.outTimeSeconds / u.durationSeconds;
  if (fraction < 0.2 || fraction >= 1) return null;
  const projected = u.bytesWritten / fraction;
  if (projected <= u.originalBytes * 1.02) return null;
  return `live guard: at ${Math.round(fraction * 100)} % the output is projected at ${mb(projected)}, larger than the original's ${mb(u.originalBytes)}`;
}

/**
 * Lines of a tool's console that are its own status, not a message (SVT-AV1 and x265 print their
 * banners straight to stderr, whatever ffmpeg's log level).
 */
const STATUS_LINE = /^(frame=|size=|video:|audio:|subtitle:|\[out#|Press \[q\]|(Svt|x265|x264) ?\[(info|warn|warning)\])/i;

/** Error lines in console text (status lines left out). Pure. */
export function errorLines(text: string): string[] {
  return text.split(/[\r\n]+/).map((l) => l.trim()).filter((l) => l && !STATUS_LINE.test(l));
}

/** Counts the lines a tool prints to its console (the error lines of a `-v error` run). */
export function errorCounter(): { readonly buffer: ConsoleBuffer; readonly lines: () => string[]; close(): void } {
  const buffer = new ConsoleBuffer();
  let pending = '';
  const lines: string[] = [];
  const stop = buffer.subscribe((chunk) => {
    const text = pending + chunk;
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    pending = cut >= 0 ? text.slice(cut + 1) : text;
    if (cut >= 0) lines.push(...errorLines(text.slice(0, cut)));
  });
  return { buffer, lines: () => [...lines, ...errorLines(pending)], close: stop };
}

/** The full decode's arguments (progress options aside): the kept video stream and every audio stream, to the null muxer. Pure. */
export function decodeArgs(path: string): string[] {
  return ['-hide_banner', '-nostdin', '-v', 'error', '-i', path, '-map', '0:V:0', '-map', '0:a?', '-f', 'null', '-'];
}

/**
 * A full decode of `path`: its kept video stream and every audio stream, to the null muxer at
 * `-v error`. Returns the error lines and the number of video frames decoded.
 */
export async function decodePass(
  ctx: JobContext,
  ffmpegPath: string,
  path: string,
  durationSeconds: number | null,
  progressRange: readonly [number, number],
  /** Stops the decode early (the caller no longer needs it); the job's own signal always does. */
  stop?: AbortSignal,
): Promise<{
  errors: string[];
  frames: number | null;
  /** Set when ffmpeg failed without printing an error (killed by a signal…); then it is also the only entry of `errors`. */
  unexplained: string | null;
}> {
  const counter = errorCounter();
  try {
    const running = await startFfmpeg({
      ffmpegPath,
      args: decodeArgs(path),
      durationSeconds,
      signal: stop ? AbortSignal.any([ctx.signal, stop]) : ctx.signal,
      consoleBuffer: counter.buffer,
      killGraceMs: 1000,
      onActivity: () => ctx.heartbeat(),
      onProgress: (u) => ctx.progress(progressRange[0] + ((progressRange[1] - progressRange[0]) * u.percent) / 100),
    });
    const result = await resultWhileTracked(ctx, ffmpegPath, running);
    if (result.cancelled || ctx.signal.aborted) throw ctx.signal.reason ?? stop?.reason ?? new Error('cancelled');
    const errors = counter.lines();
    // ended without saying why (a signal: the OOM killer, a kill by hand): not evidence about the file
    const unexplained = !result.ok && errors.length === 0 ? `ffmpeg exited with ${result.signal ?? `code ${result.exitCode}`} without an error line` : null;
    if (unexplained) errors.push(unexplained);
    return { errors, frames: result.lastProgress?.frame ?? null, unexplained };
  } finally {
    counter.close();
  }
}
