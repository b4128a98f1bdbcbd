/** Shared by both adapters' claims: per-GPU usage from grouped rows, and a candidate's GPU request. */
import type { ResourceCategory } from '../../shared/domain/statuses';
import { decodesOnGpu, encodeCodecOf, encodesInSoftware, gpuRequestOf, NO_GPU_USE, type GpuUse } from '../core/gpu-placement';

/** Adds a usage row (live jobs of one category on one GPU) to the per-GPU usage. */
export function addGpuUsage(gpus: Record<number, GpuUse>, index: number, category: ResourceCategory, jobs: number, reservedMb: number): void {
  const use = gpus[index] ?? NO_GPU_USE;
  gpus[index] = { reservedMb: use.reservedMb + reservedMb, jobs: use.jobs + jobs, encodes: use.encodes + (category === 'gpu_encode' ? jobs : 0) };
}

/**
 * A candidate's `gpu` / `gpuModel` from its params' JSON text: parsed only when the text names one
 * (most jobs do not; parsing every candidate's params would cost the claim for nothing); and the
 * `codec` an encode writes (placement sends it only to a GPU whose NVENC probe passed for it).
 */
export function candidateGpuRequest(paramsJson: string | null | undefined, type?: string, category?: string): { gpu?: number; gpuModel?: string; codec?: string; decodesOnGpu?: false; softwareOnly?: true } {
  const codec = encodeCodecOf(paramsJson);
  // an encode whose type does not decode on the GPU (core/gpu-placement.ts NVDEC_DECODING_JOB_TYPES)
  const encodeOnly = category === 'gpu_encode' && type !== undefined && !decodesOnGpu(type);
  // a segmented encode's parts always encode in software (SOFTWARE_ENCODE_JOB_TYPES)
  const software = category === 'gpu_encode' && type !== undefined && encodesInSoftware(type);
  const withCodec = { ...(codec !== null ? { codec } : {}), ...(encodeOnly ? { decodesOnGpu: false as const } : {}), ...(software ? { softwareOnly: true as const } : {}) };
  if (!paramsJson || !paramsJson.includes('"gpu')) return withCodec;
  try {
    const { gpu, gpuModel } = gpuRequestOf(JSON.parse(paramsJson) as Record<string, unknown>);
    return { ...(gpu !== null ? { gpu } : {}), ...(gpuModel !== null ? { gpuModel } : {}), ...withCodec };
  } catch {
    return withCodec;
  }
}
