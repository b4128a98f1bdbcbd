/**
 * The cascade of a segmented encode's parent onto its parts (#20), on a real SQLite store and a
 * real work folder; the dispatcher is a stub (nothing runs here).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  cascade = new SegmentCascade({ store: stores.segments, jobs: stores.jobs, clock: { now: () => Date.now() }, dispatcher, onJobsChanged: () => {}, workFolder: (id) => join(dir, '.segments', id), root: join(dir, '.segments') });
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
});
