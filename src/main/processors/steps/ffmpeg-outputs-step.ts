/**
 * One ffmpeg run inside a job, writing one or several files (runFfmpegStep in ffmpeg-step.ts is
 * the one-output form; the analysis pass writes metric files and scene keyframes at once). The
 * exact command is logged; progress, ETA and speed come from `-progress`; the process is tracked
 * (PID recorded, suspend/resume) and writes the live console; a failure is one classified line.
 *
 * Every output is written under a partial name unique to the attempt (`name.<job8>-a<n>.partial.ext`).
 * - runFfmpegToLibrary: library outputs. Each is recorded while written, verified when ffmpeg has
 *   exited 0 (verify-output.ts), then published in one fenced step under a free final name
 *   (publish-output.ts); anything not published is removed with its record.
 * - runFfmpegOutputs: private work files in a folder of the attempt's own (a temp folder), moved
 *   into place all or none, never over an existing file.
 */
import { basename } from 'node:path';
import type { LibraryPaths } from '../../library/library-paths';
import { startFfmpeg, type FfmpegProgressUpdate } from '../media/ffmpeg-run';
import { stageOutput, type StagedOutput } from '../media/staged-output';
import type { MediaTools } from '../media/tool-discovery';
import type { JobContext } from '../processor';
import { LibraryOutput, type PublishedFile } from './publish-output';
import { classifyToolFailure } from './tool-failure';
import { resultWhileTracked } from './tracked-result';
import { verifyOutput, type OutputCheck, type Verified } from './verify-output';
import { attemptToken } from './publish-output';

/** Quotes an argument for the log only (the command itself never goes through a shell). */
export function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function describeProgress(u: FfmpegProgressUpdate): string {
  const parts = [u.speed !== null ? `${u.speed.toFixed(2)}x` : null, u.etaSeconds !== null && u.percent < 100 ? `ETA ${Math.ceil(u.etaSeconds)} s` : null].filter(Boolean);
  return `Progress: ${u.percent}%${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

interface ToolRun {
  readonly ffmpegPath: string;
  readonly durationSeconds: number | null;
  readonly progressRange?: readonly [number, number];
  /** Working folder of ffmpeg (the analysis pass names its files relative to it). */
  readonly cwd?: string;
  /** Log progress lines (default true). */
  readonly logProgress?: boolean;
}

const DISK_FULL_TEXT = /No space left on device|Disk quota exceeded/i;

/** Runs ffmpeg with `args`; throws the classified failure (or the cancel reason). */
async function runTool(ctx: JobContext, run: ToolRun, args: readonly string[]): Promise<void> {
  ctx.log(`FFmpeg command: ${basename(run.ffmpegPath)} ${args.map(quoteForLog).join(' ')}`);
  const [from, to] = run.progressRange ?? [0, 100];
  let loggedAt = -1;
  const running = await startFfmpeg({
    ffmpegPath: run.ffmpegPath,
    args,
    durationSeconds: run.durationSeconds,
    signal: ctx.signal,
    consoleBuffer: ctx.console,
    ...(run.cwd ? { cwd: run.cwd } : {}),
    // the GPU pin of a job placed on one GPU (CUDA_VISIBLE_DEVICES)
    ...(ctx.env && Object.keys(ctx.env).length > 0 ? { env: { ...process.env, ...ctx.env } } : {}),
    onActivity: () => ctx.heartbeat(),
    onProgress: (update) => {
      ctx.progress(from + ((to - from) * update.percent) / 100);
      if (run.logProgress !== false && (update.percent >= loggedAt + 10 || update.percent === 100)) {
        loggedAt = update.percent;
        ctx.log(describeProgress(update));
      }
    },
  });
  const result = await resultWhileTracked(ctx, run.ffmpegPath, running);
  if (result.cancelled || (!result.ok && ctx.signal.aborted)) throw ctx.signal.reason ?? new Error('cancelled');
  // ffmpeg may exit 0 after a write error it only logged (a full disk while writing the trailer)
  if (!result.ok || result.stderrTail.some((l) => DISK_FULL_TEXT.test(l))) throw classifyToolFailure('ffmpeg', result.exitCode, result.signal, result.stderrTail);
}

export interface FfmpegOutputsStep extends ToolRun {
  /** Final paths in a private folder of the attempt; `args` gets the staged (partial) path of each, in the same order. */
  readonly outputs: readonly string[];
  readonly args: (partials: readonly string[]) => readonly string[];
  /** Accept empty files (text outputs). */
  readonly allowEmpty?: boolean;
}

/** Runs the step on private work files; returns their final paths. */
export async function runFfmpegOutputs(ctx: JobContext, step: FfmpegOutputsStep): Promise<string[]> {
  const staged: StagedOutput[] = [];
  const discardAll = () => Promise.all(staged.map((s) => s.discard()));
  try {
    for (const output of step.outputs) staged.push(await stageOutput(output, { onExisting: 'error', allowEmpty: step.allowEmpty ?? false, token: attemptToken(ctx.job) }));
    await runTool(ctx, step, step.args(staged.map((s) => s.partialPath)));
    const written: string[] = [];
    for (const s of staged) written.push(await s.commit());
    return written;
  } catch (error) {
    await discardAll();
    throw error;
  }
}

/** One library output of a step: where, what it must be, and its fenced record. */
export interface LibraryTarget<T> {
  /** Absolute final path inside the library (the published one may carry " (n)"). */
  readonly path: string;
  readonly check: OutputCheck;
  /** 'overwrite' only for a job type's own derived files it replaces (scene stills); default: never overwrite. */
  readonly onExisting?: 'rename' | 'overwrite';
  /**
   * The record of the published file, fenced by ctx.files.fence and forgetting the record of
   * `file.relativePath` (VideoStore.publishVideo, publishThumbnail); null when fenced. Default: a
   * bare fenced commit (files no record holds, e.g. a GIF).
   */
  readonly record?: (file: PublishedFile, verified: Verified) => Promise<T | null>;
}

export interface FfmpegLibraryStep<T> extends ToolRun {
  readonly library: LibraryPaths;
  readonly tools: MediaTools;
  readonly outputs: readonly LibraryTarget<T>[];
  readonly args: (partials: readonly string[]) => readonly string[];
}

export type PublishedOutput<T> = PublishedFile & { readonly value: T | true; readonly verified: Verified };

/** Runs the step writing into the library; verifies and publishes each output in order; returns them. */
export async function runFfmpegToLibrary<T>(ctx: JobContext, step: FfmpegLibraryStep<T>): Promise<PublishedOutput<T>[]> {
  const staged: LibraryOutput[] = [];
  try {
    for (const target of step.outputs) staged.push(await LibraryOutput.stage(ctx, step.library, target.path, target.onExisting ? { onExisting: target.onExisting } : {}));
    await runTool(ctx, step, step.args(staged.map((s) => s.partialPath)));
    const published: PublishedOutput<T>[] = [];
    for (const [i, output] of staged.entries()) {
      const target = step.outputs[i]!;
      await output.written();
      const verified = await verifyOutput(ctx, step.tools, output.partialPath, output.relativePath, target.check);
      const record = target.record ?? ((file: PublishedFile) => ctx.files.commit(file.relativePath).then((ok) => (ok ? (true as const) : null)));
      const done = await output.publish<T | true>((file) => record(file, verified));
      published.push({ ...done, verified });
    }
    return published;
  } catch (error) {
    for (const s of staged) await s.discard();
    throw error;
  }
}
