/**
 * The lifecycle table, enforced by every store: for every action of core/lifecycle.ts and every
 * status, a job in that status (reached through the store's own API) is given the action through
 * the store method that performs it. It must take effect exactly when TRANSITIONS allows it, and
 * then leave the job in TRANSITIONS[action].to (the same status for actions that keep it); a
 * refused action is a no-op (`applied: false`, or no row in the result) that leaves the status as
 * it was. The cases are generated from the table: a change of the table changes the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinalStatus, isLiveStatus, JOB_STATUSES, type JobStatus } from '../../../shared/domain/statuses';
import { cancelActionFor, canTransition, LIFECYCLE_ACTIONS, TRANSITIONS, type LifecycleAction } from '../../core/lifecycle';
import type { AttemptOutcome, JobRecord, JobStore } from '../../core/ports';
import { cancelLiveJob, capacityOf, claimRequest, newJob, type StoreFactory } from './fixtures';

const NODE = 'n';
const T0 = 10_000;
const CANCEL = { logLine: 'Cancelled', requestedLogLine: 'Cancel requested' } as const;

/** A job in `status`, reached through the store's API only (one job in the store). */
async function jobIn(store: JobStore, status: JobStatus): Promise<JobRecord> {
  const [job] = await store.insertJobs([newJob({ createdAt: T0 })]);
  const id = job!.id;
  const start = async () => (await store.claimJobs(claimRequest(NODE, T0 + 1))).started.find((j) => j.id === id)!;
  const end = async (outcome: (running: JobRecord) => AttemptOutcome) => {
    const running = await start();
    await store.recordReports({ logs: [], progress: new Map(), outcomes: [outcome(running)] });
  };
  switch (status) {
    case 'pending':
      break;
    case 'queued':
      await store.claimJobs(claimRequest(NODE, T0 + 1, capacityOf({ queuePaused: true })));
      break;
    case 'running':
      await start();
      break;
    case 'suspended':
      await start();
      await store.suspendJob(id, T0 + 2, 'Suspended');
      break;
    case 'completed':
      await end((r) => ({ kind: 'completed', jobId: id, attempt: r.attempt, at: T0 + 2, logLine: 'done' }));
      break;
    case 'failed':
      await end((r) => ({ kind: 'failed', jobId: id, attempt: r.attempt, at: T0 + 2, error: 'boom', logLine: 'ERROR', decision: { kind: 'fail', reason: 'fatal' } }));
      break;
    case 'cancelled':
      await store.cancelJob({ jobId: id, at: T0 + 2, ...CANCEL });
      break;
    case 'paused':
      await store.transitionJob({ jobId: id, action: 'pause', at: T0 + 2 });
      break;
  }
  const seeded = (await store.getJob(id))!;
  expect(seeded.status, `seeding a ${status} job`).toBe(status);
  return seeded;
}

interface Probe {
  /** Whether the action took effect, by the contract of the store method that performs it. */
  readonly applied: boolean;
  readonly job: JobRecord;
  /** What the method did instead, when it performs more than one action (cancelJob: cancel or requestCancel). */
  readonly performed?: LifecycleAction | null;
}

const AT = T0 + 100;

/** Each action through the store method that performs it (a Record: no action can be left out). */
const PROBES: Readonly<Record<LifecycleAction, (store: JobStore, job: JobRecord) => Promise<Probe>>> = {
  lookAt: async (store, job) => {
    const r = await store.claimJobs(claimRequest(NODE, AT, capacityOf({ queuePaused: true })));
    return { applied: (r.becameQueued ?? []).includes(job.id), job: (await store.getJob(job.id))! };
  },
  start: async (store, job) => {
    const r = await store.claimJobs(claimRequest(NODE, AT));
    return { applied: r.started.some((j) => j.id === job.id), job: (await store.getJob(job.id))! };
  },
  complete: (store, job) => outcome(store, job, { kind: 'completed', jobId: job.id, attempt: job.attempt, at: AT, logLine: 'done' }),
  fail: (store, job) => outcome(store, job, { kind: 'failed', jobId: job.id, attempt: job.attempt, at: AT, error: 'boom', logLine: 'ERROR', decision: { kind: 'fail', reason: 'fatal' } }),
  scheduleRetry: (store, job) =>
    outcome(store, job, { kind: 'failed', jobId: job.id, attempt: job.attempt, at: AT, error: 'boom', logLine: 'ERROR', decision: { kind: 'retry', retryCount: job.retryCount + 1, retryAfter: AT + 1_000, reason: 'retryable' } }),
  interrupt: (store, job) => outcome(store, job, { kind: 'interrupted', jobId: job.id, attempt: job.attempt, at: AT, logLine: 'Interrupted' }),
  recover: async (store, job) => {
    const rescued = await store.rescueJobs(NODE, AT, (j) => ({ kind: 'retry', retryCount: j.retryCount + 1, retryAfter: AT, reason: 'crash' }));
    return { applied: rescued.some((j) => j.id === job.id), job: (await store.getJob(job.id))! };
  },
  cancel: (store, job) => cancelJob(store, job),
  requestCancel: (store, job) => cancelJob(store, job),
  finishCancel: (store, job) => outcome(store, job, { kind: 'cancelled', jobId: job.id, attempt: job.attempt, at: AT, logLine: 'Cancelled: the tool has exited' }),
  pause: (store, job) => store.transitionJob({ jobId: job.id, action: 'pause', at: AT }),
  suspend: (store, job) => store.suspendJob(job.id, AT, 'Suspended'),
  resume: (store, job) => store.transitionJob({ jobId: job.id, action: 'resume', at: AT }),
  resumeSuspended: (store, job) => store.resumeSuspendedJob(job.id, AT, 'Resumed'),
  retry: (store, job) => store.transitionJob({ jobId: job.id, action: 'retry', at: AT }),
  setPriority: async (store, job) => {
    const r = await store.setPriority(job.id, job.priority === 1 ? 2 : 1, AT);
    if (r.applied) expect(r.job.priority).toBe(job.priority === 1 ? 2 : 1);
    return r;
  },
};

/** cancelJob performs cancel (at once) or requestCancel (a live job), whichever the table allows. */
async function cancelJob(store: JobStore, job: JobRecord): Promise<Probe> {
  const r = await store.cancelJob({ jobId: job.id, at: AT, ...CANCEL });
  const after = (await store.getJob(job.id))!;
  const performed = !r.applied ? null : after.status === job.status && after.cancelRequestedAt === AT ? 'requestCancel' : after.status === 'cancelled' ? 'cancel' : 'unexpected';
  expect(performed).toBe(cancelActionFor(job.status));
  return { applied: r.applied, job: after, performed: performed as LifecycleAction | null };
}

/** An attempt outcome for the job's current attempt: applied when the store changed the job. */
async function outcome(store: JobStore, job: JobRecord, o: AttemptOutcome): Promise<Probe> {
  const changed = await store.recordReports({ logs: [], progress: new Map(), outcomes: [o] });
  return { applied: changed.some((j) => j.id === job.id), job: (await store.getJob(job.id))! };
}

const CELLS = LIFECYCLE_ACTIONS.flatMap((action) => JOB_STATUSES.map((status) => ({ action, status, allowed: canTransition(status, action) })));

/**
 * Leaves the store without jobs, through the port: every job that has not ended is cancelled (a
 * live one as its runtime would: asked, then its attempt ends), then the retention prune deletes
 * them all. One store serves every cell (a fresh database per cell costs PostgreSQL seconds).
 */
async function emptyStore(store: JobStore): Promise<void> {
  for (const job of (await store.listJobs({}, 0, 1_000)).rows) {
    if (isFinalStatus(job.status)) continue;
    await store.cancelJob({ jobId: job.id, at: T0, ...CANCEL });
    if (isLiveStatus(job.status)) await cancelLiveJob(store, { jobId: job.id, attempt: job.attempt }, T0);
  }
  for (let after: number | null = 0; after !== null; ) {
    after = (await store.pruneJobs({ completedBefore: Number.MAX_SAFE_INTEGER, failedBefore: Number.MAX_SAFE_INTEGER, after, limit: 1_000 })).next;
  }
  expect((await store.listJobs({}, 0, 1)).total).toBe(0);
}

export function describeLifecycleConformance(adapterName: string, factory: StoreFactory): void {
  describe(`lifecycle table × ${adapterName} store`, () => {
    let store: JobStore;
    beforeAll(async () => {
      store = await factory({});
    });
    afterAll(async () => {
      await store.close();
    });

    it.each(CELLS)('$action on a $status job: applied $allowed', async ({ action, status, allowed }) => {
      await emptyStore(store);
      const job = await jobIn(store, status);
      const probe = await PROBES[action](store, job);
      const performed = probe.performed !== undefined ? probe.performed : probe.applied ? action : null;
      expect(performed === action, `${action} on a ${status} job`).toBe(allowed);
      expect(probe.job.status).toBe(performed ? (TRANSITIONS[performed].to ?? status) : status);
      // a refused action is a no-op, not a partial write
      if (performed === null) expect(probe.job).toEqual(job);
    });
  });
}
