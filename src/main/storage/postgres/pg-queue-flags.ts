/** The queue's pause flags (one row, `queue_flags`): read, and changed in one row-locked statement so two nodes' changes at once both stay. */
import type { ResourceCategory } from '../../../shared/domain/statuses';
import type { QueueFlagChange, QueueFlags } from '../../core/ports';
import type { Queryable } from './pg-db';

interface FlagsRow {
  queue_paused: boolean;
  paused_categories: string[];
}

const flagsOf = (row: FlagsRow): QueueFlags => ({ queuePaused: row.queue_paused, pausedCategories: row.paused_categories as ResourceCategory[] });

export async function readQueueFlags(db: Queryable): Promise<QueueFlags> {
  return flagsOf((await db.query<FlagsRow>('SELECT queue_paused, paused_categories FROM queue_flags WHERE id = 1')).rows[0]!);
}

/** Applies `change` to the flags stored now (another node's change between a read and this write is kept); returns them as stored. */
export async function changeQueueFlags(db: Queryable, change: QueueFlagChange): Promise<QueueFlags> {
  const result = change.category
    ? await db.query<FlagsRow>(
        `UPDATE queue_flags SET paused_categories = CASE WHEN $1 THEN array_append(array_remove(paused_categories, $2::text), $2::text)
           ELSE array_remove(paused_categories, $2::text) END
         WHERE id = 1 RETURNING queue_paused, paused_categories`,
        [change.paused, change.category],
      )
    : await db.query<FlagsRow>('UPDATE queue_flags SET queue_paused = $1 WHERE id = 1 RETURNING queue_paused, paused_categories', [change.paused]);
  return flagsOf(result.rows[0]!);
}
