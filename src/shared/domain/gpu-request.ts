/**
 * A job's GPU request in its params (#18): `gpu` (the nvidia-smi index of the card it must run on)
 * and `gpuModel` (a case-insensitive substring of the card's name), read by placement
 * (core/gpu-placement.ts gpuRequestOf). Every job type that runs on a GPU accepts them beside its
 * own params, whose schemas are strict (an unknown key is refused), so they are taken out before the
 * type's schema runs and checked here. One rule for the create API (runtime/create-job.ts) and for
 * pipeline steps (domain/pipeline.ts), so both accept and refuse alike. Pure.
 */
import { z } from 'zod';
import type { ResourceCategory } from './statuses';

export const gpuRequestSchema = z.object({
  gpu: z.number().int().min(0).max(63).optional().describe('The index (as nvidia-smi numbers it) of the GPU the job must run on'),
  gpuModel: z.string().trim().min(1).max(100).optional().describe('A case-insensitive substring of the name of the GPU the job must run on'),
});

export type GpuRequestParams = z.infer<typeof gpuRequestSchema>;

/** A CPU job type has no GPU to pin: say so, rather than the strict schema's bare "Unrecognized key". */
function makeCpuRefusal(type: string) {
  const error = `only GPU job types can ask for a GPU; ${type} runs on the CPU`;
  return z.object({ gpu: z.never({ error }).optional(), gpuModel: z.never({ error }).optional() });
}

/** Built once per job type: zod compiles a schema on its first parse, and every create of a CPU type needs one (a profile of the create path found ~6 % of its CPU building them). */
const cpuRefusals = new Map<string, ReturnType<typeof makeCpuRefusal>>();
function cpuRefusal(type: string) {
  let schema = cpuRefusals.get(type);
  if (!schema) cpuRefusals.set(type, (schema = makeCpuRefusal(type)));
  return schema;
}

/**
 * `params` without `gpu`/`gpuModel`, and those two checked for a job type of `category`: a GPU type's
 * request parsed, a CPU type's refused. Params that are not an object are left to the type's schema.
 */
export function splitGpuRequest(params: unknown, category: ResourceCategory, type: string): { readonly rest: unknown; readonly request: z.ZodSafeParseResult<GpuRequestParams> } {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return { rest: params, request: gpuRequestSchema.safeParse({}) };
  const { gpu, gpuModel, ...rest } = params as Record<string, unknown>;
  const asked = { ...(gpu !== undefined ? { gpu } : {}), ...(gpuModel !== undefined ? { gpuModel } : {}) };
  return { rest, request: category === 'cpu' ? cpuRefusal(type).safeParse(asked) : gpuRequestSchema.safeParse(asked) };
}
