import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock';

describe('ManualClock', () => {
  it('reads wall and monotonic time that move only on advance', async () => {
    const clock = new ManualClock(1_000_000);
    expect([clock.now(), clock.monotonicMs()]).toEqual([1_000_000, 0]);
    await clock.advance(250);
    expect([clock.now(), clock.monotonicMs()]).toEqual([1_000_250, 250]);
  });

  it('runs due timers in order of due time, then of arming, each at its own time; cleared ones never', async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.monotonicMs()}`), 20);
    clock.setTimeout(() => seen.push(`a@${clock.monotonicMs()}`), 10);
    clock.setTimeout(() => seen.push(`c@${clock.monotonicMs()}`), 20);
    const cleared = clock.setTimeout(() => seen.push('never'), 5);
    clock.clearTimeout(cleared);
    clock.setTimeout(() => seen.push('later'), 31);
    await clock.advance(30);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextDueAt).toBe(31);
  });

  it('awaits the promise a timer starts, so what it arms at its end runs in the same advance', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const tick = async () => {
      await Promise.resolve();
      await new Promise((resolve) => setImmediate(resolve)); // a real I/O turn
      seen.push(clock.monotonicMs());
      clock.setTimeout(tick, 100);
    };
    clock.setTimeout(tick, 100);
    await clock.advance(350);
    expect(seen).toEqual([100, 200, 300]);
  });

  it('goes on past a run that waits on its own timers (a pause), and fails the advance when a run rejects', async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    clock.setTimeout(async () => {
      seen.push('pass start');
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 20));
      seen.push(`pass end@${clock.monotonicMs()}`);
    }, 10);
    await clock.advance(100);
    expect(seen).toEqual(['pass start', 'pass end@30']);
    clock.setTimeout(() => Promise.reject(new Error('run failed')), 1);
    await expect(clock.advance(1)).rejects.toThrow('run failed');
  });
});
