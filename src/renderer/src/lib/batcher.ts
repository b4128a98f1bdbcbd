/**
 * Coalesces a stream of items into batches applied at most once per interval: a burst of events
 * (50 running jobs reporting progress) becomes one store update, and so one render, per interval.
 * The first item after a quiet period is applied on the next tick, so a lone event feels instant.
 */
export interface Timers {
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
  readonly now: () => number;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface Batcher<T> {
  push(items: readonly T[]): void;
  /** Applies what is waiting now. */
  flush(): void;
  /** Drops what is waiting and stops the timer. */
  dispose(): void;
}

export function createBatcher<T>(apply: (items: T[]) => void, intervalMs = 250, timers: Timers = realTimers): Batcher<T> {
  let pending: T[] = [];
  let timer: unknown = null;
  let lastFlushAt = Number.NEGATIVE_INFINITY;

  const flush = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    lastFlushAt = timers.now();
    apply(items);
  };

  return {
    push(items) {
      if (items.length === 0) return;
      pending.push(...items);
      if (timer !== null) return;
      const wait = Math.max(0, lastFlushAt + intervalMs - timers.now());
      timer = timers.setTimeout(flush, wait);
    },
    flush,
    dispose() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = [];
    },
  };
}
