/**
 * The service contract: a group starts its services in order and stops them in reverse, each after
 * the one before has finished; a failed start stops what had started and rethrows the original
 * error; a failed stop does not keep the others running and is named in the error.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock';
import { ChainedLoop } from './chained-loop';
import { defineService, ServiceError, ServiceGroup } from './service';

function recorder() {
  const log: string[] = [];
  const service = (name: string, options: { failStart?: boolean; failStop?: boolean; slowStop?: boolean } = {}) =>
    defineService(
      name,
      async () => {
        if (options.failStart) throw new Error(`${name} cannot start`);
        log.push(`start ${name}`);
      },
      async () => {
        if (options.slowStop) await new Promise((resolve) => setImmediate(resolve));
        if (options.failStop) throw new Error(`${name} cannot stop`);
        log.push(`stop ${name}`);
      },
    );
  return { log, service };
}

describe('ServiceGroup', () => {
  it('starts in order and stops in reverse, awaiting each stop before the next', async () => {
    const { log, service } = recorder();
    const group = new ServiceGroup([service('a'), service('b', { slowStop: true }), service('c')]);
    expect(group.names).toEqual(['a', 'b', 'c']);
    await group.start();
    await group.stop();
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    await group.stop(); // nothing left to stop
    expect(log).toHaveLength(6);
  });

  it('a failed start stops the services already started and rethrows the original error, reporting which service failed', async () => {
    const { log, service } = recorder();
    const reports: string[] = [];
    const original = new Error('b cannot start');
    const group = new ServiceGroup([service('a'), defineService('b', () => Promise.reject(original)), service('c')], (phase, name) => reports.push(`${phase} ${name}`));
    await expect(group.start()).rejects.toBe(original);
    expect(log).toEqual(['start a', 'stop a']);
    expect(reports).toEqual(['start b']);
  });

  it('stops every service even when some fail, then names those that failed', async () => {
    const { log, service } = recorder();
    const group = new ServiceGroup([service('a'), service('b', { failStop: true }), service('c', { failStop: true })]);
    await group.start();
    const error = await group.stop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).failed.map((f) => f.name)).toEqual(['c', 'b']);
    expect((error as Error).message).toMatch(/failed to stop: c \(c cannot stop\); b \(b cannot stop\)/);
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop a']);
  });
});

describe('ChainedLoop', () => {
  it('runs after its first delay, then an interval after each run ends; a stop waits for the run in progress', async () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    let gate: Promise<void> | null = null;
    const loop = new ChainedLoop(
      async () => {
        runs.push(clock.monotonicMs());
        await gate;
      },
      { timers: clock, intervalMs: 100, firstDelayMs: 10 },
    );
    loop.start();
    await clock.advance(210);
    expect(runs).toEqual([10, 110, 210]);
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    await clock.advance(100); // the run at 310 waits on the gate: nothing else is armed meanwhile
    expect(runs).toEqual([10, 110, 210, 310]);
    expect(clock.pendingTimers).toBe(0);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(clock.pendingTimers).toBe(0); // not re-armed after a stop
  });

  it('ends for good once shouldContinue says no, and reports a run that throws', async () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    let runs = 0;
    const loop = new ChainedLoop(
      () => {
        runs += 1;
        throw new Error('boom');
      },
      { timers: clock, intervalMs: 10, shouldContinue: () => runs < 3, onError: (e) => errors.push(e) },
    );
    loop.start();
    await clock.advance(1_000);
    expect(runs).toBe(3);
    expect(errors).toHaveLength(3);
  });
});
