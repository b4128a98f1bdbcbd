/**
 * Placeholders in a pipeline step's params: `{{video.id}}`, `{{previous.outputVideoId}}` …,
 * substituted in every string of the params (nested too) when the step's job is created. The
 * pipeline schema substitutes sample values to validate each step's params against its job type
 * before the pipeline is saved, so a wrong field is refused then, not when a run reaches the step.
 *
 *   video.id, video.path, video.filename, video.stem (file name without extension),
 *   video.folder, video.directoryType      the video the run is for
 *   run.id, pipeline.id, pipeline.name
 *   previous.jobId                         the job of the step named in `after`
 *   previous.outputVideoId                 the video that step produced; when it produced none (validate,
 *                                          thumbnail, a skipped step) the video it worked on, so a chain
 *                                          follows the newest version of the file
 *   steps.<id>.jobId, steps.<id>.outputVideoId   the same for an earlier step of this branch
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

export type PlaceholderValues = Readonly<Record<string, string>>;

/** Whether `name` is a placeholder a step may use (`ancestors`: ids of the steps it comes after, nearest first). */
export function placeholderProblem(name: string, ancestors: readonly string[]): string | null {
  const parts = name.split('.');
  const [scope, key] = parts;
  if (scope === 'video' && parts.length === 2 && ['id', 'path', 'filename', 'stem', 'folder', 'directoryType'].includes(key!)) return null;
  if ((scope === 'run' || scope === 'pipeline') && parts.length === 2 && (key === 'id' || (scope === 'pipeline' && key === 'name'))) return null;
  if (scope === 'previous' && parts.length === 2 && (key === 'jobId' || key === 'outputVideoId')) {
    return ancestors.length > 0 ? null : `{{${name}}} needs "after": this step runs first, nothing comes before it`;
  }
  if (scope === 'steps' && parts.length === 3 && (parts[2] === 'jobId' || parts[2] === 'outputVideoId')) {
    return ancestors.includes(key!) ? null : `{{${name}}} names step "${key}", which does not come before this step`;
  }
  return `unknown placeholder {{${name}}} (known: video.id, video.path, video.filename, video.stem, video.folder, video.directoryType, run.id, pipeline.id, pipeline.name, previous.jobId, previous.outputVideoId, steps.<id>.jobId, steps.<id>.outputVideoId)`;
}

/** Every placeholder used in `value` (any depth), with the path of the field it is in. */
export function placeholdersIn(value: unknown, path: readonly (string | number)[] = []): { name: string; path: (string | number)[] }[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, path: [...path] }));
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholdersIn(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => placeholdersIn(v, [...path, k]));
  return [];
}

/** `params` with every placeholder replaced from `values` (an unknown name is left as it is: the schema refused it already). */
export function substitutePlaceholders<T>(params: T, values: PlaceholderValues): T {
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    return value;
  };
  return visit(params) as T;
}

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/** Values of the right shape for every placeholder a step may use, to validate its params before saving. */
export function samplePlaceholderValues(ancestors: readonly string[]): PlaceholderValues {
  const values: Record<string, string> = {
    'video.id': SAMPLE_ID,
    'video.path': 'videos/sample.mp4',
    'video.filename': 'sample.mp4',
    'video.stem': 'sample',
    'video.folder': 'videos',
    'video.directoryType': 'videos',
    'run.id': SAMPLE_ID,
    'pipeline.id': SAMPLE_ID,
    'pipeline.name': 'sample',
  };
  if (ancestors.length > 0) Object.assign(values, { 'previous.jobId': SAMPLE_ID, 'previous.outputVideoId': SAMPLE_ID });
  for (const id of ancestors) Object.assign(values, { [`steps.${id}.jobId`]: SAMPLE_ID, [`steps.${id}.outputVideoId`]: SAMPLE_ID });
  return values;
}
