/**
 * A clock and timers that move only when a test says so (no global timer patching): services take
 * it as their Clock and Timers, and the test calls `advance(ms)`.
 *
 * advance runs the timers that fall due, in order of due time (then of arming), with the clock set
 * to each one's time, and awaits the promise a timer's callback returns (a heartbeat, a sweep), so
 * a chained loop has armed its next run before time moves on. A run that waits on something only
 * time brings (a pause on these same timers) does not block it: advance goes on once the run has
 * armed a new timer, or once the event loop has turned a few times without it settling (it waits on
 * a gate the test holds). A callback that throws or rejects fails the advance.
 */
import type { Clock, TimerHandle, Timers } from '../../core/clock';

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => unknown;
}

/** Event-loop turns a run may take to settle before advance moves on without it. */
const IDLE_TURNS = 20;

export class ManualClock implements Clock, Timers {
  private elapsed = 0;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  /** Runs started by timers that had not settled when advance moved on. */
  private readonly unsettled = new Set<Promise<unknown>>();
  private readonly errors: unknown[] = [];

  /** `wallStart`: what now() reads at elapsed 0 (epoch ms). */
  constructor(private readonly wallStart = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.wallStart + this.elapsed;
  }

  monotonicMs(): number {
    return this.elapsed;
  }

  setTimeout(fn: () => unknown, ms: number): TimerHandle {
    const seq = ++this.seq;
    this.pending.set(seq, { at: this.elapsed + Math.max(0, ms), seq, fn });
    return seq;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle as number);
  }

  /** Timers armed and not yet run. */
  get pendingTimers(): number {
    return this.pending.size;
  }

  /** When the next timer falls due (ms after start), or null. */
  get nextDueAt(): number | null {
    return this.next(Number.POSITIVE_INFINITY)?.at ?? null;
  }

  /** Moves time `ms` forward, running what falls due on the way (see the header). */
  async advance(ms: number): Promise<void> {
    const end = this.elapsed + ms;
    for (;;) {
      const due = this.next(end);
      if (!due) {
        // runs still in progress may arm timers that fall due inside the window
        if (this.unsettled.size === 0 || !(await this.waitForRuns([...this.unsettled]))) break;
        continue;
      }
      this.pending.delete(due.seq);
      this.elapsed = due.at;
      this.fire(due);
      if (this.unsettled.size > 0) await this.waitForRuns([...this.unsettled]);
    }
    this.elapsed = end;
    this.throwErrors();
  }

  /** Runs what is due now (advance by 0). */
  runDue(): Promise<void> {
    return this.advance(0);
  }

  private next(end: number): Pending | undefined {
    let best: Pending | undefined;
    for (const t of this.pending.values()) {
      if (t.at <= end && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    }
    return best;
  }

  private fire(timer: Pending): void {
    let result: unknown;
    try {
      result = timer.fn();
    } catch (error) {
      this.errors.push(error);
      return;
    }
    if (!isThenable(result)) return;
    const run: Promise<unknown> = Promise.resolve(result).then(
      () => this.unsettled.delete(run),
      (error: unknown) => {
        this.unsettled.delete(run);
        this.errors.push(error);
      },
    );
    this.unsettled.add(run);
  }

  /**
   * Waits until one of `runs` settles, a new timer is armed, or the event loop has turned
   * IDLE_TURNS times; says whether anything changed (false: the runs wait on the test).
   */
  private async waitForRuns(runs: Promise<unknown>[]): Promise<boolean> {
    const armedBefore = this.seq;
    let settled = false;
    const any = Promise.race(runs).then(() => (settled = true));
    for (let turn = 0; turn < IDLE_TURNS && !settled && this.seq === armedBefore; turn++) {
      await Promise.race([any, new Promise((resolve) => setImmediate(resolve))]);
    }
    return settled || this.seq !== armedBefore;
  }

  private throwErrors(): void {
    if (this.errors.length === 0) return;
    const [first] = this.errors.splice(0);
    throw first;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
