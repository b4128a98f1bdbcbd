/**
 * Encodes with the best working encoder (the hardware one the start-up probe found), and falls
 * back within the same attempt when a step fails at run time (driver trouble, session limit, out
 * of GPU memory, an input NVDEC cannot decode), saying why in the log. Input problems are not
 * retried: they would fail the same way.
 *
 * NVENC runs through the steps of gpu-pipeline.ts: full GPU (only for callers whose argument
 * builder keeps frames on the GPU: `fullGpu`), decode on CPU + NVENC on the placed GPU, NVENC on
 * another GPU when the job may move, then libx264. Each fall-back is a log line
 * `Fall-back N: … failed (reason); trying …` and is returned to the caller (`fallbacks`).
 */
import type { VideoEncoding } from '../media/ffmpeg-args';
import type { EncoderInventory, VideoEncoderId } from '../media/hardware-encoders';
import { JobError, type JobContext } from '../processor';
import { OUTPUT_PROBLEM } from '../steps/output-failure';
import { moveForStep, releaseForStep, skippedLine } from './gpu-move-step';
import { fallbackLine, planPipeline, stepDevice, stepEnv, type FallbackRecord, type PipelineStep } from './gpu-pipeline';

export interface Quality {
  readonly crf: number;
  readonly preset: string;
  readonly targetBitrateKbps?: number;
}

export interface FallbackOptions {
  /**
   * The caller's argument builder honours `decode` and its callback runs its tools with the step's
   * context (the GPU it is pinned to): full-GPU, NVDEC-decode and moved steps are tried. Otherwise
   * NVENC runs on the placed GPU, then software.
   */
  readonly fullGpu?: boolean;
  /** The start-up inventory, for the per-GPU probes and the decode choice (absent: start-up H.264 probe only). */
  readonly inventory?: Pick<EncoderInventory, 'gpus' | 'decodeChoice'>;
  /** Told which fall-backs were taken (also logged). */
  readonly onFallback?: (fallback: FallbackRecord) => void;
}

/** Whether a failure would repeat with any encoder: a missing or broken input, an output that cannot be written or published. */
export function isPermanentEncodeFailure(error: unknown): boolean {
  return error instanceof JobError && (/^(Input file is (missing|corrupt)|Permission denied)/.test(error.message) || OUTPUT_PROBLEM.test(error.message));
}

/** `ctx` with another tool environment (a step pinned to another GPU). */
export function contextWithEnv(ctx: JobContext, env: Readonly<Record<string, string>> | undefined): JobContext {
  if (env === ctx.env) return ctx;
  return new Proxy(ctx, { get: (target, key) => (key === 'env' ? env : Reflect.get(target, key, target)) });
}

/** Runs `steps` in order until one works; logs and reports each fall-back; rethrows a permanent failure or the last one. */
export async function runSteps<T>(ctx: JobContext, steps: readonly PipelineStep[], run: (step: PipelineStep) => Promise<T>, onFallback?: (f: FallbackRecord) => void): Promise<{ value: T; step: PipelineStep; fallbacks: FallbackRecord[] }> {
  const fallbacks: FallbackRecord[] = [];
  let lastError: unknown = null;
  for (const [i, step] of steps.entries()) {
    // a step on another GPU runs only once the store has moved the job there (gpu-move-step.ts)
    const skipped = await moveForStep(ctx, step);
    if (skipped !== null) {
      ctx.log(skippedLine(step, skipped));
      continue;
    }
    await releaseForStep(ctx, step);
    try {
      return { value: await run(step), step, fallbacks };
    } catch (error) {
      lastError = error;
      const next = steps[i + 1];
      if (!next || ctx.signal.aborted || isPermanentEncodeFailure(error)) throw error;
      const f: FallbackRecord = { from: step.label, to: next.label, reason: error instanceof Error ? error.message : String(error) };
      fallbacks.push(f);
      ctx.log(fallbackLine(fallbacks.length, f));
      onFallback?.(f);
    }
  }
  throw lastError ?? new JobError('No encode step to try', false);
}

function encodingOf(step: PipelineStep, quality: Quality): VideoEncoding {
  const device = stepDevice(step);
  const gpu = device === undefined ? {} : { gpuDevice: device };
  switch (step.kind) {
    case 'full_gpu':
      return { encoder: 'h264_nvenc', ...quality, ...gpu, decode: 'cuda_frames' };
    case 'cpu_decode':
    case 'other_gpu':
      return { encoder: 'h264_nvenc', ...quality, ...gpu };
    case 'nvdec_software':
      return { encoder: 'libx264', ...quality, ...gpu, decode: 'cuda' };
    case 'software':
      return { encoder: 'libx264', ...quality };
  }
}

export async function encodeWithFallback<T>(ctx: JobContext, preferred: VideoEncoderId | null, quality: Quality, encode: (encoding: VideoEncoding, ctx: JobContext) => Promise<T>, options: FallbackOptions = {}): Promise<T> {
  const first: VideoEncoderId = preferred ?? 'libx264';
  const probes = options.inventory?.gpus ?? [];
  const decodeOnGpu = options.fullGpu === true && options.inventory?.decodeChoice?.decodeOnGpu === true;
  if (first === 'h264_nvenc' || (first === 'libx264' && decodeOnGpu && ctx.job.gpuIndex !== null && ctx.job.gpuIndex !== undefined)) {
    const plan = planPipeline({ codec: 'h264', job: ctx.job, probes, nvencAtStartup: first === 'h264_nvenc', decodeChoice: options.inventory?.decodeChoice ?? null, softwareEncoder: 'libx264' });
    const steps = plan.steps.filter((s) => options.fullGpu === true || s.kind === 'cpu_decode' || s.kind === 'software');
    for (const note of plan.notes) ctx.log(`Encoder note: ${note}`);
    ctx.log(`Encoder: ${first}${first === 'libx264' ? ' (software)' : ' (hardware)'}; steps: ${steps.map((s) => s.label).join(' → ')}`);
    // each step's tools run pinned to the step's GPU (a moved step: another GPU than the attempt's)
    const done = await runSteps(ctx, steps, (step) => encode(encodingOf(step, quality), contextWithEnv(ctx, stepEnv(step, ctx.env))), options.onFallback);
    return done.value;
  }
  ctx.log(`Encoder: ${first}${first === 'libx264' ? ' (software)' : ' (hardware)'}`);
  try {
    return await encode({ encoder: first, ...quality }, ctx);
  } catch (error) {
    if (first === 'libx264' || ctx.signal.aborted || isPermanentEncodeFailure(error)) throw error;
    ctx.log(`Hardware encoder ${first} failed (${error instanceof Error ? error.message : String(error)}); falling back to software encoding with libx264`);
    options.onFallback?.({ from: first, to: 'software (libx264)', reason: error instanceof Error ? error.message : String(error) });
    return encode({ encoder: 'libx264', ...quality }, ctx);
  }
}
