/**
 * The README's per-job-type parameter table, generated from the job type catalog's zod schemas
 * (src/shared/domain/job-types.ts): every parameter with its type, range, default and notes.
 * `npm run docs:params` prints it; a test keeps the README's copy (between the markers below) equal.
 */
import { z } from 'zod';
import { JOB_TYPE_CATALOG, JOB_TYPES } from '../src/shared/domain/job-types';

export const TABLE_START = '<!-- job-params:start -->';
export const TABLE_END = '<!-- job-params:end -->';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

function range(s: JsonSchema): string {
  // a plain integer's safe-integer bounds say nothing
  if (s.minimum === Number.MIN_SAFE_INTEGER && s.maximum === Number.MAX_SAFE_INTEGER) return '';
  const low = s.minimum !== undefined ? `≥ ${s.minimum}` : s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : null;
  const high = s.maximum !== undefined ? `≤ ${s.maximum}` : s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : null;
  return [low, high].filter(Boolean).join(', ');
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map(code).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  if (s.type === 'array' && s.items) {
    const count = s.minItems !== undefined && s.minItems === s.maxItems ? `exactly ${s.minItems}` : [s.minItems !== undefined ? `≥ ${s.minItems}` : null, s.maxItems !== undefined ? `≤ ${s.maxItems}` : null].filter(Boolean).join(', ');
    return `array of ${typeOf(s.items)}${count ? ` (${count})` : ''}`;
  }
  if (s.type === 'object' && s.properties) return `{${Object.entries(s.properties).map(([k, v]) => `${k}: ${typeOf(v)}`).join(', ')}}`;
  const base = s.format === 'uuid' ? 'UUID' : Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  const bounds = range(s);
  return bounds ? `${base} (${bounds})` : base;
}

/** The Markdown table: one row per parameter, grouped by job type (category and default VRAM beside the type). */
export function jobParamsTable(): string {
  const lines = ['| Job type | Parameter | Type | Default | Notes |', '| --- | --- | --- | --- | --- |'];
  for (const type of JOB_TYPES) {
    const def = JOB_TYPE_CATALOG[type];
    const schema = z.toJSONSchema(def.paramsSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const required = new Set(schema.required ?? []);
    const label = `\`${type}\` (${def.category}, ${def.defaultVramMb} MB)`;
    const params = Object.entries(schema.properties ?? {});
    if (params.length === 0) lines.push(`| ${label} | — | | | |`);
    params.forEach(([name, s], i) => {
      const dflt = s.default !== undefined ? code(s.default) : required.has(name) ? '**required**' : '—';
      lines.push(`| ${i === 0 ? label : ''} | \`${name}\` | ${cell(typeOf(s))} | ${dflt} | ${cell(s.description ?? '')} |`);
    });
  }
  return lines.join('\n');
}

/** The README's table between the markers, or null when a marker is missing. */
export function tableInReadme(readme: string): string | null {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return null;
  return readme.slice(start + TABLE_START.length, end).trim();
}
