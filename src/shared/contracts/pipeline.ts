/**
 * Boundary shapes of pipelines (/api/media/pipelines …): the stored document with its versions and
 * run counts, runs with their steps and jobs, the dry run's verdict per video, and templates.
 */
import { z } from 'zod';
import { uuidOf } from '../domain/id-schemas';
import { conditionGroupSchema } from '../domain/pipeline-conditions';
import { checkPipelineDocument, pipelineDocumentShape, pipelineStepSchema, pipelineTriggerSchema, STEP_OUTCOMES } from '../domain/pipeline';
import { jobStatusSchema, jobTypeSchema, paginationSchema } from './job';

export const pipelineIdSchema = uuidOf('pipeline');
export const pipelineRunIdSchema = uuidOf('pipeline run');

export const RUN_STATUS_VALUES = ['running', 'completed', 'failed', 'cancelled'] as const;
export const STEP_STATE_VALUES = ['waiting', 'running', 'completed', 'failed', 'cancelled', 'skipped'] as const;
export const RUN_TRIGGER_VALUES = ['manual', 'file_added', 'schedule', 'job_completed'] as const;
export const SKIP_KINDS = ['missing', 'condition', 'own_output', 'processed', 'unreadable'] as const;

const iso = z.string();
const runCountsSchema = z.object({ running: z.number().int(), completed: z.number().int(), failed: z.number().int(), cancelled: z.number().int() });

export const pipelineSchema = z.object({
  id: pipelineIdSchema,
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  /** Bumped by every update; PUT must carry the version it edits (409 VERSION_CONFLICT otherwise). */
  version: z.number().int(),
  /** The version at which the steps last changed: content processed by an older steps version may run again. */
  stepsVersion: z.number().int(),
  trigger: pipelineTriggerSchema,
  conditions: conditionGroupSchema,
  steps: z.array(pipelineStepSchema),
  repeatAfterDays: z.number().int().nullable(),
  createdAt: iso,
  updatedAt: iso,
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  runs: runCountsSchema,
  lastRunAt: iso.nullable(),
  lastRunStatus: z.enum(RUN_STATUS_VALUES).nullable(),
});
export type Pipeline = z.infer<typeof pipelineSchema>;

export const pipelineListSchema = z.object({ data: z.array(pipelineSchema) });

export const pipelineIdInputSchema = z.strictObject({ id: pipelineIdSchema });

/**
 * Create: a whole document, or `template` (a built-in template's id) with any fields to change
 * (name, enabled …). The document is validated as a whole once the template is applied.
 */
export const createPipelineInputSchema = z.strictObject({
  template: z.string().min(1).max(100).optional().describe('A built-in template id (GET /api/media/pipeline-templates); other fields override its document'),
  enabled: z.boolean().default(false),
  name: z.string().optional(),
  description: z.string().optional(),
  trigger: pipelineTriggerSchema.optional(),
  conditions: conditionGroupSchema.optional(),
  steps: z.array(pipelineStepSchema).optional(),
  repeatAfterDays: z.number().int().min(1).max(3650).nullable().optional(),
});

/** Update (PUT): the whole document, the enabled switch and the version it edits. */
export const updatePipelineInputSchema = z
  .strictObject({ id: pipelineIdSchema, version: z.number().int().min(1), enabled: z.boolean(), ...pipelineDocumentShape })
  .superRefine(checkPipelineDocument);

export const deletePipelineOutputSchema = z.object({ id: pipelineIdSchema, deleted: z.literal(true) });

export const pipelineRunInputSchema = z.strictObject({
  id: pipelineIdSchema,
  /** Only these videos; absent: the whole library. */
  videoIds: z.array(uuidOf('video')).min(1).max(10_000).optional(),
  /** Run even where the loop breaker would skip (content processed already, the pipeline's own output). */
  force: z.boolean().default(false),
});

const skippedSchema = z.object({ videoId: z.string(), path: z.string(), kind: z.enum(SKIP_KINDS), reason: z.string() });

export const dryRunSchema = z.object({
  pipelineId: pipelineIdSchema,
  version: z.number().int(),
  stepsVersion: z.number().int(),
  evaluated: z.number().int(),
  /** How long the evaluation took, ms. */
  tookMs: z.number(),
  /** The steps a run would start with, and the ones whose `if` holds on the video as it is now (later steps see the results of earlier ones). */
  wouldRun: z.array(z.object({ videoId: z.string(), path: z.string(), steps: z.array(z.string()) })),
  skipped: z.array(skippedSchema),
});
export type DryRun = z.infer<typeof dryRunSchema>;

export const pipelineRunStepSchema = z.object({
  id: z.string(),
  type: jobTypeSchema,
  after: z.object({ step: z.string(), on: z.enum(STEP_OUTCOMES) }).nullable(),
  state: z.enum(STEP_STATE_VALUES),
  /** Why it was skipped (its `if`, or its branch not taken) or failed before a job existed. */
  reason: z.string().nullable(),
  jobId: z.string().nullable(),
  /** The job's status now (null before it exists, or when retention removed it). */
  jobStatus: jobStatusSchema.nullable(),
  jobError: z.string().nullable(),
  parentJobId: z.string().nullable(),
  outputVideoId: z.string().nullable(),
  startedAt: iso.nullable(),
  endedAt: iso.nullable(),
});

export const pipelineRunSchema = z.object({
  id: pipelineRunIdSchema,
  pipelineId: pipelineIdSchema,
  /** The pipeline's name now (null once it was deleted). */
  pipelineName: z.string().nullable(),
  pipelineVersion: z.number().int(),
  videoId: z.string(),
  /** The video's path now (null once it left the library). */
  videoPath: z.string().nullable(),
  trigger: z.enum(RUN_TRIGGER_VALUES),
  triggerDetail: z.string().nullable(),
  forced: z.boolean(),
  status: z.enum(RUN_STATUS_VALUES),
  createdAt: iso,
  updatedAt: iso,
  endedAt: iso.nullable(),
  durationMs: z.number().int().nullable(),
  steps: z.array(pipelineRunStepSchema),
});
export type PipelineRun = z.infer<typeof pipelineRunSchema>;

export const pipelineRunListInputSchema = z.strictObject({
  id: pipelineIdSchema,
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  status: z.enum(RUN_STATUS_VALUES).optional(),
});
export const pipelineRunListSchema = z.object({ data: z.array(pipelineRunSchema), pagination: paginationSchema });

export const pipelineRunIdInputSchema = z.strictObject({ id: pipelineRunIdSchema });

export const runPipelineOutputSchema = z.object({
  pipelineId: pipelineIdSchema,
  started: z.array(z.object({ runId: pipelineRunIdSchema, videoId: z.string(), path: z.string() })),
  skipped: z.array(skippedSchema),
});

export const pipelineTemplateListSchema = z.object({
  data: z.array(z.object({ id: z.string(), name: z.string(), description: z.string(), trigger: pipelineTriggerSchema, conditions: conditionGroupSchema, steps: z.array(pipelineStepSchema), repeatAfterDays: z.number().int().nullable() })),
});
