/**
 * The column form of job.created.batch data (batch=3): lossless for every run (expanding gives back
 * the jobs the {shared, jobs} form gives), compact for a burst, and refused (no jobs) when malformed.
 */
import { describe, expect, it } from 'vitest';
import { columnizeCreatedBatch, MAX_BATCH_COUNT, type CreatedColumns } from './created-batch-columns';
import { compactCreatedJob, expandCreatedBatch, splitCreatedBatch } from './event-frames';
import type { Job } from './job';
import { newScanJob } from './testing/new-job';

const job = (n: number, overrides: Partial<Job> = {}): Job => ({
  ...newScanJob,
  id: `01a250d6-cb${(0x10 + n).toString(16).padStart(2, '0')}-7772-8a0a-${String(n * 7919).padStart(12, '0')}`,
  createdAt: new Date(Date.UTC(2026, 11, 7, 14, 9, 43, 100 + n * 3)).toISOString(),
  ...overrides,
});

const burst = (count: number, overrides: (n: number) => Partial<Job> = () => ({})) => Array.from({ length: count }, (_, n) => job(n, overrides(n)));
/** The wire round trip: columns built, serialised, parsed and expanded, against the {shared, jobs} form's jobs. */
function roundTrip(jobs: readonly Job[]) {
  const split = splitCreatedBatch(jobs.map((j) => compactCreatedJob(j)));
  const data = JSON.parse(JSON.stringify(columnizeCreatedBatch(split))) as unknown;
  return { data, expanded: expandCreatedBatch(data), expected: expandCreatedBatch(JSON.parse(JSON.stringify(split))) };
}

describe('columnizeCreatedBatch', () => {
  it('sends a burst’s ids and creation times as the prefix they share and the rest packed', () => {
    const jobs = burst(100);
    const { data, expanded } = roundTrip(jobs);
    const columns = (data as CreatedColumns).columns;
    expect((data as CreatedColumns).count).toBe(100);
    expect(Object.keys(columns)).toEqual(['id', 'createdAt']);
    expect(columns.id).toMatchObject({ prefix: '01a250d6-cb' });
    expect(columns.createdAt).toMatchObject({ prefix: '2026-12-07T14:09:43.', width: 4 });
    expect(expanded).toEqual(jobs);
    // what it is for: a job of a burst costs ~29 bytes instead of ~86 in the {shared, jobs} form
    const bytes = (value: unknown) => JSON.stringify(value).length;
    const perJob = bytes(columnizeCreatedBatch(splitCreatedBatch(jobs.map(compactCreatedJob)))) / jobs.length;
    const perJobShared = bytes(splitCreatedBatch(jobs.map(compactCreatedJob))) / jobs.length;
    expect(perJob).toBeLessThan(36);
    expect(perJobShared).toBeGreaterThan(80);
  });

  it.each([
    ['numbers that differ: a values column', (n: number) => ({ priority: n % 3 })],
    ['strings of different lengths: a values column', (n: number) => ({ createdBy: 'x'.repeat(n % 4) })],
    ['objects that differ', (n: number) => ({ params: { directoryType: 'videos', skipExisting: n % 2 === 0 } })],
    ['nulls beside strings', (n: number) => ({ createdBy: n % 2 ? null : 'ci' }) as Partial<Job>],
    ['strings with no shared start', (n: number) => ({ createdBy: String.fromCharCode(65 + n) })],
    ['non-ASCII and astral characters of one length (sent as values: no packed slice splits a character)', (n: number) => ({ createdBy: n % 2 ? 'x😀' : 'x😁' })],
    ['non-ASCII characters of one length', (n: number) => ({ createdBy: n % 2 ? 'éa' : 'üb' })],
  ])('is lossless with %s', (_name, overrides) => {
    const jobs = burst(5, overrides);
    const { data, expanded, expected } = roundTrip(jobs);
    expect(data).toHaveProperty('columns');
    expect(expanded).toEqual(expected);
    expect(expanded.map((j) => j.id)).toEqual(jobs.map((j) => j.id));
  });

  it('keeps the {shared, jobs} form for a run whose jobs have different own fields or an undefined value', () => {
    for (const jobs of [
      [job(1), job(2, { lastError: 'boom' })], // one job has a field the other leaves out
      [job(1, { createdBy: undefined as never }), job(2, { createdBy: 'a' })], // undefined would become null in an array
    ]) {
      const split = splitCreatedBatch(jobs.map((j) => compactCreatedJob(j)));
      expect(columnizeCreatedBatch(split)).toBe(split);
      expect(expandCreatedBatch(JSON.parse(JSON.stringify(split)))).toHaveLength(2);
    }
  });
});

describe('expandCreatedBatch of the column form', () => {
  const good = (): CreatedColumns => ({ shared: { type: 'scan' }, count: 2, columns: { id: { prefix: 'job-', width: 2, packed: 'a1b2' }, priority: { values: [1, 2] } } });

  it('gives the jobs in order, whole', () => {
    const jobs = expandCreatedBatch(good());
    expect(jobs.map((j) => [j.id, j.type, j.priority, j.progress])).toEqual([
      ['job-a1', 'scan', 1, 0],
      ['job-b2', 'scan', 2, 0],
    ]);
  });

  it('sends strings with astral characters as values, never a packed slice with half a character', () => {
    const { data } = roundTrip(burst(3, (n) => ({ createdBy: n % 2 ? 'x😀' : 'x😁' })));
    expect((data as CreatedColumns).columns.createdBy).toEqual({ values: ['x😁', 'x😀', 'x😁'] });
  });

  it('keeps a column named __proto__ a field, not the prototype', () => {
    const [first] = expandCreatedBatch(JSON.parse('{"shared":{},"count":1,"columns":{"__proto__":{"values":[{"polluted":true}]}}}'));
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect((first as unknown as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(first, '__proto__')?.value).toEqual({ polluted: true });
  });

  it.each([
    ['a packed column of the wrong length', { columns: { id: { prefix: 'job-', width: 2, packed: 'a1b' } } }],
    ['a negative width', { columns: { id: { prefix: '', width: -1, packed: '' } } }],
    ['a fractional width', { columns: { id: { prefix: '', width: 0.5, packed: 'a' } } }],
    ['a values column of the wrong length', { columns: { priority: { values: [1] } } }],
    ['a column that is not an object', { columns: { id: 'job-1' } }],
    ['a count that is not a whole number', { count: 1.5 }],
    ['a negative count', { count: -1 }],
    ['columns that are an array', { columns: [] }],
    ['no shared object', { shared: null }],
    ['a count past any batch, with nothing to allocate it from', { count: MAX_BATCH_COUNT + 1, columns: {} }],
    ['a huge count with an empty packed column', { count: 1e15, columns: { id: { prefix: '', width: 0, packed: '' } } }],
  ])('gives no jobs for %s', (_name, change) => {
    expect(expandCreatedBatch({ ...good(), ...change })).toEqual([]);
  });
});
