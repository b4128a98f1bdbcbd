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

/** Turns one numbered event into the bytes of its SSE frame. */
export type FrameSerializer = (id: number, event: RuntimeEvent) => string;

/** The SSE frame of one event: `id`, `event` (the event's type) and the event as JSON. */
export const sseFrame: FrameSerializer = (id, event) => `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

export class JournalEntry {
  private bytes: Buffer | undefined;

  constructor(
    readonly id: number,
    readonly event: RuntimeEvent,
    private readonly serialize: FrameSerializer,
  ) {}

  /** The frame as UTF-8 bytes, serialised on first use and then shared by every writer. */
  get frame(): Buffer {
    return (this.bytes ??= Buffer.from(this.serialize(this.id, this.event), 'utf8'));
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
