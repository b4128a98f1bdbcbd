/**
 * One ffmpeg run inside a job: the output is staged under a temporary name and moved into place
 * only on success; the exact command goes to the job log; progress comes from ffmpeg's
 * `-progress` stream on fd 3 (throttled, 100 only at the end); the process is tracked (PID
 * recorded, suspend/resume); failures become a one-line, classified JobError.
 */
import { basename } from 'node:path';
import { createProgressThrottle, FfmpegProgressParser, progressPercent } from '../media/ffmpeg-progress';
import { startProcess } from '../media/process-runner';
import { stageOutput } from '../media/staged-output';
import type { JobContext } from '../processor';
import { classifyToolFailure } from './tool-failure';

export interface FfmpegStep {
  readonly ffmpegPath: string;
  /** Builds the arguments given the path to write to (the staged partial file). */
  readonly args: (outputPath: string) => readonly string[];
  readonly outputPath: string;
  /** Expected output duration for the percent; null → progress is reported as activity only. */
  readonly durationSeconds: number | null;
  /** Maps this step's 0–100 into the job's progress (for jobs of several steps). */
  readonly progressRange?: readonly [number, number];
  /** Keep an existing final file by picking a numbered name (default) or fail. */
  readonly onExisting?: 'rename' | 'error';
}

/** Quotes an argument for the log only (the command itself never goes through a shell). */
export function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs the step; returns the final output path (which may carry a " (n)" suffix). */
export async function runFfmpegStep(ctx: JobContext, step: FfmpegStep): Promise<string> {
  const staged = await stageOutput(step.outputPath, { onExisting: step.onExisting ?? 'rename' });
  const toolArgs = step.args(staged.partialPath);
  const args = ['-hide_banner', '-nostdin', '-nostats', '-progress', 'pipe:3', '-y', ...toolArgs];
  ctx.log(`FFmpeg command: ${basename(step.ffmpegPath)} ${toolArgs.map(quoteForLog).join(' ')}`);
  const parser = new FfmpegProgressParser();
  const throttle = createProgressThrottle();
  const [from, to] = step.progressRange ?? [0, 100];
  let running;
  try {
    running = await startProcess({
      command: step.ffmpegPath,
      args,
      signal: ctx.signal,
      consoleBuffer: ctx.console,
      onActivity: () => ctx.heartbeat(),
      onFd3: (text) => {
        for (const snapshot of parser.push(text)) {
          const percent = throttle(progressPercent(snapshot, step.durationSeconds));
          if (percent !== null) ctx.progress(from + ((to - from) * percent) / 100);
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
