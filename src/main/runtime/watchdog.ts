/**
 * The hang watchdog service: every few seconds (a quarter of the hang timeout, 250 ms to 5 s), stops
 * attempts whose processor has shown no sign of life for the configured time. They fail as
 * retryable ("no progress for N s") and are retried. Activity times are the attempts' own (wall
 * clock, from the same injected clock).
 */
import { findHungJobs } from '../core/hang-detection';
import type { Clock, Timers } from '../core/clock';
import type { Attempt, StopReason } from './attempt';
import { ChainedLoop } from './services/chained-loop';
import type { RuntimeService } from './services/service';

export type WatchedAttempt = Pick<Attempt, 'id' | 'suspended' | 'lastActivityAt'>;

export interface HangWatchdogDeps {
  readonly attempts: () => Iterable<WatchedAttempt>;
  readonly stop: (jobId: string, reason: StopReason) => void;
  readonly hangTimeoutMs: number;
  readonly clock: Pick<Clock, 'now'>;
  readonly timers: Timers;
  /** Before a hung attempt is stopped (the runtime logs it; tests wait on it). */
  readonly onHang?: (jobId: string) => void;
}

export class HangWatchdog implements RuntimeService {
  readonly name = 'hang watchdog';
  private readonly loop: ChainedLoop;

  constructor(private readonly deps: HangWatchdogDeps) {
    this.loop = new ChainedLoop(() => this.sweep(), { timers: deps.timers, intervalMs: HangWatchdog.intervalFor(deps.hangTimeoutMs) });
  }

  /** How often it looks: often enough to catch a hang soon after the timeout, never busily. */
  static intervalFor(hangTimeoutMs: number): number {
    return Math.max(250, Math.min(5_000, Math.floor(hangTimeoutMs / 4)));
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One look now (the loop's body): stops the hung attempts and returns their job ids. */
  sweep(): string[] {
    // a suspended job shows no progress on purpose
    const samples = [...this.deps.attempts()].filter((a) => !a.suspended).map((a) => ({ jobId: a.id, lastActivityAt: a.lastActivityAt }));
    const hung = findHungJobs(samples, this.deps.clock.now(), this.deps.hangTimeoutMs);
    for (const jobId of hung) {
      this.deps.onHang?.(jobId);
      this.deps.stop(jobId, 'hang');
    }
    return hung;
  }
}
