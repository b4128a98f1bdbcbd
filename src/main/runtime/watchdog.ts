/**
 * The hang watchdog: every few seconds, stops attempts whose processor has shown no sign of life
 * for the configured time. They fail as retryable ("no progress for N s") and are retried.
 */
import { findHungJobs } from '../core/hang-detection';
import type { Clock } from '../core/ports';
import type { Attempt, StopReason } from './attempt';

export class HangWatchdog {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly attempts: () => Iterable<Attempt>,
    private readonly stop: (jobId: string, reason: StopReason) => void,
    private readonly hangTimeoutMs: number,
    private readonly clock: Clock,
    private readonly onHang: (jobId: string) => void = () => {},
  ) {}

  start(): void {
    const every = Math.max(250, Math.min(5_000, Math.floor(this.hangTimeoutMs / 4)));
    this.timer = setInterval(() => this.sweep(), every);
    this.timer.unref();
  }

  sweep(): void {
    // a suspended job shows no progress on purpose
    const samples = [...this.attempts()].filter((a) => !a.suspended).map((a) => ({ jobId: a.id, lastActivityAt: a.lastActivityAt }));
    for (const jobId of findHungJobs(samples, this.clock.now(), this.hangTimeoutMs)) {
      this.onHang(jobId);
      this.stop(jobId, 'hang');
    }
  }

  stopWatching(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
