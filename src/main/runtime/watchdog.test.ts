/**
 * The hang watchdog on the manual clock: it looks every quarter of the hang timeout and stops an
 * attempt silent for the whole timeout, never a suspended one (silent on purpose) nor one that
 * keeps reporting. No sleeps: the test moves time and waits on the onHang signal.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from './testing/manual-clock';
import { HangWatchdog, type WatchedAttempt } from './watchdog';

describe('HangWatchdog', () => {
  it('stops an attempt silent for the hang timeout at its next look, leaving suspended and live ones alone', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const attempts: WatchedAttempt[] = [
      { id: 'hung', suspended: false, lastActivityAt: start },
      { id: 'suspended', suspended: true, lastActivityAt: start },
      { id: 'live', suspended: false, lastActivityAt: start },
    ];
    const stopped: string[] = [];
    let hang!: (jobId: string) => void;
    const hung = new Promise<string>((resolve) => (hang = resolve));
    const watchdog = new HangWatchdog({
      attempts: () => attempts,
      stop: (jobId, reason) => void stopped.push(`${jobId}:${reason}`),
      hangTimeoutMs: 1_000,
      clock,
      timers: clock,
      onHang: (jobId) => hang(jobId),
    });
    expect(HangWatchdog.intervalFor(1_000)).toBe(250);
    watchdog.start();
    await clock.advance(750);
    (attempts[2] as { lastActivityAt: number }).lastActivityAt = clock.now(); // progress at 750
    await clock.advance(249);
    expect(stopped).toEqual([]); // looked at 250, 500, 750: nobody silent for 1 s yet
    await clock.advance(1);
    expect(await hung).toBe('hung');
    expect(stopped).toEqual(['hung:hang']);
    await watchdog.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('looks every 250 ms to 5 s whatever the timeout', () => {
    expect(HangWatchdog.intervalFor(100)).toBe(250);
    expect(HangWatchdog.intervalFor(8_000)).toBe(2_000);
    expect(HangWatchdog.intervalFor(600_000)).toBe(5_000);
  });
});
