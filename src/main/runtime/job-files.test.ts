/**
 * The file-centric job reads (issue #19): listJobs and getJob name each job's input video and the
 * videos it wrote, in batched reads; listJobs searches by file name and filters by creation date;
 * getThroughput counts the jobs that ended per hour.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRuntime, waitFor, type TestRuntime } from './testing/test-runtime';
import { jobIdToken } from '../../shared/domain/job-ids';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

async function setup() {
  t = await startTestRuntime();
  await t.videos.addVideos([
    { id: A, path: 'inbox/Holiday Beach.mp4', directoryType: 'inbox', sizeBytes: 10, mtimeMs: 1, at: 1 },
    { id: B, path: 'videos/city.mp4', directoryType: 'videos', sizeBytes: 10, mtimeMs: 1, at: 2 },
  ]);
  const first = await t.runtime.execute('createJob', { type: 'validate', params: { videoId: A } });
  const second = await t.runtime.execute('createJob', { type: 'compile_quad', params: { videoIds: [B, A, A, A] } });
  const scan = await t.runtime.execute('createJob', { type: 'scan', params: {} });
  // an output of the first job, as a processor would publish it
  await t.videos.addVideos([{ id: '33333333-3333-4333-8333-333333333333', path: 'playback/holiday-beach.mp4', directoryType: 'playback', sizeBytes: 5, mtimeMs: 1, sourceJobId: first.id, at: 3 }]);
  return { first, second, scan };
}

describe('file-centric job reads', () => {
  it('names each job’s input and outputs in the list and the detail', async () => {
    const { first, second, scan } = await setup();
    const { data } = await t!.runtime.execute('listJobs', { limit: 10 });
    const byId = new Map(data.map((j) => [j.id, j]));
    expect(byId.get(first.id)!.input).toEqual({ videoId: A, title: 'Holiday Beach', path: 'inbox/Holiday Beach.mp4', durationSeconds: null });
    expect(byId.get(first.id)!.outputs).toEqual([expect.objectContaining({ path: 'playback/holiday-beach.mp4' })]);
    expect(byId.get(second.id)!.input).toMatchObject({ videoId: B, path: 'videos/city.mp4' });
    expect(byId.get(scan.id)!.input).toBeNull();
    expect(byId.get(scan.id)!.outputs).toEqual([]);
    const detail = await t!.runtime.execute('getJob', { id: first.id });
    expect(detail.input?.title).toBe('Holiday Beach');
    expect(detail.outputs).toHaveLength(1);
  });

  it('searches by input or output file name and id prefix, with the other filters', async () => {
    const { first, second } = await setup();
    const ids = async (input: Record<string, unknown>) => (await t!.runtime.execute('listJobs', { limit: 10, ...input })).data.map((j) => j.id).sort();
    expect(await ids({ search: 'holiday' })).toEqual([first.id, second.id].sort());
    expect(await ids({ search: 'CITY' })).toEqual([second.id]);
    expect(await ids({ search: 'holiday', type: 'validate' })).toEqual([first.id]);
    expect(await ids({ search: 'playback/holiday-beach' })).toEqual([first.id]);
    expect(await ids({ search: jobIdToken(first.id) })).toEqual([first.id]); // the short token shown for a job (its id's end)
    expect(await ids({ search: first.id.slice(0, 23) })).toEqual([first.id]); // a longer start of the id
    expect(await ids({ search: '100%' })).toEqual([]);
    const page = await t!.runtime.execute('listJobs', { limit: 1, search: 'holiday' });
    expect(page.pagination).toMatchObject({ total: 2, totalPages: 2 });
  });

  it('filters by creation date', async () => {
    await setup();
    const now = Date.now();
    const count = async (input: Record<string, unknown>) => (await t!.runtime.execute('listJobs', { limit: 10, ...input })).pagination.total;
    expect(await count({ createdFrom: new Date(now - 60_000).toISOString() })).toBe(3);
    expect(await count({ createdTo: new Date(now - 60_000).toISOString() })).toBe(0);
    expect(await count({ createdFrom: new Date(now + 60_000).toISOString() })).toBe(0);
  });

  it('counts the jobs that ended per hour, the current hour last', async () => {
    t = await startTestRuntime();
    const ok = await t.runtime.execute('createJob', { type: 'scan', params: {} });
    const bad = await t.runtime.execute('createJob', { type: 'scan', params: { fail: 'fatal' } });
    await waitFor(async () => {
      const statuses = await Promise.all([ok.id, bad.id].map(async (id) => (await t!.runtime.execute('getJob', { id })).status));
      return statuses.every((s) => s === 'completed' || s === 'failed') ? true : undefined;
    }, 5000, 'both jobs to end');
    const { hours } = await t.runtime.execute('getThroughput', { hours: 24 });
    expect(hours).toHaveLength(24);
    expect(Date.parse(hours.at(-1)!.hourStart)).toBe(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    expect(hours.reduce((n, h) => n + h.completed, 0)).toBe(1);
    expect(hours.reduce((n, h) => n + h.failed, 0)).toBe(1);
  });
});
