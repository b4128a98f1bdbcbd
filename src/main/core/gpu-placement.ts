/**
 * Per-GPU placement: on a node whose GPUs are known one by one (an inventory, not one declared
 * budget), a job that runs on the GPU is given ONE GPU at dispatch. Pure.
 *
 * A GPU takes a job when:
 * - it is not blocked (its free VRAM dropped under what our jobs reserved on it: other programs
 *   grew into our reservations, see gpuBlockedReason);
 * - the job's VRAM fits its budget (total − headroom − other programs' use) minus what our jobs
 *   already reserve on it;
 * - an encode (gpu_encode) finds an encoder there (H100/H200/A100 class cards have no NVENC) — for
 *   its codec, where the start-up probe ran on that card (encodeCodecs) — and a free NVENC session
 *   under the card's cap (our encodes placed there plus other programs' sessions); a decode-only
 *   card (no NVENC, NVDEC decode measured faster) takes encodes without a session, after NVENC cards.
 * Among the GPUs that take it, the least RESERVED one wins (sum of the VRAM our jobs reserve there,
 * not a utilisation snapshot, so jobs started together spread), then the fewest jobs, then the
 * lowest index (deterministic). When none takes it, the waiting reason names every GPU.
 */
import type { ResourceCategory } from '../../shared/domain/statuses';

/** One GPU as the scheduler sees it. */
export interface GpuSlot {
  readonly index: number;
  readonly uuid: string | null;
  readonly name: string;
  /** What our jobs may reserve on it in all: total − headroom − other programs' use. */
  readonly budgetMb: number;
  /** Whether it has a hardware encoder (NVENC) our encodes can use. */
  readonly encodeSupported: boolean;
  /** Concurrent NVENC sessions allowed; null: no cap. */
  readonly sessionCap: number | null;
  /** Encoder sessions other programs hold on it (from telemetry). */
  readonly otherSessions: number;
  /** Set when it takes no new jobs, with why (e.g. its free VRAM dropped under its reservations). */
  readonly blocked?: string;
  /** Codecs whose NVENC passed the start-up probe ON THIS GPU (h264, hevc, av1); absent: not probed (any). */
  readonly encodeCodecs?: readonly string[];
  /** No NVENC, but its encodes decode with NVDEC and encode in software (measured faster at start-up): no session used. */
  readonly decodeOnly?: boolean;
  /** Why its NVENC probe failed (shown when an encode cannot go there). */
  readonly encodeRefusal?: string;
}

/** What the start-up probe of one GPU says about encodes there (processors/media/gpu-probe.ts, seen by the runtime). */
export interface GpuEncodeSupport {
  readonly nvencCodecs: readonly string[];
  /** Why NVENC failed there (when nvencCodecs is empty). */
  readonly nvencFailure: string | null;
  /** NVDEC decode + software encode was chosen for this NVENC-less card. */
  readonly decodeOnly: boolean;
}

/** What our live jobs hold on one GPU. */
export interface GpuUse {
  readonly reservedMb: number;
  /** Live jobs placed on it (any category). */
  readonly jobs: number;
  /** Live gpu_encode jobs placed on it (each holds an NVENC session). */
  readonly encodes: number;
}

export const NO_GPU_USE: GpuUse = { reservedMb: 0, jobs: 0, encodes: 0 };

export type GpuUsage = Readonly<Record<number, GpuUse>>;

export interface GpuPlacementRequest {
  readonly category: ResourceCategory;
  readonly needMb: number;
  /** A GPU index the job asked for (params.gpu), or null. */
  readonly gpu?: number | null;
  /** A case-insensitive substring of the GPU name the job asked for (params.gpuModel), or null. */
  readonly gpuModel?: string | null;
  /** The codec an encode writes (params.codec of a transcode); null/absent: H.264. */
  readonly codec?: string | null;
  /** False for an encode whose job type does not decode on the GPU (decodesOnGpu): a decode-only card is no use to it. Absent: it does. */
  readonly decodesOnGpu?: boolean;
}

export type Placement = { readonly gpu: GpuSlot } | { readonly reason: string };

const mb = (n: number) => n.toLocaleString('en-US');

/** Why `gpu` cannot take the job now, or null when it can. */
export function gpuRefusal(gpu: GpuSlot, use: GpuUse, request: GpuPlacementRequest): string | null {
  if (gpu.blocked) return gpu.blocked;
  if (request.category === 'gpu_encode') {
    if (!gpu.encodeSupported) return `GPU ${gpu.index}: ${gpu.name} has no hardware encoder (NVENC)${gpu.encodeRefusal ? `: ${gpu.encodeRefusal}` : ''}`;
    if (gpu.decodeOnly && request.decodesOnGpu === false) return `GPU ${gpu.index}: ${gpu.name} has no NVENC, and this job type only encodes (nothing to decode on the GPU)`;
    const codec = request.codec ?? 'h264';
    // a decode-only card encodes in software: any codec, no NVENC session
    if (!gpu.decodeOnly && gpu.encodeCodecs && !gpu.encodeCodecs.includes(codec)) return `GPU ${gpu.index}: ${codec}_nvenc failed its probe on ${gpu.name}`;
    if (!gpu.decodeOnly && gpu.sessionCap !== null && use.encodes + gpu.otherSessions >= gpu.sessionCap) {
      return `GPU ${gpu.index}: ${use.encodes + gpu.otherSessions} of ${gpu.sessionCap} NVENC sessions`;
    }
  }
  const free = Math.max(0, gpu.budgetMb - use.reservedMb);
  if (request.needMb > 0 && request.needMb > free) return `GPU ${gpu.index}: needs ${mb(request.needMb)} MB, ${mb(free)} free`;
  return null;
}

/** The GPUs the job may use at all (its pin or model filter), or a reason when none matches. */
function eligible(gpus: readonly GpuSlot[], request: GpuPlacementRequest): readonly GpuSlot[] | string {
  let out = gpus;
  if (request.gpu !== undefined && request.gpu !== null) {
    out = out.filter((g) => g.index === request.gpu);
    if (out.length === 0) return `asks for GPU ${request.gpu}, which this node does not have`;
  }
  if (request.gpuModel) {
    const want = request.gpuModel.toLowerCase();
    out = out.filter((g) => g.name.toLowerCase().includes(want));
    if (out.length === 0) return `asks for a GPU matching "${request.gpuModel}", which this node does not have`;
  }
  return out;
}

export function placeOnGpu(gpus: readonly GpuSlot[], usage: GpuUsage, request: GpuPlacementRequest): Placement {
  const pool = eligible(gpus, request);
  if (typeof pool === 'string') return { reason: pool };
  let best: GpuSlot | null = null;
  let bestUse: GpuUse = NO_GPU_USE;
  const refusals: string[] = [];
  for (const gpu of pool) {
    const use = usage[gpu.index] ?? NO_GPU_USE;
    const refusal = gpuRefusal(gpu, use, request);
    if (refusal !== null) {
      refusals.push(refusal);
      continue;
    }
    if (best === null || preferred(gpu, use, best, bestUse, request.category === 'gpu_encode')) {
      best = gpu;
      bestUse = use;
    }
  }
  return best !== null ? { gpu: best } : { reason: refusals.join('; ') };
}

function preferred(a: GpuSlot, aUse: GpuUse, b: GpuSlot, bUse: GpuUse, encode: boolean): boolean {
  // an encode goes to a card with NVENC before one that only decodes for it
  if (encode && (a.decodeOnly === true) !== (b.decodeOnly === true)) return b.decodeOnly === true;
  return aUse.reservedMb - bUse.reservedMb < 0 || (aUse.reservedMb === bUse.reservedMb && (aUse.jobs - bUse.jobs < 0 || (aUse.jobs === bUse.jobs && a.index < b.index)));
}

/** The usage after one more job of `category` reserving `needMb` is placed on GPU `index`. */
export function addToGpu(usage: Record<number, GpuUse>, index: number, category: ResourceCategory, needMb: number): void {
  const use = usage[index] ?? NO_GPU_USE;
  usage[index] = { reservedMb: use.reservedMb + needMb, jobs: use.jobs + 1, encodes: use.encodes + (category === 'gpu_encode' ? 1 : 0) };
}

/** The larger of two views per GPU (store and process; see maxUsage). */
export function maxGpuUsage(a: GpuUsage | undefined, b: GpuUsage | undefined): GpuUsage | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: Record<number, GpuUse> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)].map(Number))) {
    const x = a[key] ?? NO_GPU_USE;
    const y = b[key] ?? NO_GPU_USE;
    out[key] = { reservedMb: Math.max(x.reservedMb, y.reservedMb), jobs: Math.max(x.jobs, y.jobs), encodes: Math.max(x.encodes, y.encodes) };
  }
  return out;
}

/**
 * VRAM truth: a GPU whose free VRAM (as the driver reports it) has dropped under what our jobs
 * still expect to take there (reserved minus what they already use is not known per process, so
 * the whole budget check is: total − headroom − other programs' use < reserved) takes no new jobs.
 */
export function gpuBlockedReason(index: number, budgetMb: number, reservedMb: number, othersMb: number): string | undefined {
  if (reservedMb <= 0 || budgetMb >= reservedMb) return undefined;
  return `GPU ${index}: other programs use ${mb(othersMb)} MB, leaving ${mb(Math.max(0, budgetMb))} MB for the ${mb(reservedMb)} MB reserved here; taking no jobs until it frees`;
}

/**
 * VRAM truth with per-process telemetry: our jobs on the GPU have reserved `outstandingMb` more than
 * their processes use yet; when the driver's free VRAM is under that, another program took memory
 * our jobs were promised, and the GPU takes no new jobs until it frees.
 */
export function gpuOvercommittedReason(index: number, freeMb: number, outstandingMb: number, othersMb: number): string | undefined {
  if (outstandingMb <= 0 || freeMb >= outstandingMb) return undefined;
  return `GPU ${index}: ${mb(Math.max(0, freeMb))} MB free is under the ${mb(outstandingMb)} MB its jobs reserved and have not taken yet (other programs use ${mb(othersMb)} MB); taking no jobs until it frees`;
}

/** A job's GPU request from its params (`gpu`: an index; `gpuModel`: a name substring). */
export function gpuRequestOf(params: Readonly<Record<string, unknown>> | undefined): { gpu: number | null; gpuModel: string | null } {
  const gpu = params?.gpu;
  const model = params?.gpuModel;
  return {
    gpu: typeof gpu === 'number' && Number.isInteger(gpu) && gpu >= 0 ? gpu : null,
    gpuModel: typeof model === 'string' && model.trim() !== '' ? model.trim() : null,
  };
}

const ENCODE_CODEC = /"codec"\s*:\s*"(h264|hevc|av1)"/;

/** The codec a job's params name (`"codec": "hevc"`), read from their JSON text without parsing it all; null: none. Pure. */
export function encodeCodecOf(paramsJson: string | null | undefined): string | null {
  if (!paramsJson || !paramsJson.includes('"codec"')) return null;
  return ENCODE_CODEC.exec(paramsJson)?.[1] ?? null;
}

/**
 * Job types whose encodes DECODE on the GPU (NVDEC, then a software encode) on a card without NVENC
 * whose start-up measurement chose that (processors/media/gpu-decode-choice.ts). Every other
 * gpu_encode type (compilations, clip renders, segment children) only encodes, so on such a card it
 * runs in software: not placed on a GPU, reserving no VRAM. Keep in step with the processors that
 * plan an `nvdec_software` step (transcode/gpu-variants.ts, reencode-streaming's fullGpu option).
 */
export const NVDEC_DECODING_JOB_TYPES: ReadonlySet<string> = new Set(['transcode', 'reencode_streaming']);

/** Whether a job of `type` uses NVDEC on a decode-only card (see NVDEC_DECODING_JOB_TYPES). Pure. */
export function decodesOnGpu(type: string): boolean {
  return NVDEC_DECODING_JOB_TYPES.has(type);
}

/**
 * Job types whose encode always runs in software: the parts of a segmented encode (their chunks use
 * the software encoder whatever the node has). They take no GPU, no VRAM and no NVENC session.
 */
export const SOFTWARE_ENCODE_JOB_TYPES: ReadonlySet<string> = new Set(['encode_chunk', 'encode_audio']);

/** Whether a job of `type` always encodes in software (SOFTWARE_ENCODE_JOB_TYPES). Pure. */
export function encodesInSoftware(type: string): boolean {
  return SOFTWARE_ENCODE_JOB_TYPES.has(type);
}

/**
 * Whether `gpu` could EVER take this encode (what the card can do, not what is free now): it has
 * NVENC and its probe passed for the codec, or it only decodes and the job decodes on the GPU.
 */
export function gpuCanTakeEncode(gpu: GpuSlot, request: Pick<GpuPlacementRequest, 'codec' | 'decodesOnGpu'>): boolean {
  if (!gpu.encodeSupported) return false;
  if (gpu.decodeOnly === true) return request.decodesOnGpu !== false;
  return !gpu.encodeCodecs || gpu.encodeCodecs.includes(request.codec ?? 'h264');
}

/**
 * Whether an encode runs in software on this node: its type always does, or no GPU here could ever
 * take it. Such a job gets no GPU, no VRAM, no session — it must not wait for a GPU that will never
 * encode it (an AV1 transcode on cards without AV1 NVENC, a segmented encode's chunks). A job that
 * asked for a GPU (params.gpu / gpuModel) is not moved to software behind the user's back: it waits
 * with the GPU's reason, which says what to change. Pure.
 */
export function encodesInSoftwareHere(gpus: readonly GpuSlot[], request: GpuPlacementRequest & { readonly softwareOnly?: boolean }): boolean {
  if (gpus.length === 0 || request.category !== 'gpu_encode') return false;
  if (request.softwareOnly === true) return true;
  const pinned = (request.gpu !== undefined && request.gpu !== null) || Boolean(request.gpuModel);
  return !pinned && !gpus.some((g) => gpuCanTakeEncode(g, request));
}

/** The answer to re-placing a running attempt on another GPU (the pipeline's "NVENC on another GPU" step). */
export type GpuMoveResult = { readonly moved: true; readonly gpuIndex: number; readonly gpuUuid: string | null } | { readonly moved: false; readonly reason: string };

/** The job being moved, as the store read it (under its fence). */
export interface MovingJob {
  readonly category: ResourceCategory;
  readonly vramReserved: number;
  readonly gpuIndex: number | null;
  readonly codec: string | null;
}

/**
 * Why a running job may not move to `target` now, or null when it may: the rule of placement at
 * dispatch (gpuRefusal: not blocked, its VRAM under the target's budget minus what is reserved
 * there, a free NVENC session under the cap, the codec probed) against what the store AND this
 * process see on the target (the larger of each, as a claim does), the job itself not counted
 * (it is not there yet). Pure.
 */
export function moveRefusal(target: GpuSlot, job: MovingJob, storeUse: GpuUse, localUse: GpuUse | undefined): string | null {
  if (job.gpuIndex === target.index) return `already on GPU ${target.index}`;
  const use = localUse ? { reservedMb: Math.max(storeUse.reservedMb, localUse.reservedMb), jobs: Math.max(storeUse.jobs, localUse.jobs), encodes: Math.max(storeUse.encodes, localUse.encodes) } : storeUse;
  // a decode-only target encodes in software: moving an NVENC step there makes no sense
  if (job.category === 'gpu_encode' && target.decodeOnly === true) return `GPU ${target.index}: ${target.name} has no NVENC`;
  return gpuRefusal(target, use, { category: job.category, needMb: job.vramReserved, codec: job.codec });
}
