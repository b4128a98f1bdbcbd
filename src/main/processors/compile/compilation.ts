/**
 * What every compilation does once its inputs are chosen: encode them into one file under
 * compilations/ (hardware encoder with software fall-back) and register the result as a video.
 */
import { join } from 'node:path';
import type { VideoEncoding } from '../media/ffmpeg-args';
import type { CompilationInput } from '../media/compilation-args';
import type { JobContext } from '../processor';
import { encodeWithFallback } from '../encode/encoding-choice';
import { runFfmpegStep } from '../steps/ffmpeg-step';
import type { InputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import { recordOutputVideo } from '../steps/output-video';
import { DURATION_TOLERANCE } from '../steps/verify-output';

export interface CompilationPlan {
  readonly inputs: readonly InputVideo[];
  /** Library-relative output from the params, or null for compilations/<name>. */
  readonly outputPath: string | null;
  readonly defaultName: string;
  readonly durationSeconds: number;
  readonly buildArgs: (inputs: readonly CompilationInput[], output: string, encoding: VideoEncoding) => string[];
  /** The job asked for a full decode check of the output (`verify: "decode"`). */
  readonly decodeCheck?: boolean;
}

export function compilationInputs(inputs: readonly InputVideo[]): CompilationInput[] {
  return inputs.map((i) => ({ path: i.absolutePath, hasAudio: i.hasAudio, durationSeconds: i.durationSeconds }));
}

export async function renderCompilation(ctx: JobContext, deps: MediaDeps, plan: CompilationPlan): Promise<void> {
  const tools = requireTools(deps);
  const outputPath = plan.outputPath ? deps.library.resolve(plan.outputPath) : join(deps.library.resolve('compilations'), plan.defaultName);
  const sources = compilationInputs(plan.inputs);
  ctx.log(`Compiling ${plan.inputs.length} video(s): ${plan.inputs.map((i) => i.record.path).join(', ')} → ${plan.durationSeconds.toFixed(2)} s`);
  await encodeWithFallback(ctx, deps.encoders.preferred, { crf: 23, preset: 'veryfast' }, (encoding) =>
    runFfmpegStep(ctx, {
      library: deps.library,
      tools,
      outputPath,
      durationSeconds: plan.durationSeconds,
      progressRange: [0, 98],
      check: { kind: 'video', durationSeconds: plan.durationSeconds, tolerance: DURATION_TOLERANCE.compilation, decode: plan.decodeCheck ?? false },
      record: (file, verified) => recordOutputVideo(ctx, deps.videos, file, verified, 'compilations'),
      args: (output) => plan.buildArgs(sources, output, encoding),
    }),
  );
  ctx.progress(100);
  ctx.log('Compilation completed successfully');
}
