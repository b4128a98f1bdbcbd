/**
 * Live events across the fleet: each node sends the other nodes, every `flushMs`, which of its jobs
 * changed, their progress and their new log lines; a node with live listeners (a UI over SSE or
 * IPC) re-reads those jobs and emits them as its own events, so a UI connected to any node
 * follows the whole fleet. Notifications are small (PostgreSQL caps a payload at 8,000 bytes): a
 * busy window is split into several, and log lines that do not fit are dropped (the job's log
 * in the store stays complete; a viewer re-reads it when opened).
 */
import type { FleetEventBatch, FleetEventChannel } from '../core/fleet-ports';
import type { TimerHandle, Timers } from '../core/clock';
import type { RuntimeService } from './services/service';
import { systemTimers } from './services/timers';

/** Bytes of JSON per notification, under PostgreSQL's 8,000-byte limit with room for the envelope. */
const PAYLOAD_BUDGET = 7_000;
/** Notifications per window at most; beyond it a window sends ids only (a few hundred jobs). */
const MAX_BATCHES_PER_WINDOW = 8;

export interface RemoteEventSink {
  /** Whether anyone listens (no listener: nothing to read or emit). */
  hasListeners(): boolean;
  /** Emit jobs, progress and log lines another node reported. */
  deliver(batch: FleetEventBatch): Promise<void>;
}

export class FleetEventRelay implements RuntimeService {
  readonly name = 'fleet event relay';
  private changed = new Set<string>();
  private progress = new Map<string, number>();
  private logs: { jobId: string; at: string; text: string }[] = [];
  private timer: TimerHandle | null = null;
  private unsubscribe: (() => void) | null = null;
  private delivering: Promise<void> = Promise.resolve();

  constructor(
    private readonly channel: FleetEventChannel,
    private readonly sink: RemoteEventSink,
    private readonly flushMs = 250,
    private readonly timers: Timers = systemTimers,
  ) {}

  start(): void {
    this.unsubscribe = this.channel.subscribe((batch) => {
      if (!this.sink.hasListeners()) return;
      // in order, one at a time: a job's later state must not be overtaken by an earlier read
      this.delivering = this.delivering.then(() => this.sink.deliver(batch)).catch(() => undefined);
    });
  }

  /** Stops listening and sends what is left of this node's window (its last changes before the stop). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.flush();
    await this.delivering;
  }

  jobsChanged(ids: Iterable<string>): void {
    for (const id of ids) this.changed.add(id);
    this.schedule();
  }

  progressed(jobId: string, progress: number): void {
    this.progress.set(jobId, progress);
    this.schedule();
  }

  logged(jobId: string, at: string, text: string): void {
    this.logs.push({ jobId, at, text });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null || !this.unsubscribe) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.flushMs);
  }

  private flush(): void {
    const batches = splitIntoBatches([...this.changed], this.progress, this.logs);
    this.changed = new Set();
    this.progress = new Map();
    this.logs = [];
    for (const batch of batches) this.channel.publish(batch);
  }
}

/** Splits one window into notifications under the payload budget (exported for its unit test). */
export function splitIntoBatches(jobIds: readonly string[], progress: ReadonlyMap<string, number>, logs: readonly FleetEventBatch['logs'][number][]): FleetEventBatch[] {
  const batches: FleetEventBatch[] = [];
  let current = { jobIds: [] as string[], progress: {} as Record<string, number>, logs: [] as FleetEventBatch['logs'][number][] };
  let size = 64;
  const push = () => {
    if (current.jobIds.length + Object.keys(current.progress).length + current.logs.length > 0) batches.push(current);
    current = { jobIds: [], progress: {}, logs: [] };
    size = 64;
  };
  for (const id of jobIds) {
    if (size + id.length + 3 > PAYLOAD_BUDGET) push();
    current.jobIds.push(id);
    size += id.length + 3;
  }
  for (const [id, p] of progress) {
    if (size + id.length + 8 > PAYLOAD_BUDGET) push();
    current.progress[id] = p;
    size += id.length + 8;
  }
  for (const line of logs) {
    const bytes = Buffer.byteLength(JSON.stringify(line));
    if (bytes > PAYLOAD_BUDGET / 2) continue; // one huge line: left to the stored log
    if (size + bytes > PAYLOAD_BUDGET) {
      if (batches.length + 1 >= MAX_BATCHES_PER_WINDOW) break; // a flood of lines: drop the rest
      push();
    }
    current.logs.push(line);
    size += bytes;
  }
  push();
  return batches;
}
