/**
 * One ffmpeg run inside a job that writes one library file: written under a partial name unique to
 * the attempt, verified, and published in one fenced step under a free final name (never over an
 * existing file); the exact command logged, progress with speed and ETA (100 only after a
 * successful exit), the process tracked (PID recorded, suspend/resume) and writing the live
 * console, a failure turned into one classified line. The one-output form of runFfmpegToLibrary.
 */
import type { LibraryPaths } from '../../library/library-paths';
import type { MediaTools } from '../media/tool-discovery';
import type { JobContext } from '../processor';
import { runFfmpegToLibrary, type LibraryTarget, type PublishedOutput } from './ffmpeg-outputs-step';

export { quoteForLog } from './ffmpeg-outputs-step';

export interface FfmpegStep<T> extends Omit<LibraryTarget<T>, 'path'> {
  readonly library: LibraryPaths;
  readonly tools: MediaTools;
  /** Builds the arguments (from media/ffmpeg-args or compilation-args) given the path to write to. */
  readonly args: (outputPath: string) => readonly string[];
  /** Absolute, inside the library. */
  readonly outputPath: string;
  /** Expected output duration for the percent; null → 0 until the successful end. */
  readonly durationSeconds: number | null;
  /** Maps this step's 0–100 into the job's progress (for jobs of several steps). */
  readonly progressRange?: readonly [number, number];
}

/** Runs the step; returns the published output (its path may carry a " (n)" suffix) and its record. */
export async function runFfmpegStep<T>(ctx: JobContext, step: FfmpegStep<T>): Promise<PublishedOutput<T>> {
  const [published] = await runFfmpegToLibrary<T>(ctx, {
    ffmpegPath: step.tools.ffmpeg.path,
    library: step.library,
    tools: step.tools,
    outputs: [{ path: step.outputPath, check: step.check, ...(step.onExisting ? { onExisting: step.onExisting } : {}), ...(step.record ? { record: step.record } : {}) }],
    args: ([partial]) => step.args(partial!),
    durationSeconds: step.durationSeconds,
    ...(step.progressRange ? { progressRange: step.progressRange } : {}),
  });
  return published!;
}
