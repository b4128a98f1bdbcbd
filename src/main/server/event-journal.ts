/**
 * Numbered, bounded history of runtime events for the SSE stream, so a client that reconnects
 * with Last-Event-ID gets what it missed. When the gap is older than the history, the client is
 * told to reload instead of silently missing events.
 */
import type { RuntimeEvent } from '../runtime/events';

export interface JournalEntry {
  readonly id: number;
  readonly event: RuntimeEvent;
}

export class EventJournal {
  private readonly entries: JournalEntry[] = [];
  private readonly listeners = new Set<(entry: JournalEntry) => void>();
  private nextId = 1;

  constructor(private readonly capacity = 10_000) {}

  append(event: RuntimeEvent): JournalEntry {
    const entry = { id: this.nextId++, event };
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
