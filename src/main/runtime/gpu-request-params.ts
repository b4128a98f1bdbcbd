/**
 * A job's GPU request in its params (#18): `gpu` (the nvidia-smi index of the card it must run on)
 * and `gpuModel` (a case-insensitive substring of the card's name), read by placement
 * (core/gpu-placement.ts gpuRequestOf). Every job type that runs on a GPU accepts them beside its
 * own params, whose schemas are strict (an unknown key is refused), so they are taken out before the
 * type's schema runs and checked here. Pure.
 */
import { z } from 'zod';

export const gpuRequestSchema = z.object({
  gpu: z.number().int().min(0).max(63).optional().describe('The index (as nvidia-smi numbers it) of the GPU the job must run on'),
  gpuModel: z.string().trim().min(1).max(100).optional().describe('A case-insensitive substring of the name of the GPU the job must run on'),
});

export type GpuRequestParams = z.infer<typeof gpuRequestSchema>;

/** `params` without `gpu`/`gpuModel`, and those two checked; params that are not an object are left to the type's schema. */
export function splitGpuRequest(params: unknown): { readonly rest: unknown; readonly request: z.ZodSafeParseResult<GpuRequestParams> } {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return { rest: params, request: gpuRequestSchema.safeParse({}) };
  const { gpu, gpuModel, ...rest } = params as Record<string, unknown>;
  const asked = { ...(gpu !== undefined ? { gpu } : {}), ...(gpuModel !== undefined ? { gpuModel } : {}) };
  return { rest, request: gpuRequestSchema.safeParse(asked) };
}
