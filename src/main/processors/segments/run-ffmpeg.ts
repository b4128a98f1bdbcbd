/**
 * One ffmpeg run of a segment job that is not an encode with fall-backs (the audio, the join):
 * logged command, progress into a range, the process tracked (suspend, orphan kill), `-v error` and
 * its error lines counted (proof.ts's counter), a failure classified as the other steps do.
 */
import { basename } from 'node:path';
import { startFfmpeg } from '../media/ffmpeg-run';
import type { JobContext } from '../processor';
import { quoteForLog } from '../steps/ffmpeg-step';
import { classifyToolFailure } from '../steps/tool-failure';
import { resultWhileTracked } from '../steps/tracked-result';
import { errorCounter } from '../transcode/proof';

export async function runFfmpeg(ctx: JobContext, ffmpegPath: string, args: readonly string[], durationSeconds: number, progressRange: readonly [number, number]): Promise<{ errors: string[] }> {
  const full = ['-v', 'error', ...args];
  ctx.log(`FFmpeg command: ${basename(ffmpegPath)} ${full.map(quoteForLog).join(' ')}`);
  const counter = errorCounter();
  const [from, to] = progressRange;
  try {
    const running = await startFfmpeg({
      ffmpegPath, args: full, durationSeconds, signal: ctx.signal, consoleBuffer: counter.buffer, killGraceMs: 1000,
      onActivity: () => ctx.heartbeat(),
      onProgress: (u) => ctx.progress(from + ((to - from) * u.percent) / 100),
    });
    const result = await resultWhileTracked(ctx, ffmpegPath, running);
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('cancelled');
    if (!result.ok) throw classifyToolFailure('ffmpeg', result.exitCode, result.signal, result.stderrTail);
    return { errors: counter.lines() };
  } finally {
    counter.close();
  }
}
