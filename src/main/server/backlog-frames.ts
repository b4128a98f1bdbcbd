/**
 * The bytes of a reconnecting client's backlog, built once for every client that asks for the same
 * one. Clients that lost their connections together (a proxy restarted, a laptop woke up) come
 * back with the same Last-Event-ID, and so the same backlog: up to the whole journal, a few MB.
 * Built per client, each one cost a join (and, for a gzip client, a deflate of its own: ~10–20 ms
 * of the event loop for a full journal). The same Buffer for all of them lets the gzip stream's
 * piece cache (event-stream-gzip.ts, keyed by Buffer) deflate it once.
 */
import { joinBatchedFrames, type BatchForm } from './event-batch-frames';
import { joinFrames, type JournalEntry } from './event-journal';

/** A backlog is a run of consecutive journal entries: its form, first id and last id say all of it. */
const keyOf = (backlog: readonly JournalEntry[], form: BatchForm | null) => `${form ?? 'plain'}:${backlog[0]!.id}:${backlog.at(-1)!.id}`;

export class BacklogFrames {
  /**
   * Held weakly: a backlog is worth sharing while clients are still being sent it (their sockets'
   * queues hold it); after that the cache must not keep a few MB, and their deflated piece, alive.
   */
  private readonly recent = new Map<string, WeakRef<Buffer>>();

  /** `keep`: the backlogs remembered (the oldest forgotten first). */
  constructor(private readonly keep = 4) {}

  bytesOf(backlog: readonly JournalEntry[], form: BatchForm | null): Buffer {
    const key = keyOf(backlog, form);
    const known = this.recent.get(key)?.deref();
    if (known !== undefined) return known;
    const bytes = form === null ? joinFrames(backlog) : joinBatchedFrames(backlog, form);
    this.recent.delete(key);
    this.recent.set(key, new WeakRef(bytes));
    if (this.recent.size > this.keep) this.recent.delete(this.recent.keys().next().value!);
    return bytes;
  }
}
