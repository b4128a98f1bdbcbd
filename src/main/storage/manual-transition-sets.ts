/**
 * The columns a user's action (pause, resume, retry, cancel at once) sets besides its status, for
 * both stores: the status from the lifecycle table (status-sql.ts setStatusOf), the rest here once.
 * `at` is the store's placeholder for the time (`@at` in SQLite, `$3` in PostgreSQL).
 */
import type { ManualAction } from '../core/lifecycle';
import { setStatusOf } from './status-sql';

const PLACEHOLDER = /^(@[a-z]+|\$[0-9]+)$/;

export function manualTransitionSets(action: ManualAction | 'cancel', at: string): string {
  if (!PLACEHOLDER.test(at)) throw new Error(`Not a placeholder: ${at}`);
  const sets = [setStatusOf(action), `updated_at = ${at}`];
  switch (action) {
    case 'cancel':
      sets.push(`completed_at = ${at}`, 'vram_reserved = 0', 'waiting_reason = NULL', 'retry_after = NULL');
      break;
    case 'pause':
      sets.push('waiting_reason = NULL');
      break;
    case 'resume':
    case 'retry':
      sets.push(`enqueued_at = ${at}`, 'waiting_reason = NULL', 'retry_after = NULL');
      if (action === 'retry') sets.push('retry_count = retry_count + 1', 'progress = 0', 'started_at = NULL', 'completed_at = NULL');
      sets.push('cancel_requested_at = NULL'); // a new attempt starts without the old one's cancel
      break;
  }
  return sets.join(', ');
}
