/**
 * Numbered, bounded history of runtime events for the SSE stream, so a client that reconnects
 * with Last-Event-ID gets what it missed. When the gap is older than the history, the client is
 * told to reload instead of silently missing events.
 *
 * Each entry carries its SSE frame, serialised once (lazily, on first use) and shared by every
 * client that writes it, live or from the backlog: the cost of an event does not grow with the
 * number of connected clients.
 */
import type { RuntimeEvent } from '../runtime/events';
import { compactCreatedJob } from '../../shared/contracts/event-frames';
import type { Job } from '../../shared/contracts/job';
import { joinBatchedFrames, type BatchForm } from './event-batch-frames';

/** Turns one numbered event into the bytes of its SSE frame. */
export type FrameSerializer = (id: number, event: RuntimeEvent) => string;

/**
 * The SSE frame of one event: `id`, `event` (the event's type) and the event as JSON; a
 * `job.created` job without the fields still at their initial values (shared/contracts/event-frames.ts).
 */
export const sseFrame: FrameSerializer = (id, event) =>
  `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.type === 'job.created' ? { type: event.type, job: compactCreatedJob(event.job) } : event)}\n\n`;

export class JournalEntry {
  private bytes: Buffer | undefined;
  private compact: Partial<Job> | undefined;
  private compactJson: string | undefined;

  constructor(
    readonly id: number,
    readonly event: RuntimeEvent,
    private readonly serialize: FrameSerializer,
  ) {}

  /** The frame as UTF-8 bytes, serialised on first use and then shared by every writer. */
  get frame(): Buffer {
    return (this.bytes ??= Buffer.from(this.serialize(this.id, this.event), 'utf8'));
  }

  /** A `job.created` entry's short job (compactCreatedJob), made on first use: batch frames are built from it. */
  get createdJob(): Partial<Job> {
    if (this.event.type !== 'job.created') throw new Error(`entry ${this.id} is a ${this.event.type}, not a job.created`);
    return (this.compact ??= compactCreatedJob(this.event.job));
  }

  /** The short job as JSON, serialised on first use (the bare-array batch form joins these). */
  get createdJson(): string {
    return (this.compactJson ??= JSON.stringify(this.createdJob));
  }
}

export class EventJournal {
  private readonly entries: JournalEntry[] = [];
  private readonly listeners = new Set<(entry: JournalEntry) => void>();
  private nextId = 1;

  constructor(
    private readonly capacity = 10_000,
    private readonly serialize: FrameSerializer = sseFrame,
  ) {}

  append(event: RuntimeEvent): JournalEntry {
    const entry = new JournalEntry(this.nextId++, event, this.serialize);
    this.entries.push(entry);
    // trim in chunks: one splice per thousand appends instead of one per append
    if (this.entries.length > this.capacity + 1000) this.entries.splice(0, this.entries.length - this.capacity);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** Called with each entry appended from now on. */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get lastId(): number {
    return this.nextId - 1;
  }

  /** Entries after `lastSeenId`; `complete` is false when some were already dropped. */
  since(lastSeenId: number): { entries: JournalEntry[]; complete: boolean } {
    const first = this.entries[0];
    if (lastSeenId >= this.lastId) return { entries: [], complete: true };
    if (!first || lastSeenId < first.id - 1) return { entries: [...this.entries], complete: first === undefined ? lastSeenId >= this.lastId : false };
    return { entries: this.entries.slice(lastSeenId - first.id + 1), complete: true };
  }
}

/**
 * Which entries of one flush a later entry makes redundant: a later `stats.changed` replaces an
 * earlier one (each carries the whole stats), a later `job.progress` of the same job replaces its
 * earlier ones. Everything else (job.created, job.updated, job.log, job.console, pipeline runs) is
 * always delivered.
 */
function supersedingKey(event: RuntimeEvent): string | null {
  if (event.type === 'stats.changed') return 'stats';
  if (event.type === 'job.progress') return `progress:${event.jobId}`;
  return null;
}

/** The entries of one flush worth sending, in order: superseded stats and progress entries left out. */
export function coalesce(entries: readonly JournalEntry[]): JournalEntry[] {
  let keys: Set<string> | null = null;
  const kept: JournalEntry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    const key = supersedingKey(entry.event);
    if (key !== null) {
      keys ??= new Set();
      if (keys.has(key)) continue;
      keys.add(key);
    }
    kept.push(entry);
  }
  return kept.reverse();
}

/** One receiver of the broadcast (an SSE connection). */
export interface BroadcastClient {
  /** The last event id this client has been sent (its backlog included). */
  after: number;
  /** The client asked for batched frames (runs of job.created as one job.created.batch frame), in this form; null: one frame per event. */
  readonly batch: BatchForm | null;
  /** Writes bytes to the client; the broadcaster calls it at most once per client per flush. */
  write(bytes: Buffer): void;
}

export interface BroadcastOptions {
  /**
   * The shortest time between two flushes. An entry appended when the last flush is older than
   * that goes out at the next turn of the event loop; under a burst, entries wait at most this
   * long and go out together, one write per client.
   */
  readonly flushMs: number;
  /**
   * Writes per second the fan-out may make under a burst (one per client per flush): with more
   * clients than `writesPerSecond × flushMs / 1000` the window widens so that clients × flushes per
   * second stays within it, up to `maxFlushMs`. Each write to a socket costs the server a syscall
   * and, on loopback, the kernel's delivery to the reader; with 200 clients at 50 ms that was ~6 µs
   * per create (bench `api`). Absent or 0: the window is always `flushMs`.
   */
  readonly writesPerSecond?: number;
  readonly maxFlushMs?: number;
}

/**
 * Fans the journal out to many clients in flushes: the entries appended since the last flush are
 * coalesced (superseded stats/progress dropped; their ids are still in the journal, so a client
 * resuming from an older id gets them), joined into one buffer, and that one buffer is written
 * to every client that is up to date: one write per client per flush instead of one per event.
 * Clients that asked for batched frames share a buffer of their form, built once per flush, in which
 * runs of consecutive job.created frames are one job.created.batch frame (event-batch-frames.ts).
 */
export class EventBroadcaster {
  private readonly clients = new Set<BroadcastClient>();
  private pending: JournalEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private unsubscribe: (() => void) | null = null;
  /** Every entry up to this id has been flushed (or had no client to go to). */
  private flushedThrough: number;

  constructor(
    private readonly journal: EventJournal,
    private readonly options: BroadcastOptions = { flushMs: 50 },
  ) {
    this.flushedThrough = journal.lastId;
  }

  /** The last id every client has been given (or will get from its backlog): entries after it are pending. */
  get flushedId(): number {
    return this.flushedThrough;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * Adds a client that has seen every event up to `lastSeen`. Returns what it missed (the backlog,
   * to be written before anything else; `complete` false when some of it is no longer in the
   * journal) and the function that removes it. Entries after the backlog go out with the
   * following flushes.
   */
  add(lastSeen: number, write: (bytes: Buffer) => void, options: { batch?: BatchForm | null } = {}): { backlog: JournalEntry[]; complete: boolean; remove: () => void } {
    if (this.unsubscribe === null) {
      this.flushedThrough = this.journal.lastId;
      this.unsubscribe = this.journal.subscribe((entry) => this.onEntry(entry));
    }
    const missed = this.journal.since(lastSeen);
    // what is pending goes to the client with the next flush, not twice
    let end = missed.entries.length;
    while (end > 0 && missed.entries[end - 1]!.id > this.flushedThrough) end--;
    const backlog = end === missed.entries.length ? missed.entries : missed.entries.slice(0, end);
    const client: BroadcastClient = { after: Math.max(Math.min(lastSeen, this.journal.lastId), backlog.at(-1)?.id ?? 0), batch: options.batch ?? null, write };
    this.clients.add(client);
    return {
      backlog,
      complete: missed.complete,
      remove: () => {
        this.clients.delete(client);
        if (this.clients.size === 0) this.idle();
      },
    };
  }

  /** Writes what is pending now (tests; shutdown). */
  flush(): void {
    this.cancelTimer();
    const entries = this.pending;
    this.pending = [];
    this.lastFlushAt = performance.now();
    if (entries.length === 0) return;
    const first = entries[0]!.id;
    const last = entries[entries.length - 1]!.id;
    this.flushedThrough = last;
    const kept = coalesce(entries);
    // one buffer per form for every client that is up to date, built on first use
    const built = new Map<BatchForm | null, Buffer>();
    const joined = (entries: readonly JournalEntry[], form: BatchForm | null) => (form === null ? joinFrames(entries) : joinBatchedFrames(entries, form));
    for (const client of [...this.clients]) {
      if (client.after >= last) continue;
      let bytes: Buffer;
      if (client.after < first) {
        bytes = built.get(client.batch) ?? joined(kept, client.batch);
        built.set(client.batch, bytes);
      } else bytes = joined(kept.filter((e) => e.id > client.after), client.batch); // joined mid-flush (a fresh client): rare
      client.after = last;
      if (bytes.length > 0) client.write(bytes);
    }
  }

  close(): void {
    this.clients.clear();
    this.idle();
  }

  private onEntry(entry: JournalEntry): void {
    this.pending.push(entry);
    if (this.timer !== null || this.immediate !== null) return;
    const wait = this.lastFlushAt + this.windowMs - performance.now();
    if (wait <= 0) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** The shortest time between two flushes now: `flushMs`, wider when the clients would pass the write budget. */
  get windowMs(): number {
    const { flushMs, writesPerSecond, maxFlushMs } = this.options;
    if (!writesPerSecond) return flushMs;
    return Math.min(Math.max(flushMs, (this.clients.size * 1000) / writesPerSecond), Math.max(flushMs, maxFlushMs ?? flushMs));
  }

  private idle(): void {
    this.cancelTimer();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.pending = [];
    this.flushedThrough = this.journal.lastId;
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}

/** The frames of `entries` as one buffer (the frame itself for one entry). */
export function joinFrames(entries: readonly JournalEntry[]): Buffer {
  if (entries.length === 1) return entries[0]!.frame;
  let length = 0;
  const frames = entries.map((e) => {
    const frame = e.frame;
    length += frame.length;
    return frame;
  });
  return Buffer.concat(frames, length);
}
