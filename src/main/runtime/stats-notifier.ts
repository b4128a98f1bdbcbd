/**
 * Emits `stats.changed` after jobs change, at most once per interval, so a burst of 50 finishing
 * jobs costs one stats read and one event rather than fifty.
 */
export class StatsNotifier {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly emitStats: () => Promise<void>,
    private readonly intervalMs = 500,
  ) {}

  changed(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.emitStats().catch(() => {
        // stats are advisory; the next change tries again
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
