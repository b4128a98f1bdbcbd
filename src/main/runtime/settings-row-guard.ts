/**
 * A service's copy of one stored settings row (runtime settings, schedules, watch, notifications),
 * kept right when reads and writes of this node overlap. In a fleet the row is re-read at polls and
 * before API answers; a read that started before this node's own write ended may return the row as
 * it was, and must not replace what the write just applied (a GET beside a PUT would roll the node
 * back). Rows are told apart by their time and value, so two nodes writing in the same millisecond
 * are not taken for one.
 */
export interface SettingsRow {
  readonly value: unknown;
  readonly updatedAt: number;
}

export type GuardedRead = { readonly kind: 'stale' } | { readonly kind: 'same' } | { readonly kind: 'new'; readonly row: SettingsRow | null };

const identity = (row: SettingsRow | null): string => (row ? `${row.updatedAt}:${JSON.stringify(row.value)}` : 'none');

export class SettingsRowGuard {
  /** Odd while a local write is in progress; changes at its start and at its end. */
  private generation = 0;
  private last: string | undefined;

  /** A local write of `row`: reads that overlap it are answered `stale`. */
  async writing(write: () => Promise<void>, row: SettingsRow): Promise<void> {
    this.generation++;
    try {
      await write();
      this.last = identity(row);
    } finally {
      this.generation++;
    }
  }

  /**
   * A read: `stale` when a local write overlapped it (this node holds something newer), `same` when it
   * is the row last read or written, else `new` with the row (null: none stored).
   */
  async reading(read: () => Promise<SettingsRow | null>): Promise<GuardedRead> {
    const before = this.generation;
    const row = await read();
    if (before !== this.generation || before % 2 === 1) return { kind: 'stale' };
    const id = identity(row);
    if (id === this.last) return { kind: 'same' };
    this.last = id;
    return { kind: 'new', row };
  }
}
