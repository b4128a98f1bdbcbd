/**
 * Fleet mode through real runtimes on one real PostgreSQL server (in one process; the chaos test
 * runs nodes as separate processes): wake-ups start work on an idle node at once, a cancel on one
 * node stops the attempt on another, a lost lease fences the old attempt while another node
 * finishes the job, the queue flags reach every node, and the node list shows who runs what.
 * Polling and heartbeat intervals are set long so only the mechanism under test can pass.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import type { Job } from '../../shared/contracts/job';
import { startPostgres, type PostgresServer } from '../storage/testing/postgres-server';
import { startWebhookReceiver } from './notifications/testing/webhook-receiver';
import { startFleetTestNode, type FleetTestNode } from './testing/fleet-test-node';
import { waitFor } from './testing/test-runtime';
import type { RuntimeEvent } from './events';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SLOW = { pollMs: 60_000, heartbeatMs: 5_000, sweepMs: 60_000, leaseMs: 30_000 };

describe('fleet mode: runtimes sharing one PostgreSQL database', { timeout: 90_000 }, () => {
  let server: PostgresServer;
  let nodes: FleetTestNode[] = [];
  /** Errors any node logged: every test ends with none. */
  let errors: string[] = [];
  const logger = { info() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args.map(String).join(' ')) };
  const start = async (url: string, nodeId: string, options: Parameters<typeof startFleetTestNode>[2] = {}) => {
    const node = await startFleetTestNode(url, nodeId, { logger, ...options });
    nodes.push(node);
    return node;
  };
  const statusOf = async (node: FleetTestNode, id: string): Promise<Job['status']> => (await node.runtime.execute('getJob', { id })).status;

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    nodes = [];
    const logged = errors;
    errors = [];
    expect(logged).toEqual([]);
  });
  afterAll(async () => server?.stop());

  it('starts a job created on a full node on an idle one within milliseconds (woken, not polled)', async () => {
    const url = await server.createDatabase();
    const full = await start(url, 'full', { fleet: SLOW, config: { limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    const idle = await start(url, 'idle', { fleet: SLOW });
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const { id } = await full.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 0 } });
      await waitFor(async () => idle.runtime.runningJobIds().includes(id) || (await statusOf(idle, id)) === 'completed', 10_000, 'the idle node to start it');
      latencies.push(performance.now() - t0);
      await waitFor(async () => (await statusOf(full, id)) === 'completed', 10_000, 'completion');
      expect((await full.runtime.execute('getJob', { id })).nodeId).toBe('idle');
    }
    latencies.sort((a, b) => a - b);
    expect(latencies[5]!).toBeLessThan(2_000); // the polling backstop is a minute away (a quiet machine: ~10 ms)
  });

  it('stops the attempt on the node running a job when a user cancels it through another node', async () => {
    const url = await server.createDatabase();
    const front = await start(url, 'front', { fleet: SLOW, config: { limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    const worker = await start(url, 'worker', { fleet: SLOW });
    const { id } = await front.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 20_000 } });
    await waitFor(() => worker.runtime.runningJobIds().includes(id), 10_000, 'the worker to run it');
    // the front node learns of the end through the fleet's relay; at that moment the worker's attempt has ended
    const cancelledSeen = new Promise<boolean>((resolve) => {
      const off = front.runtime.subscribe((e) => {
        if (e.type !== 'job.updated' || e.job.id !== id || e.job.status !== 'cancelled') return;
        off();
        resolve(worker.runtime.runningJobIds().includes(id));
      });
    });
    const t0 = performance.now();
    // cancelling (on every node: the store holds the request) until the worker's attempt has ended, then cancelled
    expect(await front.runtime.execute('cancelJob', { id })).toMatchObject({ status: 'running', cancelling: true });
    expect(await cancelledSeen).toBe(false);
    await waitFor(() => !worker.runtime.runningJobIds().includes(id), 10_000, 'the worker to stop it');
    expect(performance.now() - t0).toBeLessThan(3_000); // the next heartbeat is 5 s away: the cancel wake-up did it
    await waitFor(async () => (await statusOf(front, id)) === 'cancelled', 3_000, 'cancelled');
    expect(await front.runtime.execute('getJob', { id })).toMatchObject({ status: 'cancelled', cancelling: false });
    expect((await front.runtime.execute('getJob', { id })).log).toMatch(/Cancelled: the tool has exited/);
  });

  it('stops working as its node once another process has taken its node id over (it was frozen longer than the takeover wait)', async () => {
    const url = await server.createDatabase();
    const old = await start(url, 'gpu-1', { fleet: { pollMs: 60_000, heartbeatMs: 100, sweepMs: 60_000, leaseMs: 30_000 } });
    const { id } = await old.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 20_000 } });
    await waitFor(() => old.runtime.runningJobIds().includes(id), 10_000, 'it to run the job');
    // what a successor's registration leaves in the row once the takeover wait has passed
    const db = new Client({ connectionString: url });
    await db.connect();
    await db.query(`UPDATE nodes SET instance_id = 'successor', hostname = 'elsewhere' WHERE id = 'gpu-1'`);
    await db.end();
    await waitFor(() => !old.runtime.runningJobIds().includes(id), 10_000, 'the superseded process to stop its attempt');
    expect(errors).toEqual([expect.stringMatching(/Node id "gpu-1" was taken over by another process \(on elsewhere\).*claims no more jobs/)]);
    errors = [];
    // and it claims nothing more under that id
    const { id: next } = await old.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 0 } });
    // a real wait: an absence (no claim) has no signal to wait on, and claims run on real PostgreSQL
    await new Promise((r) => setTimeout(r, 500));
    expect(await statusOf(old, next)).toBe('pending');
  });

  it('fences an attempt whose lease was lost: another node reruns the job, the old attempt stops and cannot finish it', async () => {
    const url = await server.createDatabase();
    // "stale" neither heartbeats nor sweeps on its own during the test: as if cut off from the database
    const stale = await start(url, 'stale', { fleet: { pollMs: 100, heartbeatMs: 60_000, sweepMs: 60_000, leaseMs: 180_000 } });
    const { id } = await stale.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 1_500 } });
    await waitFor(() => stale.runtime.runningJobIds().includes(id), 10_000, 'the first node to run it');
    const rescuer = await start(url, 'rescuer', { fleet: { pollMs: 100, heartbeatMs: 100, sweepMs: 100, leaseMs: 1_000 } }); // sweeps once healthy for a lease
    // its lease runs out
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query('UPDATE jobs SET lease_expires_at = 0 WHERE id = $1', [id]);
    await admin.end();

    // the rescuer's sweep re-queues it and tells "stale", which checks its attempts at once (its next
    // heartbeat is a minute away) and stops attempt 1; attempt 2 runs on either node
    await waitFor(async () => (await rescuer.runtime.execute('getJob', { id })).log.includes('Rescued by the lease sweep'), 10_000, 'the sweep');
    await waitFor(() => stale.runtime.liveAttempts().every((a) => a.jobId !== id || a.attempt > 1), 10_000, 'the stale attempt to stop');
    await waitFor(async () => (await statusOf(rescuer, id)) === 'completed', 15_000, 'the rerun to complete');
    const job = await rescuer.runtime.execute('getJob', { id });
    expect(job.log).toMatch(/Node stale stopped renewing this job's lease .* re-queued/);
    expect(job.log).toMatch(/Started attempt 2 on node (stale|rescuer)/);
    expect(job.log.match(/Completed successfully/g)).toHaveLength(1);
  });

  it('relays live events: a UI connected to one node follows jobs running on another', async () => {
    const url = await server.createDatabase();
    const front = await start(url, 'front', { fleet: SLOW, config: { limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    await start(url, 'worker', { fleet: SLOW });
    const seen: RuntimeEvent[] = [];
    const off = front.runtime.subscribe((e) => seen.push(e));
    const ok = await front.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 400 } });
    const bad = await front.runtime.execute('createJob', { type: 'validate', params: { fail: 'fatal' } });
    const updates = (id: string) => seen.flatMap((e) => (e.type === 'job.updated' && e.job.id === id ? [e.job] : []));
    await waitFor(() => updates(ok.id).some((j) => j.status === 'completed') && updates(bad.id).some((j) => j.status === 'failed'), 15_000, 'both outcomes relayed');
    off();
    expect(updates(ok.id).some((j) => j.status === 'running' && j.nodeId === 'worker')).toBe(true);
    expect(seen.some((e) => e.type === 'job.progress' && e.jobId === ok.id && e.progress > 0 && e.progress < 100)).toBe(true);
    expect(seen.some((e) => e.type === 'job.log' && e.jobId === bad.id && /Scripted failure on attempt 1/.test(e.text))).toBe(true);
  });

  it('pauses and resumes the queue for every node', async () => {
    const url = await server.createDatabase();
    // what is under test is the pause reaching every node, not the wake-up's speed: wake-ups are
    // best effort, and once (a loaded CI machine) the waiting reason missed the 10-s wait with the
    // 60-s backstop poll; a 2-s poll keeps the test about the pause
    const fleet = { ...SLOW, pollMs: 2_000 };
    const a = await start(url, 'a', { fleet, config: { limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    const b = await start(url, 'b', { fleet });
    await a.runtime.execute('pauseQueue', {});
    await waitFor(async () => (await b.runtime.execute('getQueueState', {})).paused, 10_000, 'b to see the pause');
    const { id } = await a.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 0 } });
    await waitFor(async () => {
      const job = await a.runtime.execute('getJob', { id });
      // a node whose flags a stale read had turned back to "running" once started it here
      if (job.status !== 'pending' && job.status !== 'queued') throw new Error(`the job went ${job.status} on node ${job.nodeId} while the queue was paused`);
      return job.waitingReason?.match(/paused/i);
    }, 10_000, 'a waiting reason');
    expect(await statusOf(a, id)).toBe('queued');
    await a.runtime.execute('resumeQueue', {});
    await waitFor(async () => (await statusOf(a, id)) === 'completed', 10_000, 'b to run it after the resume');
    expect((await a.runtime.execute('getJob', { id })).nodeId).toBe('b');
  });

  it('lists every node with its limits, heartbeat and what it runs; a clean stop shows as stopped', async () => {
    const url = await server.createDatabase();
    const fast = { pollMs: 100, heartbeatMs: 100, sweepMs: 100, leaseMs: 30_000 };
    const a = await start(url, 'node-a', { fleet: fast, config: { limits: { cpu: 3, gpu_encode: 1, gpu_ai: 1 } } });
    const b = await start(url, 'node-b', { fleet: fast, config: { limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    const { id } = await b.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 5_000 } });
    await waitFor(() => a.runtime.runningJobIds().includes(id), 10_000, 'node-a to run it');
    // seen from node-b: node-a's row comes from its heartbeat
    const fleet = await waitFor(async () => {
      const f = await b.runtime.execute('listNodes', {});
      return f.nodes.find((n) => n.id === 'node-a')?.runningJobIds.includes(id) ? f : undefined;
    }, 10_000, "node-a's heartbeat");
    expect(fleet).toMatchObject({ mode: 'fleet', nodeId: 'node-b', leaseMs: 30_000 });
    const [na, nb] = fleet.nodes;
    expect(na).toMatchObject({ id: 'node-a', state: 'online', self: false, limits: { cpu: 3, gpu_encode: 1, gpu_ai: 1 }, running: { cpu: 1 } });
    expect(nb).toMatchObject({ id: 'node-b', state: 'online', self: true, running: { cpu: 0 } });
    // each node's System page counts its own slots, not the fleet's
    expect((await a.runtime.execute('getSystemInfo', {})).slots.cpu).toEqual({ running: 1, limit: 3 });
    expect((await b.runtime.execute('getSystemInfo', {})).slots.cpu).toEqual({ running: 0, limit: 0 });
    await a.runtime.execute('cancelJob', { id });
    await a.close();
    nodes = nodes.filter((n) => n !== a);
    const after = await b.runtime.execute('listNodes', {});
    expect(after.nodes.find((n) => n.id === 'node-a')).toMatchObject({ state: 'stopped', runningJobIds: [] });
  });

  it('applies a notification rule saved through another node at its next poll (not its 30-s check)', async () => {
    const url = await server.createDatabase();
    const poll = { ...SLOW, pollMs: 200 };
    const worker = await start(url, 'worker', { fleet: poll });
    const front = await start(url, 'front', { fleet: poll, config: { limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    // the worker's notifier has read the settings at its first check (1 s after the start): none yet
    await sleep(1_500);
    await front.runtime.execute('setNotifications', { rules: [{ id: 'failed', event: 'job.failed', enabled: true, channels: { desktop: true, browser: false, webhooks: [] } }], webhooks: [] });
    await sleep(600); // three polls of the worker
    const notes: string[] = [];
    const off = worker.runtime.subscribe((e) => void (e.type === 'notification' && notes.push(e.notification.title)));
    try {
      const { id } = await front.runtime.execute('createJob', { type: 'validate', params: { fail: 'fatal' }, maxRetries: 0 });
      await waitFor(async () => (await statusOf(worker, id)) === 'failed', 10_000, 'the job to fail');
      await waitFor(() => notes.length > 0, 5_000, 'the worker to notify the failure');
      expect(notes).toEqual([expect.stringMatching(/fail/i)]);
    } finally {
      off();
    }
  });

  it('shares notification settings and webhook tries: saved on one node, tested on another at once, every try listed on every node', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const url = await server.createDatabase();
      const a = await start(url, 'node-a', { fleet: SLOW });
      const b = await start(url, 'node-b', { fleet: SLOW });
      await a.runtime.execute('setNotifications', { rules: [], webhooks: [{ id: 'ops', name: 'Ops', url: receiver.url, enabled: true, timeoutMs: 5_000, secret: 'a-secret-value' }] });
      // node B's periodic re-read is far away: the test answers from the stored settings
      expect((await b.runtime.execute('testNotification', { channel: 'webhook', webhookId: 'ops' })).delivery).toMatchObject({ outcome: 'delivered', nodeId: 'node-b' });
      expect((await a.runtime.execute('testNotification', { channel: 'webhook', webhookId: 'ops' })).delivery).toMatchObject({ outcome: 'delivered', nodeId: 'node-a' });
      expect(receiver.received).toHaveLength(2);
      for (const node of [a, b]) {
        const { deliveries } = await node.runtime.execute('listNotificationDeliveries', { limit: 10 });
        expect(deliveries.map((d) => d.nodeId)).toEqual(['node-a', 'node-b']);
      }
    } finally {
      await receiver.close();
    }
  });
});
