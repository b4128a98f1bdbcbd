/**
 * The column form of a `job.created.batch` frame's `data` (`batch=3` on the event stream; the web
 * UI's): `{shared, count, columns}`. `shared` is what every job of the run has with the same value,
 * as in the `{shared, jobs}` form; `columns` holds, for each other field, its value for every job in
 * order, so a field's name is sent once per batch instead of once per job, and a column of strings
 * of one length (ids, creation times) is sent as the prefix they all share and the rest of each,
 * packed end to end:
 *
 *   {"values": [v0, v1, …]}                              any JSON values, `count` of them
 *   {"prefix": "01a2…", "width": 25, "packed": "…"}      strings: value i = prefix + packed.slice(i·width, (i+1)·width)
 *
 * Why: each create is written to every connected client; with 200 clients a burst of scans cost
 * ~86 bytes a job a client in the `{shared, jobs}` form (its id and creation time with their field
 * names and quotes), and those bytes, copied into 200 sockets, were most of what the clients cost
 * the server (bench `api.events.fanout_cost`). Here a job costs ~29 (the part of its id and time
 * that differs). A run whose jobs do not all have the same own fields (or has an `undefined` value,
 * which an array would turn into null) stays in the `{shared, jobs}` form, which readers of
 * `batch=3` also take. `width` counts UTF-16 code units (JavaScript string length); a column with
 * a surrogate in any of its strings is sent as values, so that no packed slice splits a character
 * for readers in other languages. Lossless: expanding gives back the jobs (the order of their keys
 * aside).
 */
import type { CreatedBatch } from './event-frames';
import { isRecord } from './is-record';
import type { Job } from './job';

export type CreatedColumn = { readonly values: readonly unknown[] } | { readonly prefix: string; readonly width: number; readonly packed: string };

export interface CreatedColumns {
  readonly shared: Partial<Job>;
  readonly count: number;
  readonly columns: Readonly<Record<string, CreatedColumn>>;
}

/** The longest start all of `values` share. */
function commonPrefix(values: readonly string[]): string {
  let prefix = values[0]!;
  for (const value of values) {
    let n = 0;
    while (n < prefix.length && prefix.charCodeAt(n) === value.charCodeAt(n)) n++;
    if (n < prefix.length) prefix = prefix.slice(0, n);
  }
  return prefix;
}

const SURROGATE = /[\uD800-\uDFFF]/;
/** More jobs than a batch can hold: the server's journal keeps 11,000 events; a reader refuses more before allocating them. */
export const MAX_BATCH_COUNT = 1_000_000;

function column(values: readonly unknown[]): CreatedColumn {
  const first = values[0];
  if (typeof first === 'string' && values.every((v) => typeof v === 'string' && v.length === first.length && !SURROGATE.test(v))) {
    const strings = values as readonly string[];
    const prefix = commonPrefix(strings);
    return { prefix, width: first.length - prefix.length, packed: strings.map((s) => s.slice(prefix.length)).join('') };
  }
  return { values };
}

/**
 * A split batch (splitCreatedBatch) in the column form, or the split batch itself when its jobs'
 * own fields differ from job to job or hold `undefined` (which an array would turn into null). Pure.
 */
export function columnizeCreatedBatch(split: CreatedBatch): CreatedColumns | CreatedBatch {
  const jobs = split.jobs as readonly Readonly<Record<string, unknown>>[];
  const keys = Object.keys(jobs[0] ?? {});
  const sameFields = (job: Readonly<Record<string, unknown>>) => {
    let n = 0;
    for (const key in job) {
      if (!Object.hasOwn(job, key)) continue;
      if (job[key] === undefined || keys[n] !== key) return false;
      n++;
    }
    return n === keys.length;
  };
  if (jobs.length === 0 || !jobs.every(sameFields)) return split;
  const columns: Record<string, CreatedColumn> = {};
  for (const key of keys) columns[key] = column(jobs.map((job) => job[key]));
  return { shared: split.shared, count: jobs.length, columns };
}

/** The value of `column` for job `i`; undefined when the column is not well formed. */
function valueAt(column: unknown, i: number, count: number): { value: unknown } | undefined {
  if (!isRecord(column)) return undefined;
  if (Array.isArray(column.values)) return column.values.length === count ? { value: column.values[i] } : undefined;
  const { prefix, width, packed } = column;
  if (typeof prefix !== 'string' || typeof packed !== 'string' || typeof width !== 'number' || !Number.isInteger(width) || width < 0 || packed.length !== width * count) return undefined;
  return { value: prefix + packed.slice(i * width, (i + 1) * width) };
}

/** Each job's own fields from a column-form batch, in order; null when it is not well formed. */
export function jobsFromColumns(batch: { readonly count?: unknown; readonly columns?: unknown }): Partial<Job>[] | null {
  const { count, columns } = batch;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_BATCH_COUNT || !isRecord(columns)) return null;
  const keys = Object.keys(columns);
  const jobs: Partial<Job>[] = [];
  for (let i = 0; i < count; i++) {
    // no prototype: a column named __proto__ read from the wire stays a field instead of replacing
    // the prototype (the server never sends one: a job's keys are fixed)
    const job = Object.create(null) as Record<string, unknown>;
    for (const key of keys) {
      const cell = valueAt(columns[key], i, count);
      if (cell === undefined) return null;
      job[key] = cell.value;
    }
    jobs.push(job as Partial<Job>);
  }
  return jobs;
}
