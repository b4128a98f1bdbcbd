/**
 * A service's copy of one stored settings row (runtime settings, schedules, watch, notifications),
 * kept right when reads and writes of this node overlap. In a fleet the row is re-read at polls and
 * before API answers; a read that started before this node's own write ended may return the row as
 * it was, and must not replace what the write just applied (a GET beside a PUT would roll the node
 * back). Rows are told apart by their time and value, so two nodes writing in the same millisecond
 * are not taken for one. Two reads may also answer out of order (each on its own pooled connection):
 * a read is applied only when no read issued after it was applied first, so an older answer never
 * rolls the copy back behind a newer one.
 *
 * A save merges into the row stored at that moment and writes it only if the row is still the one
 * read (compare and set): two nodes saving different fields at once keep both, where a plain
 * read-merge-write let the later write drop the earlier one's fields.
 */
import { AppError } from '../../shared/contracts/errors';
import type { SettingsStore, StoredSetting } from '../core/watch-ports';
import { ReadOrder } from './read-order';

/** Reads and merges again this often when other saves keep landing in between, then gives up (409). */
const SAVE_TRIES = 8;

export type GuardedRead = { readonly kind: 'stale' } | { readonly kind: 'same' } | { readonly kind: 'new'; readonly row: StoredSetting | null };

/** JSON with every object's keys sorted: PostgreSQL's jsonb gives a row back with its keys in another order than written. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const identity = (row: StoredSetting | null): string => (row ? `${row.updatedAt}:${canonicalJson(row.value)}` : 'none');

export class SettingsRowGuard {
  /** Odd while a local write is in progress; changes at its start and at its end. */
  private generation = 0;
  private last: string | undefined;
  /** An answer is taken (new or same) only when no later-issued read's was taken first. */
  private readonly reads = new ReadOrder();

  /** A local write of `row` (`write` answers whether it stored it: a compare and set may not): reads that overlap it are answered `stale`. */
  async writing(write: () => Promise<boolean>, row: StoredSetting): Promise<boolean> {
    this.generation++;
    try {
      const stored = await write();
      if (stored) this.last = identity(row);
      return stored;
    } finally {
      this.generation++;
    }
  }

  /**
   * Saves the row `key` merged from what is stored now: `build` makes the value from the stored row
   * (null: none), and the write happens only if that row is still stored (SettingsStore.writeSettingIf);
   * when another save landed in between, it reads and builds again. `build` may throw (a validation
   * error): nothing is written. Returns the value written and its time.
   */
  async save<T>(store: SettingsStore, key: string, now: () => number, build: (stored: StoredSetting | null) => T): Promise<{ value: T; updatedAt: number }> {
    for (let attempt = 0; attempt < SAVE_TRIES; attempt++) {
      const stored = await store.readSetting(key);
      const value = build(stored);
      const row = { value, updatedAt: now() };
      if (await this.writing(() => store.writeSettingIf(key, value, row.updatedAt, stored), row)) return row;
    }
    throw new AppError('VERSION_CONFLICT', `The settings "${key}" kept changing while this save merged into them (${SAVE_TRIES} tries); try again.`, { key });
  }

  /**
   * A read: `stale` when a local write overlapped it, or a read issued after it already answered
   * (this node holds something newer); `same` when it is the row last read or written, else `new`
   * with the row (null: none stored).
   */
  async reading(read: () => Promise<StoredSetting | null>): Promise<GuardedRead> {
    const before = this.generation;
    const issued = this.reads.issue();
    const row = await read();
    if (before !== this.generation || before % 2 === 1 || !this.reads.take(issued)) return { kind: 'stale' };
    const id = identity(row);
    if (id === this.last) return { kind: 'same' };
    this.last = id;
    return { kind: 'new', row };
  }
}
