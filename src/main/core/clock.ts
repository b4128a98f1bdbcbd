/**
 * Time as the core and the runtime's services see it: wall and monotonic clocks and timers, injected
 * so that tests drive time instead of sleeping past leases.
 */
export interface Clock {
  /** Wall time, epoch ms: what is stored, compared with stored times and shown. */
  now(): number;
  /**
   * Monotonic ms from an arbitrary origin, for intervals this process measures itself (how long its
   * heartbeats have failed or succeeded): a wall-clock step (NTP, a user) must not bend them.
   */
  monotonicMs(): number;
}

export const systemClock: Clock = { now: () => Date.now(), monotonicMs: () => performance.now() };

/** An opaque timer handle (a Node Timeout in production, a number under test timers). */
export type TimerHandle = unknown;

/**
 * Timers, injected like the clock so services run on test time. A callback may return a promise:
 * test timers await it (a chained loop re-arms before time moves on); real timers ignore it, so
 * it must not reject.
 */
export interface Timers {
  setTimeout(fn: () => unknown, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
