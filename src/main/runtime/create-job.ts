/**
 * Create rules: the category and default VRAM come from the job type; a client may raise the VRAM
 * need but not lower it below the type's default, nor above what the best node of the fleet that
 * runs the category could ever give (core/vram-ceiling.ts); a category that contradicts the type is
 * refused; params are validated with the type's schema, defaults filled in.
 */
import type { z } from 'zod';
import { AppError } from '../../shared/contracts/errors';
import { createJobInputSchema } from '../../shared/contracts/job';
import { newJobId } from '../../shared/domain/job-ids';
import type { JobType, JobTypeDefinition } from '../../shared/domain/job-types';
import { DEFAULT_MAX_RETRIES, type ResourceCategory } from '../../shared/domain/statuses';
import type { NewJob } from '../core/ports';
import { zodIssuesToDetails } from './validation';
import { splitGpuRequest } from './gpu-request-params';

export type JobTypeCatalog = Readonly<Record<string, JobTypeDefinition>>;

export function buildNewJob(
  input: z.infer<typeof createJobInputSchema>,
  catalog: JobTypeCatalog,
  /** The most VRAM a job of the category may ask for, and where; null: no ceiling. */
  vramCeilingFor: (category: ResourceCategory) => { readonly mb: number; readonly nodeId: string } | null,
  now: number,
  createdBy: string | null = null,
): NewJob {
  const definition = Object.hasOwn(catalog, input.type) ? catalog[input.type] : undefined;
  if (!definition) {
    throw new AppError('UNKNOWN_JOB_TYPE', `Unknown job type "${input.type}".`, { knownTypes: Object.keys(catalog) });
  }
  if (input.resourceCategory !== undefined && input.resourceCategory !== definition.category) {
    throw new AppError(
      'CATEGORY_MISMATCH',
      `Jobs of type ${input.type} use the ${definition.category} category, not ${input.resourceCategory}.`,
      { expected: definition.category, got: input.resourceCategory },
    );
  }
  const vramRequired = input.vramRequired ?? definition.defaultVramMb;
  if (vramRequired < definition.defaultVramMb) {
    throw new AppError(
      'VRAM_OUT_OF_RANGE',
      `vramRequired may raise the default of ${definition.defaultVramMb} MB for ${input.type}, not lower it (got ${vramRequired}).`,
      { minimum: definition.defaultVramMb, got: vramRequired },
    );
  }
  const ceiling = definition.category === 'cpu' ? null : vramCeilingFor(definition.category);
  if (ceiling !== null && vramRequired > ceiling.mb) {
    throw new AppError(
      'VRAM_OUT_OF_RANGE',
      `vramRequired of ${vramRequired} MB is more than any online node could ever give: the largest VRAM budget is ${ceiling.mb} MB (node ${ceiling.nodeId}).`,
      { maximum: ceiling.mb, nodeId: ceiling.nodeId, got: vramRequired },
    );
  }
  // a GPU job may ask for its GPU (params.gpu / params.gpuModel, gpu-request-params.ts) beside the type's own params; a CPU job is told it cannot
  const gpuAsk = splitGpuRequest(input.params, definition.category, input.type);
  if (!gpuAsk.request.success) {
    throw new AppError('VALIDATION_FAILED', `Invalid params for ${input.type}: ${gpuAsk.request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      issues: zodIssuesToDetails(gpuAsk.request.error, ['params']),
    });
  }
  const parsed = definition.paramsSchema.safeParse(gpuAsk.rest);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `Invalid params for ${input.type}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`, {
      issues: zodIssuesToDetails(parsed.error, ['params']),
    });
  }
  return {
    id: newJobId(), // time-ordered (UUIDv7): new ids land together in the stores' UNIQUE index
    type: input.type as JobType,
    params: definition.category === 'cpu' ? parsed.data : { ...parsed.data, ...gpuAsk.request.data },
    priority: input.priority,
    resourceCategory: definition.category,
    vramRequired,
    maxRetries: input.maxRetries ?? DEFAULT_MAX_RETRIES,
    createdAt: now,
    createdBy,
  };
}
