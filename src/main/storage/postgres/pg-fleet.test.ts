/**
 * Fleet plumbing on a real PostgreSQL server: node registration and heartbeats, leases renewed by
 * heartbeat and fenced, the sweep that rescues expired leases, and LISTEN/NOTIFY wake-ups
 * (including across a server restart).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORY_LIMITS } from '../../core/capacity';
import type { NodeHeartbeat, NodeRegistration, WakeReason } from '../../core/fleet-ports';
import { decideAfterCrash } from '../../core/retry-policy';
import { cancelLiveJob, claimRequest, newJob } from '../conformance/job-store-conformance';
import { startPostgres, type PostgresServer } from '../testing/postgres-server';
import { openPostgresStores, type PostgresStores } from './open-postgres-stores';

const LEASE_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function registration(nodeId: string, instanceId = `${nodeId}-1`): NodeRegistration {
  return { nodeId, instanceId, hostname: `${nodeId}.local`, version: '0.0.0-test', libraryPath: `/mnt/${nodeId}/library`, limits: DEFAULT_CATEGORY_LIMITS, startedAt: 1_000 };
}

function beat(nodeId: string, attempts: NodeHeartbeat['attempts'] = [], instanceId = `${nodeId}-1`): NodeHeartbeat {
  return {
    nodeId,
    instanceId,
    limits: DEFAULT_CATEGORY_LIMITS,
    vramBudgetMb: 8_000,
    gpus: [{ index: 0, name: 'Test GPU', totalMb: 8_192, usedMb: 512 }],
    running: { cpu: attempts.length, gpu_encode: 0, gpu_ai: 0 },
    vramReservedMb: 0,
    attempts,
    completedSinceStart: 3,
    failedSinceStart: 1,
  };
}

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('PostgreSQL fleet registry, leases and wake-ups', () => {
  let server: PostgresServer;
  const opened: PostgresStores[] = [];
  const open = async (url: string, nodeId?: string) => {
    const stores = await openPostgresStores(url, { leaseMs: LEASE_MS, ...(nodeId ? { node: { nodeId, instanceId: `${nodeId}-1` } } : {}) });
    opened.push(stores);
    return stores;
  };

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await server?.stop();
  });

  it('registers nodes, records heartbeats, and tells online, offline and stopped apart', async () => {
    const { fleet } = await open(await server.createDatabase());
    await fleet.register(registration('a'));
    await fleet.register(registration('b'));
    await fleet.heartbeat(beat('a'));
    const [a] = await fleet.listNodes();
    expect(a).toMatchObject({ nodeId: 'a', hostname: 'a.local', libraryPath: '/mnt/a/library', vramBudgetMb: 8_000, completedSinceStart: 3, failedSinceStart: 1, stoppedAt: null });
    expect(a!.gpus).toEqual([{ index: 0, name: 'Test GPU', totalMb: 8_192, usedMb: 512 }]);
    expect(a!.readAt - a!.heartbeatAt).toBeLessThan(LEASE_MS);

    await fleet.markStopped('b', 'b-1');
    await sleep(LEASE_MS + 50);
    const [later, b] = await fleet.listNodes();
    expect(later!.readAt - later!.heartbeatAt).toBeGreaterThan(LEASE_MS); // silent past its lease: offline
    expect(b!.stoppedAt).not.toBeNull();
  });

  it('refuses a second live process with the same node id, lets a restarted node take over once the old one is silent, and tells the old one', async () => {
    const { fleet, jobs } = await open(await server.createDatabase());
    const pool = (fleet as unknown as { pool: import('pg').Pool }).pool;
    await fleet.register(registration('gpu-1', 'first'));
    await fleet.heartbeat(beat('gpu-1', [], 'first'));
    const impatient = new (fleet.constructor as typeof import('./pg-fleet').PostgresFleetRegistry)(
      (fleet as unknown as { pool: import('pg').Pool }).pool,
      (fleet as unknown as { log: import('./pg-logs').PgLogWriter }).log,
      { leaseMs: LEASE_MS, takeoverWaitMs: 100 },
    );
    await expect(impatient.register(registration('gpu-1', 'second'))).rejects.toMatchObject({ code: 'NODE_ID_IN_USE', message: expect.stringMatching(/MEDIA_NODE_ID/) });
    // the first process dies (no more heartbeats): the default wait of one lease lets the restart in
    const started = Date.now();
    await fleet.register(registration('gpu-1', 'second'));
    expect(Date.now() - started).toBeLessThan(LEASE_MS + 5_000); // one lease plus polling, with room for a loaded machine
    expect((await fleet.listNodes())[0]).toMatchObject({ nodeId: 'gpu-1', instanceId: 'second' });
    // the first process was only frozen: its next heartbeat learns it was superseded, renews nothing
    const [job] = await jobs.insertJobs([newJob()]);
    const claimed = await jobs.claimJobs(claimRequest('gpu-1', 1_000));
    const leaseBefore = (await pool.query<{ l: string }>('SELECT lease_expires_at AS l FROM jobs WHERE id = $1', [job!.id])).rows[0]!.l;
    const stale = await fleet.heartbeat(beat('gpu-1', [{ jobId: job!.id, attempt: claimed.started[0]!.attempt }], 'first'));
    expect(stale).toEqual({ lost: [{ jobId: job!.id, attempt: 1 }], supersededBy: 'gpu-1.local' });
    expect((await pool.query<{ l: string }>('SELECT lease_expires_at AS l FROM jobs WHERE id = $1', [job!.id])).rows[0]!.l).toBe(leaseBefore);
    expect(await fleet.heartbeat(beat('gpu-1', [], 'second'))).toEqual({ lost: [] });
  });

  it('gives claimed jobs a lease that heartbeats renew; cancelled attempts come back as lost', async () => {
    const { jobs, fleet } = await open(await server.createDatabase());
    await fleet.register(registration('a'));
    await jobs.insertJobs(Array.from({ length: 3 }, () => newJob()));
    const { started } = await jobs.claimJobs(claimRequest('a', 1_000));
    expect(started).toHaveLength(3);
    const attempts = started.map((j) => ({ jobId: j.id, attempt: j.attempt }));

    for (let i = 0; i < 4; i++) {
      await sleep(LEASE_MS / 3);
      expect(await fleet.heartbeat(beat('a', attempts))).toEqual({ lost: [] });
    }
    // renewed for longer than one lease in total: a sweep finds nothing to rescue
    expect(await fleet.rescueExpired(5_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries))).toEqual([]);

    await cancelLiveJob(jobs, attempts[0]!, 2_000);
    expect(await fleet.heartbeat(beat('a', attempts))).toEqual({ lost: [attempts[0]] });
    // a cancel asked through any node: the attempt is still this node's (renewed) and must stop as a cancel
    await jobs.cancelJob({ jobId: started[2]!.id, at: 2_100, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
    expect(await fleet.heartbeat(beat('a', attempts))).toEqual({ lost: [attempts[0]], cancelRequested: [attempts[2]] });
    // an attempt this node does not hold (another attempt number) is not renewed either
    expect((await fleet.heartbeat(beat('a', [{ jobId: started[1]!.id, attempt: started[1]!.attempt + 1 }]))).lost).toHaveLength(1);
  });

  it('rescues the jobs of a silent node after its lease, fences its late outcome, and tells it at its next heartbeat', async () => {
    const { jobs, fleet } = await open(await server.createDatabase());
    await fleet.register(registration('dead'));
    await fleet.register(registration('alive'));
    await jobs.insertJobs(Array.from({ length: 4 }, () => newJob()));
    const dead = (await jobs.claimJobs(claimRequest('dead', 1_000, { limits: { cpu: 2, gpu_encode: 0, gpu_ai: 0 }, vramBudgetMb: null, queuePaused: false, pausedCategories: [] }))).started;
    const alive = (await jobs.claimJobs(claimRequest('alive', 1_000))).started;
    expect(dead).toHaveLength(2);
    expect(alive).toHaveLength(2);
    const aliveAttempts = alive.map((j) => ({ jobId: j.id, attempt: j.attempt }));

    expect(await fleet.rescueExpired(2_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries))).toEqual([]); // not yet
    for (let waited = 0; waited < LEASE_MS + 100; waited += 100) {
      await sleep(100);
      await fleet.heartbeat(beat('alive', aliveAttempts)); // only "alive" keeps renewing
    }
    const rescued = await fleet.rescueExpired(3_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
    expect(rescued.map((j) => j.id).sort()).toEqual(dead.map((j) => j.id).sort());
    expect(rescued.every((j) => j.status === 'queued' && j.retryCount === 1)).toBe(true);
    const log = await jobs.readLog(dead[0]!.id, 0, 10);
    expect(log.lines.at(-1)!.text).toMatch(/Node dead stopped renewing this job's lease .* Rescued by the lease sweep: re-queued/);

    // the dead node comes back to life: its outcome is fenced off, its heartbeat reports the loss
    expect(await jobs.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'completed', jobId: dead[0]!.id, attempt: dead[0]!.attempt, at: 4_000, logLine: 'late' }] })).toEqual([]);
    expect((await fleet.heartbeat(beat('dead', dead.map((j) => ({ jobId: j.id, attempt: j.attempt }))))).lost).toHaveLength(2);
    // the other node picks the rescued jobs up as a new attempt
    const again = (await jobs.claimJobs(claimRequest('alive', 5_000))).started;
    expect(again.map((j) => j.id).sort()).toEqual(dead.map((j) => j.id).sort());
    expect(again.every((j) => j.attempt === 2 && j.nodeId === 'alive')).toBe(true);
  });

  it('wakes the other nodes (not the sender) when work arrives, flags change, or their job is cancelled', async () => {
    const url = await server.createDatabase();
    const a = await open(url, 'a');
    const b = await open(url, 'b');
    const c = await open(url, 'c');
    const heard: Record<string, WakeReason[]> = { a: [], b: [], c: [] };
    a.wake!.subscribe((r) => heard.a!.push(r));
    b.wake!.subscribe((r) => heard.b!.push(r));
    c.wake!.subscribe((r) => heard.c!.push(r));

    await a.jobs.insertJobs([newJob()]);
    await waitFor(() => heard.b!.includes('work') && heard.c!.includes('work'));
    expect(heard.a).toEqual([]);

    // a category the cpu job below is not in: the claim that follows reads the stored flags too
    await a.jobs.changeQueueFlags({ paused: true, category: 'gpu_ai' });
    await waitFor(() => heard.b!.includes('flags') && heard.c!.includes('flags'));

    const [job] = await a.jobs.insertJobs([newJob()]);
    const { started } = await b.jobs.claimJobs(claimRequest('b', 1_000));
    expect(started.map((j) => j.id)).toContain(job!.id);
    heard.b = [];
    heard.c = [];
    expect((await a.jobs.cancelJob({ jobId: job!.id, at: 2_000, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' })).job).toMatchObject({ status: 'running', cancelRequestedAt: 2_000 });
    await waitFor(() => heard.b!.includes('cancel'));
    await sleep(100);
    expect(heard.c).not.toContain('cancel'); // only the node that runs it
  });

  it('coalesces a burst of notifications and keeps listening across a database restart', async () => {
    const url = await server.createDatabase();
    const a = await open(url, 'a');
    const b = await open(url, 'b');
    let wakes = 0;
    b.wake!.subscribe(() => (wakes += 1));
    for (let i = 0; i < 200; i++) a.wake!.notify('work');
    await waitFor(() => wakes > 0);
    await sleep(200);
    expect(wakes).toBeLessThanOrEqual(3); // one in flight, one after it

    // counted from before the restart: the listener may reconnect (and wake) before restart() returns
    wakes = 0;
    await server.restart();
    // after reconnecting, the listener is told to look for work it may have missed
    await waitFor(() => wakes > 0, 40_000); // reconnect back-off reaches 5 s; a loaded machine restarts slowly
    wakes = 0;
    await waitFor(() => {
      a.wake!.notify('work');
      return wakes > 0;
    }, 40_000);
    // the pool recovers too: the next store call works
    await expect(a.jobs.insertJobs([newJob()])).resolves.toHaveLength(1);
  }, 120_000);
});
