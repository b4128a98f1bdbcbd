/**
 * One ffmpeg run inside a job, writing one or several files (runFfmpegStep in ffmpeg-step.ts is
 * the one-output form; the analysis pass writes metric files and scene keyframes at once). Every
 * output is staged
 * (`name.partial.ext`) and moved into place only when ffmpeg succeeded, all or none; the exact
 * command is logged; progress, ETA and speed come from `-progress`; the process is tracked
 * (PID recorded, suspend/resume) and writes the live console; a failure is one classified line.
 */
import { basename } from 'node:path';
import { startFfmpeg, type FfmpegProgressUpdate } from '../media/ffmpeg-run';
import { stageOutput, type OnExisting, type StagedOutput } from '../media/staged-output';
import type { JobContext } from '../processor';
import { classifyToolFailure } from './tool-failure';
import { resultWhileTracked } from './tracked-result';

/** Quotes an argument for the log only (the command itself never goes through a shell). */
export function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function describeProgress(u: FfmpegProgressUpdate): string {
  const parts = [u.speed !== null ? `${u.speed.toFixed(2)}x` : null, u.etaSeconds !== null && u.percent < 100 ? `ETA ${Math.ceil(u.etaSeconds)} s` : null].filter(Boolean);
  return `Progress: ${u.percent}%${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export interface FfmpegOutputsStep {
  readonly ffmpegPath: string;
  /** Final paths; `args` gets the staged (partial) path of each, in the same order. */
  readonly outputs: readonly string[];
  readonly args: (partials: readonly string[]) => readonly string[];
  readonly durationSeconds: number | null;
  readonly progressRange?: readonly [number, number];
  readonly onExisting?: OnExisting;
  /** Accept empty files (text outputs). */
  readonly allowEmpty?: boolean;
  /** Working folder of ffmpeg (the analysis pass names its files relative to it). */
  readonly cwd?: string;
  /** Log progress lines (default true). */
  readonly logProgress?: boolean;
}

/** Runs the step; returns the final paths. */
export async function runFfmpegOutputs(ctx: JobContext, step: FfmpegOutputsStep): Promise<string[]> {
  const staged: StagedOutput[] = [];
  const discardAll = () => Promise.all(staged.map((s) => s.discard()));
  try {
    for (const output of step.outputs) staged.push(await stageOutput(output, { onExisting: step.onExisting ?? 'overwrite', allowEmpty: step.allowEmpty ?? false }));
  } catch (error) {
    await discardAll();
    throw error;
  }
  const args = step.args(staged.map((s) => s.partialPath));
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
      ...(step.cwd ? { cwd: step.cwd } : {}),
      onActivity: () => ctx.heartbeat(),
      onProgress: (update) => {
        ctx.progress(from + ((to - from) * update.percent) / 100);
        if (step.logProgress !== false && (update.percent >= loggedAt + 10 || update.percent === 100)) {
          loggedAt = update.percent;
          ctx.log(describeProgress(update));
        }
      },
    });
  } catch (error) {
    await discardAll();
    throw error;
  }
  const result = await resultWhileTracked(ctx, step.ffmpegPath, running);
  if (!result.ok) {
    await discardAll();
    if (result.cancelled) throw ctx.signal.reason ?? new Error('cancelled');
    throw classifyToolFailure('ffmpeg', result.exitCode, result.signal, result.stderrTail);
  }
  const written: string[] = [];
  try {
    for (const s of staged) written.push(await s.commit());
  } catch (error) {
    await discardAll();
    throw error;
  }
  return written;
}
