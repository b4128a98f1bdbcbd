/**
 * Forwards the live console of running attempts as events, batched: ffmpeg redraws its status
 * line many times a second, and one event per chunk would flood the UI and the SSE stream.
 */
import type { TimerHandle, Timers } from '../core/clock';
import { systemTimers } from './services/timers';

export class ConsoleRelay {
  private readonly pending = new Map<string, string>();
  private timer: TimerHandle | null = null;

  constructor(
    private readonly emit: (jobId: string, text: string) => void,
    private readonly intervalMs = 250,
    private readonly timers: Timers = systemTimers,
  ) {}

  push(jobId: string, chunk: string): void {
    this.pending.set(jobId, (this.pending.get(jobId) ?? '') + chunk);
    if (this.timer !== null) return;
    this.timer = this.timers.setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    for (const [jobId, text] of this.pending) this.emit(jobId, text.length > 65_536 ? text.slice(-65_536) : text);
    this.pending.clear();
  }
}
