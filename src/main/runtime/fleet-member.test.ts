/**
 * The fleet services' safety rules with a fake registry on the manual clock (no sleeps: time moves
 * only when the test advances it, and each advance has run the heartbeats and sweeps that fell due):
 * a node that could not heartbeat for a whole lease stops its own attempts; no node sweeps for
 * expired leases until its own heartbeats have succeeded for a whole lease (after an outage every
 * lease looks expired, and live nodes need one heartbeat to renew theirs); a superseded node ends
 * every fleet loop and fences all; a slow heartbeat is never overlapped by the next.
 */
import { describe, expect, it } from 'vitest';
import type { FleetRegistry, HeartbeatResult, WakeReason } from '../core/fleet-ports';
import type { JobRecord } from '../core/ports';
import { createFleetMember } from './fleet-member';
import { ManualClock } from './testing/manual-clock';

const LEASE_MS = 200;
const BEAT_MS = 50;

function member(registry: Partial<FleetRegistry>, timing: { heartbeatMs?: number; sweepMs?: number; pollMs?: number } = {}) {
  const clock = new ManualClock();
  const stopped: string[] = [];
  const errors: string[] = [];
  const infos: string[] = [];
  const calls = { sweeps: 0, fenceAll: 0, dispatch: 0, reloads: 0 };
  let wakeListener: ((reason: WakeReason) => void) | null = null;
  let rescued: (jobs: readonly JobRecord[]) => void = () => {};
  const fleet = createFleetMember({
    registry: { leaseMs: LEASE_MS, rescueExpired: async () => ((calls.sweeps += 1), []), heartbeat: async () => ({ lost: [] }), ...registry } as FleetRegistry,
    wake: { subscribe: (l) => ((wakeListener = l), () => (wakeListener = null)) },
    registration: { nodeId: 'n', instanceId: 'i', hostname: 'h', version: 'v', libraryPath: '/l', limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, startedAt: 0 },
    timing: { heartbeatMs: 60_000, sweepMs: 60_000, pollMs: 60_000, ...timing }, // only the loops a test sets run on their own
    clock,
    timers: clock,
    beat: () => ({ limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, vramBudgetMb: null, gpus: [], running: { cpu: 1, gpu_encode: 0, gpu_ai: 0 }, vramReservedMb: 0, attempts: [{ jobId: 'j', attempt: 2 }], completedSinceStart: 0, failedSinceStart: 0 }),
    // this process runs attempt 2 of job j
    dispatcher: {
      attemptOf: (jobId: string) => (jobId === 'j' ? { job: { attempt: 2 } } : undefined),
      stopAttempt: (jobId: string, reason: string) => (stopped.push(`${jobId}:${reason}`), true),
      requestDispatch: () => void (calls.dispatch += 1),
      fenceAll: () => void (calls.fenceAll += 1),
    } as never,
    reloadFlags: async () => void (calls.reloads += 1),
    decideRescue: () => ({ kind: 'fail', reason: 'test' }) as never,
    onRescued: (jobs) => rescued(jobs),
    logger: { info: (m: string) => void infos.push(m), warn() {}, error: (m: string) => void errors.push(m) },
  });
  const services = [fleet.heartbeat, fleet.sweeper, fleet.wake];
  return {
    ...fleet,
    clock,
    stopped,
    errors,
    infos,
    calls,
    wakeUp: (reason: WakeReason) => wakeListener?.(reason),
    /** A promise the sweeper resolves with the jobs of its next rescue (a test signal). */
    nextRescue: () => new Promise<readonly JobRecord[]>((resolve) => (rescued = resolve)),
    start: () => services.forEach((s) => void s.start()),
    stop: () => Promise.all(services.map((s) => s.stop())),
  };
}

const failing = (state: { up: boolean }) => async (): Promise<HeartbeatResult> => (state.up ? { lost: [] } : Promise.reject(new Error('connection refused')));

describe('Fleet services (heartbeat, lease sweeper, wake listener)', () => {
  it('stops its own attempts once no heartbeat has reached the database for a whole lease, not a millisecond before', async () => {
    const db = { up: true };
    const m = member({ heartbeat: failing(db) });
    m.start();
    await m.heartbeat.beatNow();
    db.up = false;
    await m.clock.advance(LEASE_MS - 1);
    await m.heartbeat.beatNow();
    expect(m.stopped).toEqual([]); // a short outage is ridden out
    await m.clock.advance(1);
    await m.heartbeat.beatNow();
    expect(m.stopped).toEqual(['j:fenced']);
    expect(m.errors.some((e) => /No heartbeat reached the database for 200 ms \(lease 200 ms\): stopping 1 running attempt/.test(e))).toBe(true);
    await m.stop();
  });

  it('the heartbeat loop renews at its interval and fences on its own after a lease of failures, logging the outage once', async () => {
    const db = { up: true };
    let beats = 0;
    const m = member({ heartbeat: async () => ((beats += 1), failing(db)()) }, { heartbeatMs: BEAT_MS });
    m.start();
    await m.clock.advance(3 * BEAT_MS);
    expect(beats).toBe(3);
    db.up = false;
    await m.clock.advance(LEASE_MS); // the last good beat was at 150: silent for 200 at 350
    expect(beats).toBe(7);
    expect(m.stopped).toEqual(['j:fenced']);
    expect(m.errors.filter((e) => e.startsWith('Fleet heartbeat failed'))).toHaveLength(1);
    db.up = true;
    await m.clock.advance(BEAT_MS);
    expect(m.infos).toEqual(['Fleet heartbeat: the database answers again.']);
    db.up = false;
    await m.clock.advance(BEAT_MS);
    expect(m.errors.filter((e) => e.startsWith('Fleet heartbeat failed'))).toHaveLength(2); // a new outage, logged again
    await m.stop();
  });

  it('stops (as a cancel) the attempts whose job a user asked to cancel through another node, and only the current attempt', async () => {
    const m = member({ heartbeat: async () => ({ lost: [{ jobId: 'j', attempt: 1 }], cancelRequested: [{ jobId: 'j', attempt: 2 }] }) });
    m.start();
    m.wakeUp('cancel'); // another node's cancel: a heartbeat at once
    await m.wake.stop(); // waits for what the wake-up started
    expect(m.stopped).toEqual(['j:cancel']); // attempt 1 is not this process's any more: left alone
    await m.stop();
  });

  it('stops working as its node once another process has taken the node id over: every fleet loop ends', async () => {
    let beats = 0;
    let takenOver = false;
    const m = member(
      {
        heartbeat: async () => {
          beats += 1;
          return takenOver ? { lost: [{ jobId: 'j', attempt: 2 }], supersededBy: 'other-host' } : { lost: [] };
        },
      },
      { heartbeatMs: BEAT_MS, sweepMs: BEAT_MS, pollMs: BEAT_MS },
    );
    m.start();
    await m.clock.advance(BEAT_MS);
    expect(m.calls.fenceAll).toBe(0);
    takenOver = true;
    await m.clock.advance(BEAT_MS);
    expect(m.calls.fenceAll).toBe(1);
    expect(m.errors.some((e) => /Node id "n" was taken over by another process \(on other-host\).*claims no more jobs/.test(e))).toBe(true);
    const after = { beats, ...m.calls };
    m.wakeUp('work');
    await m.clock.advance(10 * LEASE_MS);
    expect({ beats, ...m.calls }).toEqual(after); // no heartbeat renews leases under the id, no sweep, poll or claim
    expect(m.clock.pendingTimers).toBe(0);
    await m.stop();
  });

  it('sweeps only after its own heartbeats have succeeded for a whole lease', async () => {
    const db = { up: true };
    const m = member({ heartbeat: failing(db), rescueExpired: async () => ((m.calls.sweeps += 1), m.calls.sweeps === 2 ? [{ id: 'x', status: 'queued' } as JobRecord] : []) }, { heartbeatMs: BEAT_MS, sweepMs: BEAT_MS });
    m.start();
    await m.clock.advance(LEASE_MS - BEAT_MS);
    expect(m.calls.sweeps).toBe(0); // just started
    await m.clock.advance(BEAT_MS);
    expect(m.calls.sweeps).toBe(1); // healthy for a lease at 200
    db.up = false;
    await m.clock.advance(BEAT_MS);
    expect(m.calls.sweeps).toBe(1); // the database is unreachable from here
    db.up = true;
    await m.clock.advance(BEAT_MS);
    await m.clock.advance(LEASE_MS - BEAT_MS);
    expect(m.calls.sweeps).toBe(1); // back since 300, but the other nodes have not renewed their leases yet
    const rescue = m.nextRescue();
    await m.clock.advance(BEAT_MS);
    expect(m.calls.sweeps).toBe(2);
    expect((await rescue).map((j) => j.id)).toEqual(['x']);
    expect(m.calls.dispatch).toBe(1); // rescued jobs are claimable
    await m.stop();
  });

  it('never overlaps a slow heartbeat with the next: the next is armed only once it has ended', async () => {
    let beats = 0;
    let release!: () => void;
    const m = member(
      {
        heartbeat: async () => {
          beats += 1;
          if (beats === 1) await new Promise<void>((resolve) => (release = resolve));
          return { lost: [] };
        },
      },
      { heartbeatMs: BEAT_MS },
    );
    m.heartbeat.start();
    await m.clock.advance(5 * BEAT_MS); // the first beat hangs at 50 for the rest of the window
    expect(beats).toBe(1);
    expect(m.clock.pendingTimers).toBe(0); // no beat armed while one runs
    const stopping = m.heartbeat.stop(); // a stop waits for the beat in progress
    release();
    await stopping;
    expect(beats).toBe(1);
    expect(m.clock.pendingTimers).toBe(0);
  });

  it('wake-ups claim at once or re-read the flags; the poll backstop does both at its interval', async () => {
    const m = member({}, { pollMs: 1_000 });
    m.start();
    m.wakeUp('work');
    expect(m.calls.dispatch).toBe(1);
    await m.wake.woken('flags'); // what a 'flags' wake-up does, awaited (its promise is the signal)
    await m.clock.advance(999);
    expect(m.calls).toMatchObject({ reloads: 1, dispatch: 2 });
    await m.clock.advance(1);
    expect(m.calls).toMatchObject({ reloads: 2, dispatch: 3 });
    await m.stop();
    m.wakeUp('work');
    await m.clock.advance(5_000);
    expect(m.calls).toMatchObject({ reloads: 2, dispatch: 3 }); // stopped: unsubscribed, no poll
  });
});
