/**
 * Emits `stats.changed` after jobs change, at most once per interval, so a burst of 50 finishing
 * jobs costs one stats read and one event rather than fifty. A service: stop() drops a pending
 * emission and waits for one in progress (it reads the store, which closes after the runtime).
 */
import type { TimerHandle, Timers } from '../core/clock';
import type { RuntimeService } from './services/service';
import { systemTimers } from './services/timers';

export class StatsNotifier implements RuntimeService {
  readonly name = 'stats notifier';
  private timer: TimerHandle | null = null;
  private stopped = false;
  private emitting: Promise<void> | null = null;

  constructor(
    private readonly emitStats: () => Promise<void>,
    private readonly intervalMs = 500,
    private readonly timers: Timers = systemTimers,
  ) {}

  start(): void {
    this.stopped = false;
  }

  changed(): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      // returned, so test timers can await the emission
      return (this.emitting = this.emitStats()
        .catch(() => {
          // stats are advisory; the next change tries again
        })
        .finally(() => {
          this.emitting = null;
        }));
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.emitting;
  }
}
