import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/contracts/job';
import { createFakeClient, makeJob, manualTimers, pagedJobs } from '../testing/fake-client';
import { createJobsStore, NO_JOB_FILTERS } from './jobs-store';

function setup(jobs: Job[], limit = 2) {
  let all = jobs;
  const client = createFakeClient({ listJobs: pagedJobs(() => all) });
  const timers = manualTimers();
  const store = createJobsStore(client, { timers, limit, refreshDelayMs: 1000 });
  return { client, timers, store, setAll: (next: Job[]) => (all = next) };
}

describe('jobs store: pagination and filters', () => {
  it('asks the server for the current page, limit and filters', async () => {
    const jobs = [makeJob({ status: 'running' }), makeJob(), makeJob({ status: 'running' }), makeJob()];
    const { client, store } = setup(jobs);
    await store.getState().load();
    expect(client.callsOf('listJobs')).toEqual([{ page: 1, limit: 2 }]);
    expect(store.getState().jobs.map((j) => j.id)).toEqual([jobs[0]!.id, jobs[1]!.id]);
    expect(store.getState().pagination).toEqual({ page: 1, limit: 2, total: 4, totalPages: 2 });

    store.getState().setPage(2);
    await Promise.resolve();
    await Promise.resolve();
    expect(client.callsOf('listJobs').at(-1)).toEqual({ page: 2, limit: 2 });
    expect(store.getState().jobs.map((j) => j.id)).toEqual([jobs[2]!.id, jobs[3]!.id]);

    store.getState().setFilters({ status: 'running', resourceCategory: 'gpu_encode' });
    expect(store.getState().page).toBe(1);
    await Promise.resolve();
    expect(client.callsOf('listJobs').at(-1)).toEqual({ page: 1, limit: 2, status: 'running', resourceCategory: 'gpu_encode' });
  });

  it('steps back to the last page when the current one emptied', async () => {
    const jobs = [makeJob(), makeJob(), makeJob()];
    const { store, setAll } = setup(jobs);
    await store.getState().load();
    store.setState({ page: 2 });
    setAll(jobs.slice(0, 2));
    await store.getState().load();
    expect(store.getState().page).toBe(1);
    expect(store.getState().jobs).toHaveLength(2);
  });

  it('keeps the selection to rows still on the page', async () => {
    const jobs = [makeJob(), makeJob()];
    const { store } = setup(jobs);
    await store.getState().load();
    store.getState().setSelected([jobs[0]!.id, 'gone']);
    await store.getState().load();
    expect([...store.getState().selected]).toEqual([jobs[0]!.id]);
  });
});

describe('jobs store: live events', () => {
  it('updates rows on the page in place and leaves the other rows untouched', async () => {
    const a = makeJob({ status: 'running', progress: 10 });
    const b = makeJob({ status: 'queued' });
    const { store, timers } = setup([a, b]);
    await store.getState().load();
    const before = store.getState().jobs;
    store.getState().applyEvents([
      { type: 'job.progress', jobId: a.id, progress: 20 },
      { type: 'job.progress', jobId: a.id, progress: 35 },
    ]);
    const after = store.getState().jobs;
    expect(after[0]!.progress).toBe(35);
    expect(after[1]).toBe(before[1]);
    store.getState().applyEvents([{ type: 'job.updated', job: { ...b, status: 'running' } }]);
    expect(store.getState().jobs[1]!.status).toBe('running');
    expect(store.getState().stale).toBe(false);
    expect(timers.scheduled).toBe(0);
  });

  it("keeps a row's listed queuePosition while it waits and drops it once it runs (events carry none)", async () => {
    const a = makeJob({ status: 'queued', queuePosition: 2 });
    const { store } = setup([a]);
    await store.getState().load();
    store.getState().applyEvents([{ type: 'job.updated', job: { ...a, waitingReason: 'needs a slot', queuePosition: null } }]);
    expect(store.getState().jobs[0]).toMatchObject({ waitingReason: 'needs a slot', queuePosition: 2 });
    store.getState().applyEvents([{ type: 'job.updated', job: { ...a, status: 'running', queuePosition: null } }]);
    expect(store.getState().jobs[0]).toMatchObject({ status: 'running', queuePosition: null });
  });

  it('ignores updates of jobs elsewhere when no status filter could bring them here', async () => {
    const { store, timers, client } = setup([makeJob(), makeJob()]);
    await store.getState().load();
    store.getState().applyEvents([
      { type: 'job.updated', job: makeJob({ status: 'completed' }) },
      { type: 'job.progress', jobId: 'elsewhere', progress: 50 },
    ]);
    expect(timers.scheduled).toBe(0);
    expect(client.callsOf('listJobs')).toHaveLength(1);
  });

  it('refreshes lazily, once, when new jobs arrive or a job enters the filtered status', async () => {
    const { store, timers, client } = setup([makeJob({ status: 'running' })]);
    store.setState({ filters: { ...NO_JOB_FILTERS, status: 'running' } });
    await store.getState().load();
    store.getState().applyEvents([{ type: 'job.created', job: makeJob({ status: 'pending' }) }]);
    expect(store.getState().stale).toBe(false); // a pending job does not belong under "running"
    store.getState().applyEvents([{ type: 'job.updated', job: makeJob({ status: 'running' }) }]);
    store.getState().applyEvents([{ type: 'job.updated', job: makeJob({ status: 'running' }) }]);
    expect(store.getState().stale).toBe(true);
    expect(timers.scheduled).toBe(1);
    timers.advance(1000);
    await Promise.resolve();
    expect(client.callsOf('listJobs')).toHaveLength(2);
  });

  it("takes a segmented encode's counts from its parent's updates, reads nothing for its parts', and keeps the chunks on an update without them", async () => {
    const parent = makeJob({ type: 'transcode', status: 'pending', chunks: { total: 3, done: 1, running: 1, failed: 0, etaSeconds: 10 } });
    const { store, timers } = setup([parent]);
    await store.getState().load();
    store.getState().applyEvents([{ type: 'job.updated', job: { ...parent, waitingReason: 'Encoding in parts: 1 of 4 done', chunks: undefined } }]);
    expect(store.getState().jobs[0]).toMatchObject({ waitingReason: 'Encoding in parts: 1 of 4 done', chunks: { total: 3, done: 1 } });
    expect(timers.scheduled).toBe(0);
    // a part's update, then its parent's view that the server sends after it (runtime/parent-view-refresher.ts)
    store.getState().applyEvents([{ type: 'job.updated', job: makeJob({ type: 'encode_chunk', status: 'completed', parentJobId: parent.id }) }]);
    store.getState().applyEvents([{ type: 'job.updated', job: { ...parent, progress: 60, chunks: { total: 3, done: 2, running: 1, failed: 0, etaSeconds: 5 } } }]);
    expect(store.getState().jobs[0]).toMatchObject({ progress: 60, chunks: { total: 3, done: 2 } });
    // a view read before the latest progress does not move the bar back while the parent is live
    store.getState().applyEvents([{ type: 'job.updated', job: { ...parent, progress: 55, chunks: { total: 3, done: 2, running: 1, failed: 0, etaSeconds: 5 } } }]);
    expect(store.getState().jobs[0]!.progress).toBe(60);
    expect(store.getState().stale).toBe(false);
    expect(timers.scheduled).toBe(0);
  });

  it('marks the page stale when a row no longer matches the filter', async () => {
    const a = makeJob({ status: 'running' });
    const { store, timers } = setup([a]);
    store.setState({ filters: { ...NO_JOB_FILTERS, status: 'running' } });
    await store.getState().load();
    store.getState().applyEvents([{ type: 'job.updated', job: { ...a, status: 'completed', progress: 100 } }]);
    expect(store.getState().jobs[0]!.status).toBe('completed');
    expect(timers.scheduled).toBe(1);
  });

  it('re-applies events that arrived while a page was loading', async () => {
    const a = makeJob({ status: 'running', progress: 10 });
    let release!: () => void;
    const client = createFakeClient({
      listJobs: () =>
        new Promise((resolve) => {
          release = () => resolve({ data: [a], pagination: { page: 1, limit: 20, total: 1, totalPages: 1 } });
        }),
    });
    const store = createJobsStore(client, { timers: manualTimers() });
    const loading = store.getState().load();
    store.getState().applyEvents([{ type: 'job.progress', jobId: a.id, progress: 60 }]);
    release();
    await loading;
    expect(store.getState().jobs[0]!.progress).toBe(60);
  });
});
