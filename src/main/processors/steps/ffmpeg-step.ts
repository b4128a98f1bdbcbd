/**
 * One ffmpeg run inside a job: the output is staged under a temporary name and moved into place
 * only on success; the exact command goes to the job log; progress (with speed and ETA) comes from
 * ffmpeg's `-progress` stream (media/ffmpeg-run.ts), 100 only after a successful exit; the process
 * is tracked (PID recorded, suspend/resume) and writes the job's live console; failures become a
 * one-line, classified JobError.
 */
import { basename } from 'node:path';
import { startFfmpeg, type FfmpegProgressUpdate } from '../media/ffmpeg-run';
import { stageOutput } from '../media/staged-output';
import type { JobContext } from '../processor';
import { classifyToolFailure } from './tool-failure';

export interface FfmpegStep {
  readonly ffmpegPath: string;
  /** Builds the arguments (from media/ffmpeg-args or compilation-args) given the path to write to. */
  readonly args: (outputPath: string) => readonly string[];
  readonly outputPath: string;
  /** Expected output duration for the percent; null → 0 until the successful end. */
  readonly durationSeconds: number | null;
  /** Maps this step's 0–100 into the job's progress (for jobs of several steps). */
  readonly progressRange?: readonly [number, number];
  /** Keep an existing final file by picking a numbered name (default), fail, or replace it (derived files such as thumbnails). */
  readonly onExisting?: 'rename' | 'error' | 'overwrite';
}

/** Quotes an argument for the log only (the command itself never goes through a shell). */
export function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function describeProgress(u: FfmpegProgressUpdate): string {
  const parts = [u.speed !== null ? `${u.speed.toFixed(2)}x` : null, u.etaSeconds !== null && u.percent < 100 ? `ETA ${Math.ceil(u.etaSeconds)} s` : null].filter(Boolean);
  return `Progress: ${u.percent}%${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** Runs the step; returns the final output path (which may carry a " (n)" suffix). */
export async function runFfmpegStep(ctx: JobContext, step: FfmpegStep): Promise<string> {
  const staged = await stageOutput(step.outputPath, { onExisting: step.onExisting ?? 'rename' });
  const args = step.args(staged.partialPath);
  ctx.log(`FFmpeg command: ${basename(step.ffmpegPath)} ${args.map(quoteForLog).join(' ')}`);
  const [from, to] = step.progressRange ?? [0, 100];
  let loggedAt = -1;
  let running;
  try {
    running = await startFfmpeg({
      ffmpegPath: step.ffmpegPath,
      args,
      durationSeconds: step.durationSeconds,
      signal: ctx.signal,
      consoleBuffer: ctx.console,
      onActivity: () => ctx.heartbeat(),
      onProgress: (update) => {
        ctx.progress(from + ((to - from) * update.percent) / 100);
        // the log gets a line every 10 % (the console has everything)
        if (update.percent >= loggedAt + 10 || update.percent === 100) {
          loggedAt = update.percent;
          ctx.log(describeProgress(update));
        }
      },
    });
  } catch (error) {
    await staged.discard();
    throw error;
  }
  const untrack = ctx.trackProcess({ pid: running.pid, command: step.ffmpegPath, suspend: () => running.suspend(), resume: () => running.resume() });
  let result;
  try {
    result = await running.result;
  } finally {
    untrack();
  }
  if (!result.ok) {
    await staged.discard();
    if (result.cancelled) throw ctx.signal.reason ?? new Error('cancelled');
    throw classifyToolFailure('ffmpeg', result.exitCode, result.signal, result.stderrTail);
  }
  return staged.commit();
}
