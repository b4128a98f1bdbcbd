/**
 * One timer loop of a service: runs `body` every `intervalMs`, each run scheduled after the one
 * before has ended, so a slow database never piles up overlapping runs (a heartbeat, a sweep, a
 * poll). stop() clears the next run and waits for one in progress.
 */
import type { TimerHandle, Timers } from '../../core/clock';

export interface ChainedLoopOptions {
  readonly timers: Timers;
  readonly intervalMs: number;
  /** The first run, after start (default: one interval). */
  readonly firstDelayMs?: number;
  /** Checked before arming the next run: false ends the loop for good (a superseded node). */
  readonly shouldContinue?: () => boolean;
  /** A run that threw (bodies guard themselves; this is the backstop). */
  readonly onError?: (error: unknown) => void;
}

export class ChainedLoop {
  private timer: TimerHandle | null = null;
  private running = false;
  private current: Promise<void> | null = null;

  constructor(
    /** One run; a promise it returns is awaited before the next is armed. */
    private readonly body: () => unknown,
    private readonly options: ChainedLoopOptions,
  ) {}

  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm(this.options.firstDelayMs ?? this.options.intervalMs);
  }

  /** No further run; resolves once a run in progress has ended. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.current;
  }

  private arm(ms: number): void {
    if (!this.running || this.timer !== null || !(this.options.shouldContinue?.() ?? true)) return;
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      // returned, so test timers await the run (and the next one is armed before time moves on)
      return (this.current = this.run());
    }, ms);
  }

  private async run(): Promise<void> {
    try {
      await this.body();
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.current = null;
      this.arm(this.options.intervalMs);
    }
  }
}
