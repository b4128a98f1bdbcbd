/** Shared by both adapters' claims: per-GPU usage from grouped rows, and a candidate's GPU request. */
import type { ResourceCategory } from '../../shared/domain/statuses';
import { encodeCodecOf, gpuRequestOf, NO_GPU_USE, type GpuUse } from '../core/gpu-placement';

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
export function candidateGpuRequest(paramsJson: string | null | undefined): { gpu?: number; gpuModel?: string; codec?: string } {
  const codec = encodeCodecOf(paramsJson);
  const withCodec = codec !== null ? { codec } : {};
  if (!paramsJson || !paramsJson.includes('"gpu')) return withCodec;
  try {
    const { gpu, gpuModel } = gpuRequestOf(JSON.parse(paramsJson) as Record<string, unknown>);
    return { ...(gpu !== null ? { gpu } : {}), ...(gpuModel !== null ? { gpuModel } : {}), ...withCodec };
  } catch {
    return withCodec;
  }
}
