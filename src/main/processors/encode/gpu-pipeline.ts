/**
 * Full-GPU pipelines and their step-by-step fall-back (#18 item 3), for the NVENC encodes of
 * transcode and reencode_streaming. Pure planning here; the runners (encoding-choice.ts for
 * re-encode, transcode/encode-step.ts) try the steps in order.
 *
 * Steps, best first:
 *   1. full GPU: NVDEC decodes into GPU frames (`-hwaccel cuda -hwaccel_output_format cuda`),
 *      `scale_cuda` scales them there, NVENC encodes them: frames never cross the bus;
 *   2. decode on CPU + NVENC on the same GPU (the input's codec or profile NVDEC cannot do, a
 *      filter that needs system memory, scale_cuda missing …);
 *   3. NVENC on ANOTHER GPU whose probe passed for the codec, when the job may move (the user did
 *      not ask for its GPU by index or model it does not match);
 *   4. software (libx264/libx265/libsvtav1), which also takes the NVDEC-decode variant on a card
 *      without NVENC when start-up measured that faster (gpu-decode-choice.ts).
 * Steps a probe already ruled out are left out of the plan, with why (the plan's notes).
 */
import type { JobRecord } from '../../core/ports';
import { gpuRequestOf } from '../../core/gpu-placement';
import type { DecodeChoice } from '../media/gpu-decode-choice';
import { fullGpuPassed, nvencPassed, pinnedEnv, type GpuProbeResult, type NvencCodec } from '../media/gpu-probe';

/** The GPU a step runs on: pinned by CUDA_VISIBLE_DEVICES (then ffmpeg's device 0), or ffmpeg's default (index null). */
export interface StepGpu {
  readonly index: number | null;
  readonly uuid: string | null;
}

export type PipelineStepKind = 'full_gpu' | 'cpu_decode' | 'other_gpu' | 'nvdec_software' | 'software';

export interface PipelineStep {
  readonly kind: PipelineStepKind;
  /** Null for software (and for the software step of nvdec_software's encode, which still decodes on `gpu`). */
  readonly gpu: StepGpu | null;
  /** In words, for the log: "full GPU (NVDEC + scale_cuda + hevc_nvenc) on GPU 1". */
  readonly label: string;
}

export interface PipelinePlan {
  readonly steps: readonly PipelineStep[];
  /** Why steps were left out. */
  readonly notes: readonly string[];
}

export interface PipelineInput {
  readonly codec: NvencCodec;
  readonly job: Pick<JobRecord, 'gpuIndex' | 'gpuUuid' | 'params'>;
  /** Per-GPU probe results ([] when not known). */
  readonly probes: readonly GpuProbeResult[];
  /** The start-up probe found NVENC usable on this node (hardware-encoders.ts). */
  readonly nvencAtStartup: boolean;
  readonly decodeChoice?: DecodeChoice | null;
  /** Null when frames may stay on the GPU for this input; else why not (e.g. 10-bit into H.264). */
  readonly fullGpuBlocked?: string | null;
  /** The software encoder of the codec, for the labels. */
  readonly softwareEncoder: string;
}

const on = (gpu: StepGpu | null) => (gpu === null || gpu.index === null ? '' : ` on GPU ${gpu.index}`);

export function stepLabel(kind: PipelineStepKind, codec: NvencCodec, software: string, gpu: StepGpu | null): string {
  const nvenc = `${codec}_nvenc`;
  switch (kind) {
    case 'full_gpu':
      return `full GPU (NVDEC + scale_cuda + ${nvenc})${on(gpu)}`;
    case 'cpu_decode':
      return `decode on CPU + ${nvenc}${on(gpu)}`;
    case 'other_gpu':
      return `decode on CPU + ${nvenc}${on(gpu)} (moved)`;
    case 'nvdec_software':
      return `NVDEC decode${on(gpu)} + ${software} (software encode)`;
    case 'software':
      return `software (${software})`;
  }
}

/** The steps to try, best first, and why others were left out. Pure. */
export function planPipeline(input: PipelineInput): PipelinePlan {
  const { codec, job, probes } = input;
  const steps: PipelineStep[] = [];
  const notes: string[] = [];
  const add = (kind: PipelineStepKind, gpu: StepGpu | null) => steps.push({ kind, gpu, label: stepLabel(kind, codec, input.softwareEncoder, gpu) });
  const placed = job.gpuIndex !== null && job.gpuIndex !== undefined;
  const here: StepGpu = placed ? { index: job.gpuIndex!, uuid: job.gpuUuid ?? null } : { index: null, uuid: null };
  const probe = placed ? probes.find((p) => p.index === job.gpuIndex) : undefined;
  // without a probe of this card (unplaced, or not probed) the start-up H.264 probe is all we know
  const nvencHere = probe ? nvencPassed(probe, codec) : input.nvencAtStartup;
  if (nvencHere) {
    if (input.fullGpuBlocked) notes.push(`full GPU not tried: ${input.fullGpuBlocked}`);
    else if (probe && !fullGpuPassed(probe)) notes.push(`full GPU not tried on GPU ${probe.index}: ${probe.nvdecFailure ?? `scale_cuda: ${probe.scaleCudaFailure}`}`);
    else add('full_gpu', here);
    add('cpu_decode', here);
  } else if (probe) {
    const reason = probe.nvencFailed.find((f) => f.codec === codec)?.reason ?? 'not probed';
    notes.push(`${codec}_nvenc not used on GPU ${probe.index}: ${reason}`);
    if (input.decodeChoice?.decodeOnGpu && probe.nvdecFailure === null) add('nvdec_software', here);
  }
  if (placed) {
    const other = movableTo(input, probe);
    if (typeof other === 'string') notes.push(other);
    else if (other) add('other_gpu', { index: other.index, uuid: other.uuid });
  }
  add('software', null);
  return { steps, notes };
}

/** Another GPU the encode may move to, a reason it may not, or null when there is none. */
function movableTo(input: PipelineInput, probe: GpuProbeResult | undefined): GpuProbeResult | string | null {
  const request = gpuRequestOf(input.job.params);
  const others = input.probes.filter((p) => p.index !== input.job.gpuIndex && nvencPassed(p, input.codec) && (!request.gpuModel || p.name.toLowerCase().includes(request.gpuModel.toLowerCase())));
  if (others.length === 0) return null;
  if (request.gpu !== null) return `not moved to another GPU: the job asks for GPU ${request.gpu}`;
  void probe;
  return others[0]!;
}

/** The environment a step's tools run with: the step's GPU pinned, else the attempt's own. Pure. */
export function stepEnv(step: PipelineStep, attemptEnv: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> | undefined {
  if (step.gpu !== null && step.gpu.index !== null) return { ...attemptEnv, ...pinnedEnv({ index: step.gpu.index, uuid: step.gpu.uuid }) };
  return attemptEnv;
}

/** The ffmpeg device number inside the step's process: 0 when pinned, else ffmpeg's default. Pure. */
export function stepDevice(step: PipelineStep): number | undefined {
  return step.gpu !== null && step.gpu.index !== null ? 0 : undefined;
}

/** One fall-back taken, as the job records it. */
export interface FallbackRecord {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** The log line of a fall-back (stable: tests and users grep for "Fall-back"). Pure. */
export function fallbackLine(n: number, f: FallbackRecord): string {
  return `Fall-back ${n}: ${f.from} failed (${f.reason}); trying ${f.to}`;
}
