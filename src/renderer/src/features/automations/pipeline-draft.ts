/**
 * The editor's working copy of a pipeline document and the pure edits on it: the form and the JSON
 * tab edit the same draft (the JSON tab as text, parsed back when it is left or saved), and the
 * server's field errors (dotted paths such as `steps.1.after.step`) are found again under the part
 * of the form that shows them.
 */
import type { Pipeline } from '../../../../shared/contracts/pipeline';
import type { PipelineDocument, PipelineStep, PipelineTrigger, StepOutcome } from '../../../../shared/domain/pipeline';
import type { JobType } from '../../../../shared/domain/job-types';
import { jsonSyntaxError, type JsonSyntaxError } from '../../lib/json-error';

export type Draft = PipelineDocument;
export type { FieldErrors } from '../../lib/settings-save';
import { unplacedErrorsOf, type FieldErrors } from '../../lib/settings-save';

export const TRIGGER_TYPES: ReadonlyArray<{ value: PipelineTrigger['type']; label: string }> = [
  { value: 'file_added', label: 'A file is added to the library' },
  { value: 'schedule', label: 'On a schedule (cron, local time)' },
  { value: 'job_completed', label: 'A job of a type completes' },
  { value: 'manual', label: 'Only when run by hand' },
];

export const OUTCOME_LABELS: Readonly<Record<StepOutcome, string>> = { success: 'on success', failure: 'on failure', always: 'always' };

/** The placeholders a step's params may use (validated by the server where they are used). */
export const PLACEHOLDERS = ['{{video.id}}', '{{video.path}}', '{{video.filename}}', '{{video.stem}}', '{{video.folder}}', '{{previous.jobId}}', '{{previous.outputVideoId}}', '{{run.id}}', '{{pipeline.name}}'];

export function draftOf(p: Pipeline): Draft {
  return { name: p.name, description: p.description, trigger: p.trigger, conditions: p.conditions, steps: p.steps, repeatAfterDays: p.repeatAfterDays };
}

/** Key order fixed, so two documents compare by content. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function sameDocument(a: Draft, b: Draft): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export function draftToJson(draft: Draft): string {
  return JSON.stringify(draft, null, 2);
}

export type ParsedDraft = { readonly ok: true; readonly draft: Draft } | { readonly ok: false; readonly syntax: JsonSyntaxError | null; readonly message: string };

/**
 * The JSON tab's text as a draft. Only the shape the form needs is checked here (an object with a
 * trigger and a list of steps); everything else is the server's to judge, field by field.
 */
export function parseDraftJson(text: string): ParsedDraft {
  const syntax = jsonSyntaxError(text);
  if (syntax) return { ok: false, syntax, message: `Line ${syntax.line}, column ${syntax.column}: ${syntax.message}` };
  const value = JSON.parse(text) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, syntax: null, message: 'The pipeline must be a JSON object ({"name": …, "trigger": …, "steps": […]}).' };
  const doc = value as Record<string, unknown>;
  const trigger = doc.trigger as { type?: unknown } | undefined;
  if (!trigger || typeof trigger !== 'object' || typeof trigger.type !== 'string') return { ok: false, syntax: null, message: 'The pipeline needs a "trigger" object with a "type".' };
  if (!Array.isArray(doc.steps) || doc.steps.some((s) => !s || typeof s !== 'object' || Array.isArray(s))) return { ok: false, syntax: null, message: 'The pipeline needs "steps": a list of step objects.' };
  return {
    ok: true,
    draft: {
      name: typeof doc.name === 'string' ? doc.name : '',
      description: typeof doc.description === 'string' ? doc.description : '',
      conditions: (doc.conditions as Draft['conditions'] | undefined) ?? { all: [] },
      repeatAfterDays: (doc.repeatAfterDays as number | null | undefined) ?? null,
      ...doc,
    } as Draft,
  };
}

/** A trigger of another type, keeping what the user can keep. */
export function triggerOfType(type: PipelineTrigger['type'], previous: PipelineTrigger): PipelineTrigger {
  if (type === previous.type) return previous;
  if (type === 'schedule') return { type, cron: '0 3 * * *' };
  if (type === 'job_completed') return { type, jobType: 'scan' };
  if (type === 'file_added') return { type };
  return { type: 'manual' };
}

export function triggerSummary(trigger: PipelineTrigger): string {
  switch (trigger.type) {
    case 'manual':
      return 'Manual';
    case 'file_added':
      return trigger.folders?.length ? `New file in ${trigger.folders.join(', ')}` : 'New file';
    case 'schedule':
      return `Schedule ${trigger.cron}`;
    case 'job_completed':
      return `After ${trigger.jobType}`;
  }
}

// ---- steps ----

function freeId(steps: readonly PipelineStep[], base: string): string {
  const taken = new Set(steps.map((s) => s.id));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}

/** A new step after the last one (on its success), working on the video the run is about. */
export function addStep(steps: readonly PipelineStep[], type: JobType = 'validate'): PipelineStep[] {
  const last = steps.at(-1);
  const step: PipelineStep = { id: freeId(steps, type), type, params: { videoId: '{{video.id}}' }, ...(last ? { after: { step: last.id, on: 'success' as const } } : {}) };
  return [...steps, step];
}

export function updateStep(steps: readonly PipelineStep[], index: number, next: PipelineStep): PipelineStep[] {
  const old = steps[index]!;
  return steps.map((s, i) => {
    if (i === index) return next;
    // a renamed step keeps the steps that came after it
    if (old.id !== next.id && s.after?.step === old.id) return { ...s, after: { ...s.after, step: next.id } };
    return s;
  });
}

/** Removes a step; the steps that came after it now come after its own predecessor (or start the run). */
export function removeStep(steps: readonly PipelineStep[], index: number): PipelineStep[] {
  const gone = steps[index]!;
  return steps
    .filter((_, i) => i !== index)
    .map((s) => {
      if (s.after?.step !== gone.id) return s;
      const { after: _after, ...rest } = s;
      return gone.after ? { ...rest, after: gone.after } : rest;
    });
}

// ---- params as key / value rows ----

/** A value as typed in a row: JSON when it reads as a number, true/false/null, a list or an object; text otherwise. */
export function parseParamValue(text: string): unknown {
  const t = text.trim();
  if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(t) || /^[[{]/.test(t)) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export function formatParamValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// ---- server errors ----

/** The errors at `path` or below it. */
export function errorsUnder(errors: FieldErrors, path: string): Array<[string, string]> {
  return Object.entries(errors).filter(([p]) => p === path || p.startsWith(`${path}.`));
}

/** The first error at `path` or below it (for one input). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  return errorsUnder(errors, path)[0]?.[1];
}

const PLACED = /^(name|description|trigger|conditions|steps|repeatAfterDays)(\.|$)/;

/** Errors no part of the form shows (a path the form has no place for): said above it. */
export function unplacedErrors(errors: FieldErrors): string[] {
  return unplacedErrorsOf(errors, PLACED);
}
