/**
 * The create-job form's logic, from the shared job-type catalog: which types need videos, the
 * default parameters of a type (the schema's own defaults, found with safeParse), and validation
 * of the JSON the user edited, with errors per field.
 */
import { JOB_TYPE_CATALOG, JOB_TYPES, type JobType } from '../../../../shared/domain/job-types';
import { RESOURCE_CATEGORIES, type ResourceCategory } from '../../../../shared/domain/statuses';

export type VideoInput = 'none' | 'single' | 'multiple';

/** A syntactically valid UUID used only to let the schema fill its defaults. */
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

/** Whether a type takes `videoId`, `videoIds`, or neither (read from what its schema requires). */
export function videoInputOf(type: JobType): VideoInput {
  const result = JOB_TYPE_CATALOG[type].paramsSchema.safeParse({});
  if (result.success) return 'none';
  const fields = new Set(result.error.issues.map((i) => String(i.path[0] ?? '')));
  if (fields.has('videoIds')) return 'multiple';
  if (fields.has('videoId')) return 'single';
  return 'none';
}

/** Least and most videos a multi-video type takes (compile_quad: exactly 4). */
export function videoCountOf(type: JobType): { min: number; max: number } {
  const schema = JOB_TYPE_CATALOG[type].paramsSchema;
  let min = 1;
  while (min < 10 && !schema.safeParse({ videoIds: Array(min).fill(PLACEHOLDER_ID) }).success) min += 1;
  let max = min;
  while (max < 100 && schema.safeParse({ videoIds: Array(max + 1).fill(PLACEHOLDER_ID) }).success) max += 1;
  return { min, max };
}

/** The type's parameters with every default filled in, and the chosen video(s) if any. */
export function defaultParams(type: JobType, videoIds: readonly string[] = []): Record<string, unknown> {
  const schema = JOB_TYPE_CATALOG[type].paramsSchema;
  const input = videoInputOf(type);
  if (input === 'none') {
    const parsed = schema.safeParse({});
    return parsed.success ? parsed.data : {};
  }
  if (input === 'single') {
    const parsed = schema.safeParse({ videoId: PLACEHOLDER_ID });
    const params: Record<string, unknown> = parsed.success ? { ...parsed.data } : { videoId: '' };
    params.videoId = videoIds[0] ?? '';
    return params;
  }
  const { min } = videoCountOf(type);
  const parsed = schema.safeParse({ videoIds: Array(min).fill(PLACEHOLDER_ID) });
  const params: Record<string, unknown> = parsed.success ? { ...parsed.data } : {};
  params.videoIds = [...videoIds];
  return params;
}

/** Puts the chosen video(s) into the edited JSON, keeping the user's other edits (if it parses). */
export function withVideos(type: JobType, json: string, videoIds: readonly string[]): string {
  const input = videoInputOf(type);
  if (input === 'none') return json;
  let params: unknown;
  try {
    params = JSON.parse(json);
  } catch {
    return json;
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return json;
  const next: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  if (input === 'single') next.videoId = videoIds[0] ?? '';
  else next.videoIds = [...videoIds];
  return JSON.stringify(next, null, 2);
}

export type ParamsCheck =
  | { readonly ok: true; readonly params: Record<string, unknown> }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

/** Validates the edited JSON against the type's schema; errors keyed by field path ('' = the whole object). */
export function checkParams(type: JobType, json: string): ParamsCheck {
  let value: unknown;
  try {
    value = JSON.parse(json.trim() === '' ? '{}' : json);
  } catch (error) {
    return { ok: false, errors: { '': `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, errors: { '': 'Parameters must be a JSON object.' } };
  const result = JOB_TYPE_CATALOG[type].paramsSchema.safeParse(value);
  if (result.success) return { ok: true, params: value as Record<string, unknown> };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in errors)) errors[key] = issue.message;
  }
  return { ok: false, errors };
}

export const CATEGORY_GROUP_LABELS: Readonly<Record<ResourceCategory, string>> = {
  cpu: 'CPU',
  gpu_encode: 'GPU Encode',
  gpu_ai: 'GPU AI',
};

/** Select data: job types grouped by resource category. */
export function jobTypeOptions(): Array<{ group: string; items: Array<{ value: JobType; label: string }> }> {
  return RESOURCE_CATEGORIES.map((category) => ({
    group: CATEGORY_GROUP_LABELS[category],
    items: JOB_TYPES.filter((t) => JOB_TYPE_CATALOG[t].category === category).map((t) => ({ value: t, label: t })),
  }));
}
