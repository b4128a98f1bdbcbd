/**
 * FleetMember's safety rules with a fake registry (real timers, a short lease): a node that could
 * not heartbeat for a whole lease stops its own attempts, and no node sweeps for expired leases
 * until its own heartbeats have succeeded for a whole lease (after an outage every lease looks
 * expired, and live nodes need one heartbeat to renew theirs).
 */
import { describe, expect, it } from 'vitest';
import type { FleetRegistry, LiveAttempt } from '../core/fleet-ports';
import { FleetMember } from './fleet-member';

const LEASE_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function member(registry: Partial<FleetRegistry>) {
  const stopped: LiveAttempt[] = [];
  const cancelled: LiveAttempt[] = [];
  const errors: string[] = [];
  let sweeps = 0;
  let superseded = 0;
  const fleet = new FleetMember({
    registry: { leaseMs: LEASE_MS, rescueExpired: async () => ((sweeps += 1), []), heartbeat: async () => ({ lost: [] }), ...registry } as FleetRegistry,
    registration: { nodeId: 'n', instanceId: 'i', hostname: 'h', version: 'v', libraryPath: '/l', limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, startedAt: 0 },
    timing: { heartbeatMs: 60_000, sweepMs: 60_000, pollMs: 60_000 }, // only the calls below
    beat: () => ({ limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, vramBudgetMb: null, gpus: [], running: { cpu: 1, gpu_encode: 0, gpu_ai: 0 }, vramReservedMb: 0, attempts: [{ jobId: 'j', attempt: 2 }], completedSinceStart: 0, failedSinceStart: 0 }),
    stopAttempt: (a) => stopped.push(a),
    cancelAttempt: (a) => cancelled.push(a),
    requestDispatch: () => {},
    reloadFlags: async () => {},
    decideRescue: () => ({ kind: 'fail', reason: 'test' }) as never,
    now: () => Date.now(),
    onRescued: () => {},
    onSuperseded: () => void (superseded += 1),
    logger: { info() {}, warn() {}, error: (m: string) => void errors.push(m) },
  });
  return { fleet, stopped, cancelled, errors, sweeps: () => sweeps, superseded: () => superseded };
}

describe('FleetMember', () => {
  it('stops its own attempts once no heartbeat has reached the database for a whole lease', async () => {
    let up = true;
    const m = member({ heartbeat: async () => (up ? { lost: [] } : Promise.reject(new Error('connection refused'))) });
    m.fleet.start();
    await m.fleet.heartbeat();
    up = false;
    await m.fleet.heartbeat();
    expect(m.stopped).toEqual([]); // a short outage is ridden out
    await sleep(LEASE_MS + 50);
    await m.fleet.heartbeat();
    expect(m.stopped).toEqual([{ jobId: 'j', attempt: 2 }]);
    expect(m.errors.some((e) => /No heartbeat reached the database for \d+ ms \(lease 200 ms\): stopping 1 running attempt/.test(e))).toBe(true);
    m.fleet.stop();
  });

  it('stops (as a cancel) the attempts whose job a user asked to cancel through another node', async () => {
    const m = member({ heartbeat: async () => ({ lost: [], cancelRequested: [{ jobId: 'j', attempt: 2 }] }) });
    m.fleet.start();
    await m.fleet.heartbeat();
    expect(m.cancelled).toEqual([{ jobId: 'j', attempt: 2 }]);
    expect(m.stopped).toEqual([]);
    m.fleet.stop();
  });

  it('stops working as its node once another process has taken the node id over', async () => {
    let beats = 0;
    let takenOver = false;
    const m = member({
      heartbeat: async () => {
        beats += 1;
        return takenOver ? { lost: [{ jobId: 'j', attempt: 2 }], supersededBy: 'other-host' } : { lost: [] };
      },
    });
    m.fleet.start();
    await m.fleet.heartbeat();
    expect(m.superseded()).toBe(0);
    takenOver = true;
    await m.fleet.heartbeat();
    expect(m.superseded()).toBe(1);
    expect(m.errors.some((e) => /Node id "n" was taken over by another process \(on other-host\).*claims no more jobs/.test(e))).toBe(true);
    const after = beats;
    await m.fleet.sweep();
    await sleep(50);
    expect(beats).toBe(after); // its timers are stopped: no heartbeat renews leases under the id any more
    m.fleet.stop();
  });

  it('sweeps only after its own heartbeats have succeeded for a whole lease', async () => {
    let up = true;
    const m = member({ heartbeat: async () => (up ? { lost: [] } : Promise.reject(new Error('connection refused'))) });
    m.fleet.start();
    await m.fleet.sweep();
    expect(m.sweeps()).toBe(0); // just started
    await sleep(LEASE_MS + 50);
    await m.fleet.sweep();
    expect(m.sweeps()).toBe(1);
    up = false;
    await m.fleet.heartbeat();
    await m.fleet.sweep();
    expect(m.sweeps()).toBe(1); // the database is unreachable from here
    up = true;
    await m.fleet.heartbeat();
    await m.fleet.sweep();
    expect(m.sweeps()).toBe(1); // back, but the other nodes have not renewed their leases yet
    await sleep(LEASE_MS + 50);
    await m.fleet.sweep();
    expect(m.sweeps()).toBe(2);
    m.fleet.stop();
  });
});
