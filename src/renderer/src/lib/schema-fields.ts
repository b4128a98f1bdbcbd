/**
 * A job type's parameter schema (zod, in the shared catalog) as form fields: read through
 * `z.toJSONSchema` (input side, so defaults make a field optional), never from a hand-kept list, so
 * a job type added to the catalog gets its form without any change here. Video ids become video
 * pickers (by name: `videoId`, `videoIds`); enums selects; numbers keep their bounds; a flat object
 * (one level) a group of fields; a list of flat objects a repeatable row; anything else JSON.
 */
import { z } from 'zod';
import { JOB_TYPE_CATALOG, type JobType } from '../../../shared/domain/job-types';

interface Common {
  readonly name: string;
  readonly label: string;
  readonly description: string | null;
  readonly required: boolean;
}

export type ParamField =
  | (Common & { readonly kind: 'video' })
  | (Common & { readonly kind: 'videos'; readonly min: number; readonly max: number })
  | (Common & { readonly kind: 'enum'; readonly options: readonly string[]; readonly defaultValue: string | null })
  | (Common & { readonly kind: 'boolean'; readonly defaultValue: boolean })
  | (Common & {
      readonly kind: 'number';
      readonly integer: boolean;
      readonly min: number | null;
      readonly max: number | null;
      /** The bound itself is not allowed (`z.positive()`: > 0). */
      readonly exclusiveMin: boolean;
      readonly defaultValue: number | null;
    })
  | (Common & { readonly kind: 'text'; readonly defaultValue: string | null; readonly format: string | null })
  | (Common & { readonly kind: 'group'; readonly fields: readonly ParamField[] })
  | (Common & { readonly kind: 'list'; readonly fields: readonly ParamField[]; readonly max: number | null })
  | (Common & { readonly kind: 'json' });

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** `targetBitrate` → "Target bitrate", `videoIds` → "Videos". */
export function labelOf(name: string): string {
  const special: Record<string, string> = { videoId: 'Video', videoIds: 'Videos', crf: 'CRF', cq: 'CQ', fps: 'FPS', digestJobId: 'Digest job id' };
  if (special[name]) return special[name]!;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Safe integers are what zod says for `z.number().int()` with no bounds: not a bound worth showing. */
const bound = (n: number | undefined): number | null => (n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? null : n);

function fieldOf(name: string, s: JsonSchema, required: boolean, nested: boolean): ParamField {
  const common = { name, label: labelOf(name), description: s.description ?? null, required };
  if (!nested && s.type === 'string' && s.format === 'uuid' && name === 'videoId') return { ...common, kind: 'video' };
  if (!nested && s.type === 'array' && s.items?.format === 'uuid' && name === 'videoIds') return { ...common, kind: 'videos', min: s.minItems ?? 0, max: s.maxItems ?? 100 };
  if (s.enum && s.enum.every((v) => typeof v === 'string')) return { ...common, kind: 'enum', options: s.enum as string[], defaultValue: typeof s.default === 'string' ? s.default : null };
  if (s.type === 'boolean') return { ...common, kind: 'boolean', defaultValue: s.default === true };
  if (s.type === 'number' || s.type === 'integer') {
    return {
      ...common,
      kind: 'number',
      integer: s.type === 'integer',
      min: bound(s.minimum ?? s.exclusiveMinimum),
      max: bound(s.maximum ?? s.exclusiveMaximum),
      exclusiveMin: s.exclusiveMinimum !== undefined,
      defaultValue: typeof s.default === 'number' ? s.default : null,
    };
  }
  if (s.type === 'string') return { ...common, kind: 'text', defaultValue: typeof s.default === 'string' ? s.default : null, format: s.format ?? null };
  if (!nested && s.type === 'object' && s.properties) return { ...common, kind: 'group', fields: fieldsOfObject(s, true) };
  if (!nested && s.type === 'array' && s.items?.type === 'object' && s.items.properties) return { ...common, kind: 'list', fields: fieldsOfObject(s.items, true), max: s.maxItems ?? null };
  return { ...common, kind: 'json' };
}

function fieldsOfObject(s: JsonSchema, nested: boolean): ParamField[] {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).map(([name, prop]) => fieldOf(name, prop, required.has(name), nested));
}

const cache = new Map<JobType, readonly ParamField[]>();

/** The fields of a job type's parameters, in the schema's order. */
export function paramFieldsOf(type: JobType): readonly ParamField[] {
  let fields = cache.get(type);
  if (!fields) {
    const schema = z.toJSONSchema(JOB_TYPE_CATALOG[type].paramsSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    fields = fieldsOfObject(schema, false);
    cache.set(type, fields);
  }
  return fields;
}
