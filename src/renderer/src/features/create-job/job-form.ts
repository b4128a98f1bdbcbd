/**
 * The create-job form's logic, from the type's fields (lib/schema-fields.ts): the form values a
 * type starts with (its defaults, and the videos already chosen), the parameters those values mean
 * (what is left empty is left out, so the server fills its defaults), the way back from parameters
 * (the JSON tab) to values, and validation against the type's schema, with errors per field path.
 */
import { JOB_TYPE_CATALOG, type JobType } from '../../../../shared/domain/job-types';
import { jsonSyntaxError, type JsonSyntaxError } from '../../lib/json-error';
import type { ParamField } from '../../lib/schema-fields';

export type FormValues = Record<string, unknown>;

/** A group's switch: an optional object is sent only when turned on. */
export const GROUP_ON = '__on';

function initialOf(field: ParamField, videoIds: readonly string[]): unknown {
  switch (field.kind) {
    case 'video':
      return videoIds[0] ?? '';
    case 'videos':
      return videoIds.slice(0, field.max);
    case 'enum':
      return field.defaultValue;
    case 'boolean':
      return field.defaultValue;
    case 'number':
      return field.defaultValue ?? '';
    case 'text':
      return field.defaultValue ?? '';
    case 'group':
      return { [GROUP_ON]: field.required, ...initialValues(field.fields) };
    case 'list':
      return [];
    case 'json':
      return '';
  }
}

/** The values a type's form starts with; `videoIds` carries the videos chosen for another type. */
export function initialValues(fields: readonly ParamField[], videoIds: readonly string[] = []): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, initialOf(f, videoIds)]));
}

/** A field's value as a parameter, or undefined to leave it out. */
function paramOf(field: ParamField, value: unknown): unknown {
  switch (field.kind) {
    case 'video':
    case 'text':
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    case 'videos':
      return Array.isArray(value) && (value.length > 0 || field.required) ? [...value] : undefined;
    case 'enum':
      return typeof value === 'string' && value !== '' ? value : undefined;
    case 'boolean':
      return value === true;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
    case 'group': {
      const group = (value ?? {}) as FormValues;
      return group[GROUP_ON] === true ? toParams(field.fields, group) : undefined;
    }
    case 'list':
      return Array.isArray(value) && value.length > 0 ? value.map((item) => toParams(field.fields, item as FormValues)) : undefined;
    case 'json': {
      if (typeof value !== 'string' || value.trim() === '') return undefined;
      try {
        return JSON.parse(value);
      } catch {
        return value; // the schema says what is wrong with it
      }
    }
  }
}

export function toParams(fields: readonly ParamField[], values: FormValues): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of fields) {
    const value = paramOf(field, values[field.name]);
    if (value !== undefined) params[field.name] = value;
  }
  return params;
}

function valueOf(field: ParamField, param: unknown): unknown {
  if (param === undefined) return initialOf(field, []);
  switch (field.kind) {
    case 'group':
      return { [GROUP_ON]: true, ...fromParams(field.fields, (param ?? {}) as Record<string, unknown>).values };
    case 'list':
      return Array.isArray(param) ? param.map((item) => fromParams(field.fields, (item ?? {}) as Record<string, unknown>).values) : [];
    case 'json':
      return JSON.stringify(param);
    case 'number':
      return typeof param === 'number' ? param : String(param);
    default:
      return param;
  }
}

/** Parameters (from the JSON tab) as form values; names the form has no field for are reported. */
export function fromParams(fields: readonly ParamField[], params: Record<string, unknown>): { values: FormValues; unknown: string[] } {
  const known = new Set(fields.map((f) => f.name));
  return {
    values: Object.fromEntries(fields.map((f) => [f.name, valueOf(f, params[f.name])])),
    unknown: Object.keys(params).filter((k) => !known.has(k)),
  };
}

/** Messages that say more than the schema's own for a field left empty. */
function explain(field: ParamField | undefined, message: string): string {
  if (field?.kind === 'video') return 'Choose a video.';
  if (field?.kind === 'videos') return field.min === field.max ? `Choose exactly ${field.min} videos.` : `Choose ${field.min} to ${field.max} videos.`;
  return message;
}

export type ParamsCheck = { readonly ok: true; readonly params: Record<string, unknown> } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

/** Validates parameters against the type's schema; errors keyed by field path (`crf`, `verifyQuality.min`, '' = the whole object). */
export function checkParams(type: JobType, fields: readonly ParamField[], params: unknown): ParamsCheck {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return { ok: false, errors: { '': 'Parameters must be a JSON object.' } };
  const result = JOB_TYPE_CATALOG[type].paramsSchema.safeParse(params);
  if (result.success) return { ok: true, params: params as Record<string, unknown> };
  const byName = new Map(fields.map((f) => [f.name, f]));
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    const key = path.join('.');
    if (!(key in errors)) errors[key] = path.length === 1 ? explain(byName.get(path[0]!), issue.message) : issue.message;
  }
  return { ok: false, errors };
}

export type JsonParse = { readonly ok: true; readonly params: unknown } | { readonly ok: false; readonly error: JsonSyntaxError };

/** The JSON tab's text as parameters, or where it stops being JSON. */
export function parseParamsJson(text: string): JsonParse {
  const source = text.trim() === '' ? '{}' : text;
  const error = jsonSyntaxError(source);
  return error ? { ok: false, error } : { ok: true, params: JSON.parse(source) };
}
