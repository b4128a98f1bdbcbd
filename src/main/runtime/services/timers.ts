/**
 * The real Timers (core/ports.ts): Node's, unref'd so a pending service timer never keeps a process
 * alive on its own. Services take Timers injected; tests pass the manual clock instead.
 */
import type { Timers } from '../../core/clock';

export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Resolves after `ms` on the given timers (a pause between two batches). */
export function sleepOn(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}
