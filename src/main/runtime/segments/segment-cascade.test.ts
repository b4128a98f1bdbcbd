/**
 * The cascade of a segmented encode's parent onto its parts (#20), on a real SQLite store and a
 * real work folder; the dispatcher is a stub (nothing runs here).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../../shared/contracts/job';
import type { JobRecord, NewJob } from '../../core/ports';
import { cancelLiveJob, claimRequest } from '../../storage/conformance/fixtures';
import { openSqliteStores, type SqliteStores } from '../../storage/sqlite/open-sqlite-stores';
import type { Dispatcher } from '../dispatcher';
import { waitFor } from '../testing/test-runtime';
import { SegmentCascade } from './segment-cascade';

let dir = '';
let stores: SqliteStores;
let cascade: SegmentCascade;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-segment-cascade-'));
  stores = openSqliteStores(join(dir, 'db.sqlite'));
  const dispatcher = { stopAttempt: () => {}, requestDispatch: () => {} } as unknown as Dispatcher;
  cascade = new SegmentCascade({ store: stores.segments, jobs: stores.jobs, clock: { now: () => Date.now(), monotonicMs: () => performance.now() }, dispatcher, onJobsChanged: () => {}, workFolder: (id) => join(dir, '.segments', id), root: join(dir, '.segments') });
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

const job = (type: NewJob['type'], parentJobId: string | null = null): NewJob => ({
  id: randomUUID(), type, params: { index: 0, total: 1 }, priority: 5, resourceCategory: 'gpu_encode', vramRequired: 0, maxRetries: 0, createdAt: 1, createdBy: null, parentJobId,
});

async function claimAll(at: number): Promise<JobRecord[]> {
  return (await stores.jobs.claimJobs(claimRequest('n1', at))).started;
}

describe('SegmentCascade', () => {
  it('a late "failed" of a parent retried since does not cancel the parts its retry re-queued', async () => {
    const [parent] = await stores.jobs.insertJobs([job('transcode')]);
    const [part] = await stores.jobs.insertJobs([job('encode_chunk', parent!.id)]);
    const started = await claimAll(100);
    const fail = (j: JobRecord, at: number) => ({ kind: 'failed' as const, jobId: j.id, attempt: j.attempt, at, error: 'boom', logLine: 'ERROR', decision: { kind: 'fail' as const, reason: 'fatal' } });
    const changed = await stores.jobs.recordReports({ logs: [], progress: new Map(), outcomes: started.map((j) => fail(j, 1_000)) });
    const failedParent = changed.find((j) => j.id === parent!.id)!;
    expect(failedParent.status).toBe('failed');

    // the retry: parts first, then the parent
    await cascade.retry(failedParent, 'test');
    await stores.jobs.transitionJob({ jobId: parent!.id, action: 'retry', at: Date.now() });
    expect((await stores.jobs.getJob(part!.id))!.status).toBe('pending');

    // the failure's transition arrives late (another node's event, a slow observer)
    cascade.onTransitions([{ job: failedParent, from: 'running', to: 'failed' }]);
    await new Promise((r) => setTimeout(r, 200));
    expect((await stores.jobs.getJob(part!.id))!.status, 'the retried part stays queued').toBe('pending');
  });

  it('a parent cancelled while its own attempt ran cancels its parts and removes its work folder once that attempt ends', async () => {
    const [parent] = await stores.jobs.insertJobs([job('transcode')]);
    const [running] = await claimAll(100);
    expect(running!.id).toBe(parent!.id);
    const [part] = await stores.jobs.insertJobs([job('encode_chunk', parent!.id)]);
    const work = join(dir, '.segments', parent!.id);
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'plan.json'), '{}');

    await cancelLiveJob(stores.jobs, { jobId: parent!.id, attempt: running!.attempt }, 200);
    const cancelled = (await stores.jobs.getJob(parent!.id))!;
    expect(cancelled.status).toBe('cancelled');
    cascade.onTransitions([{ job: cancelled, from: 'running', to: 'cancelled' }]);
    await waitFor(async () => ((await stores.jobs.getJob(part!.id))!.status === 'cancelled' && !existsSync(work)) || undefined, 5_000, 'the part cancelled and the folder removed');
  });

  it('decorates a page of the job list with one query for every parent on it', async () => {
    const parents = await stores.jobs.insertJobs([job('transcode'), job('transcode'), job('reencode_streaming')]);
    await stores.jobs.insertJobs(parents.flatMap((p) => [job('encode_chunk', p.id), { ...job('encode_chunk', p.id), params: { index: 1, total: 2 } }]));
    const childrenOf = vi.spyOn(stores.segments, 'childrenOf');
    const children = vi.spyOn(stores.segments, 'children');
    const views = [...parents.map((p) => ({ id: p.id, type: p.type, status: 'pending', progress: 0 })), { id: randomUUID(), type: 'validate', status: 'pending', progress: 0 }] as unknown as Job[];
    const decorated = await cascade.decorate(views);
    expect(childrenOf).toHaveBeenCalledTimes(1);
    expect(children).not.toHaveBeenCalled();
    expect(decorated.map((v) => v.chunks?.total ?? null)).toEqual([2, 2, 2, null]);
  });

  it("names the parents a change of parts changes, and reads their views with the parts' aggregate", async () => {
    const [parent, other] = await stores.jobs.insertJobs([job('transcode'), job('transcode')]);
    const parts = await stores.jobs.insertJobs([job('encode_chunk', parent!.id), { ...job('encode_chunk', parent!.id), params: { index: 1, total: 2 } }, job('encode_audio', other!.id)]);
    const [plain] = await stores.jobs.insertJobs([{ ...job('validate'), resourceCategory: 'cpu' }]);
    expect(cascade.parentsOf([parts[0]!, parts[1]!, plain!, parent!])).toEqual([parent!.id]);
    expect(cascade.parentsOf([parts[2]!, parts[0]!])).toEqual([other!.id, parent!.id]);
    const views = await cascade.parentViews([parent!.id, 'gone', other!.id]);
    expect(views.map((v) => v.id)).toEqual([parent!.id, other!.id]);
    expect(views[0]!.chunks).toMatchObject({ total: 2, running: 0, done: 0 });
  });
});
