/**
 * A pipeline: a named, stored, versioned document that says WHEN it runs (trigger), on WHICH
 * videos (conditions) and WHAT it does (steps). Steps are ordinary jobs; each may come `after`
 * another step (on its success, failure or either), so the steps form a small DAG with failure
 * branches; a step may have its own `if` conditions, evaluated on the video when the step is reached
 * (a step skipped by its `if` counts as succeeded for the steps after it: it had nothing to do).
 *
 * Validation says which step and field is wrong: step ids unique, `after` naming a known step and
 * no cycle, placeholders known and available where used, and each step's params valid for its job
 * type once sample values stand in for the placeholders.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { isSegmentChild, JOB_TYPES, JOB_TYPE_CATALOG } from './job-types';
import { splitGpuRequest } from './gpu-request';
import { conditionGroupSchema } from './pipeline-conditions';
import { placeholderProblem, placeholdersIn, samplePlaceholderValues, substitutePlaceholders } from './pipeline-placeholders';
import { libraryRelativePath } from './job-params';

export const STEP_OUTCOMES = ['success', 'failure', 'always'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/** A 5-field cron expression (minute hour day-of-month month day-of-week), or 6 with seconds first; local time. */
export const cronExpression = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((expression, ctx) => {
    try {
      new Cron(expression, { paused: true, mode: '5-or-6-parts' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a cron expression (minute hour day-of-month month day-of-week, local time): ${error instanceof Error ? error.message : String(error)}` });
    }
  });

/**
 * A job type a user may name: encode_chunk and encode_audio are the parts of a segmented encode
 * (#20), made by their parent's plan with its work folder and cut points, never by hand.
 */
function userJobType(why: string) {
  return z.enum(JOB_TYPES).refine((t) => !isSegmentChild(t), { message: why });
}

export const pipelineTriggerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('manual') }),
  z.strictObject({
    type: z.literal('file_added'),
    /** Library-relative folders ("inbox", "videos/incoming"); a file in one of them or below. Absent: anywhere in the library. */
    folders: z.array(libraryRelativePath).min(1).max(20).optional(),
  }),
  z.strictObject({ type: z.literal('schedule'), cron: cronExpression }),
  z.strictObject({ type: z.literal('job_completed'), jobType: userJobType('the parts of a segmented encode are not jobs of their own to trigger on; use its transcode or reencode_streaming job') }),
]);
export type PipelineTrigger = z.infer<typeof pipelineTriggerSchema>;

export const STEP_ID = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

export const pipelineStepSchema = z.strictObject({
  id: z.string().regex(STEP_ID, 'a step id is a letter then letters, digits, _ or - (at most 40)'),
  type: userJobType('encode_chunk and encode_audio are the parts of a segmented transcode or re-encode; use a transcode or reencode_streaming step with `segments` instead'),
  /** The job's params; strings may hold placeholders ({{video.id}}, {{previous.outputVideoId}} …). */
  params: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("The step job's params, as the create API takes them (a GPU job type also takes gpu / gpuModel to pin its GPU); strings may hold placeholders"),
  /** Runs when that step has ended this way; absent: runs when the run starts. */
  after: z.strictObject({ step: z.string().min(1), on: z.enum(STEP_OUTCOMES).default('success') }).optional(),
  /** Evaluated on the video when the step is reached; false: the step is skipped (its successors go on). */
  if: conditionGroupSchema.optional(),
  priority: z.number().int().min(1).max(10).optional(),
  maxRetries: z.number().int().min(0).max(20).optional(),
});
export type PipelineStep = z.infer<typeof pipelineStepSchema>;

/** The versioned document (everything but the enabled switch, which changes no version). */
export const pipelineDocumentShape = {
  name: z.string().trim().min(1, 'a pipeline needs a name').max(100),
  description: z.string().max(2000).default(''),
  trigger: pipelineTriggerSchema,
  conditions: conditionGroupSchema.default({ all: [] }),
  steps: z.array(pipelineStepSchema).min(1, 'a pipeline needs at least one step').max(25),
  /** The same content may run again this many days after it last ran (a periodic check); null: never again unless forced. */
  repeatAfterDays: z.number().int().min(1).max(3650).nullable().default(null),
};

type DocumentLike = { readonly steps: readonly PipelineStep[] };

/** The ids of the steps `step` comes after, nearest first (stops at a cycle or an unknown step). */
export function ancestorsOf(steps: readonly PipelineStep[], stepId: string): string[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const out: string[] = [];
  let current = byId.get(stepId)?.after?.step;
  while (current !== undefined && byId.has(current) && !out.includes(current) && current !== stepId) {
    out.push(current);
    current = byId.get(current)!.after?.step;
  }
  return out;
}

/** The graph and params checks, shared by every schema that carries a pipeline document. */
export function checkPipelineDocument(doc: DocumentLike, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  doc.steps.forEach((step, i) => {
    if (seen.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `step id "${step.id}" is used twice (steps ${seen.get(step.id)! + 1} and ${i + 1})` });
    else seen.set(step.id, i);
  });
  let graphOk = true;
  doc.steps.forEach((step, i) => {
    const parent = step.after?.step;
    if (parent === undefined) return;
    if (!seen.has(parent)) {
      graphOk = false;
      ctx.addIssue({ code: 'custom', path: ['steps', i, 'after', 'step'], message: `step "${step.id}" runs after "${parent}", which is not a step of this pipeline (steps: ${[...seen.keys()].join(', ')})` });
      return;
    }
    const cycle = cycleFrom(doc.steps, step.id);
    if (cycle) {
      graphOk = false;
      ctx.addIssue({ code: 'custom', path: ['steps', i, 'after', 'step'], message: `steps run after each other in a circle: ${cycle.join(' → ')}` });
    }
  });
  if (!graphOk) return;
  doc.steps.forEach((step, i) => checkStepParams(doc.steps, step, i, ctx));
}

function cycleFrom(steps: readonly PipelineStep[], start: string): string[] | null {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const path = [start];
  let current = byId.get(start)?.after?.step;
  while (current !== undefined) {
    if (current === start) return [...path, start];
    if (path.includes(current)) return null; // a cycle further up, reported from its own steps
    path.push(current);
    current = byId.get(current)?.after?.step;
  }
  return null;
}

function checkStepParams(steps: readonly PipelineStep[], step: PipelineStep, i: number, ctx: z.RefinementCtx): void {
  const label = `step "${step.id}" (${step.type})`;
  const ancestors = ancestorsOf(steps, step.id);
  let placeholdersOk = true;
  for (const { name, path } of placeholdersIn(step.params)) {
    const problem = placeholderProblem(name, ancestors);
    if (problem) {
      placeholdersOk = false;
      ctx.addIssue({ code: 'custom', path: ['steps', i, 'params', ...path], message: `${label}: ${problem}` });
    }
  }
  if (!placeholdersOk) return;
  const definition = JOB_TYPE_CATALOG[step.type];
  // gpu / gpuModel (#18) under the create API's rule: a GPU step may pin its GPU, a CPU step is told it cannot
  const { rest, request } = splitGpuRequest(substitutePlaceholders(step.params, samplePlaceholderValues(ancestors)), definition.category, step.type);
  const parsed = definition.paramsSchema.safeParse(rest);
  const issues = [...(request.success ? [] : request.error.issues), ...(parsed.success ? [] : parsed.error.issues)];
  for (const issue of issues) {
    const field = issue.path.length > 0 ? `params.${issue.path.join('.')}` : 'params';
    ctx.addIssue({ code: 'custom', path: ['steps', i, 'params', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: `${label}: ${field}: ${issue.message}` });
  }
}

export const pipelineDocumentSchema = z.strictObject(pipelineDocumentShape).superRefine(checkPipelineDocument);
export type PipelineDocument = z.infer<typeof pipelineDocumentSchema>;
export type PipelineDocumentInput = z.input<typeof pipelineDocumentSchema>;
