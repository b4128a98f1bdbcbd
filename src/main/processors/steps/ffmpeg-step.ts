/**
 * One ffmpeg run inside a job that writes one file: staged under a temporary name and moved into
 * place only on success, the exact command logged, progress with speed and ETA (100 only after a
 * successful exit), the process tracked (PID recorded, suspend/resume) and writing the live
 * console, a failure turned into one classified line. The one-output form of runFfmpegOutputs.
 */
import type { OnExisting } from '../media/staged-output';
import type { JobContext } from '../processor';
import { runFfmpegOutputs } from './ffmpeg-outputs-step';

export { quoteForLog } from './ffmpeg-outputs-step';

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
  readonly onExisting?: OnExisting;
}

/** Runs the step; returns the final output path (which may carry a " (n)" suffix). */
export async function runFfmpegStep(ctx: JobContext, step: FfmpegStep): Promise<string> {
  const [written] = await runFfmpegOutputs(ctx, {
    ffmpegPath: step.ffmpegPath,
    outputs: [step.outputPath],
    args: ([partial]) => step.args(partial!),
    durationSeconds: step.durationSeconds,
    onExisting: step.onExisting ?? 'rename',
    ...(step.progressRange ? { progressRange: step.progressRange } : {}),
  });
  return written!;
}
