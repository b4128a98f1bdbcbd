/** The columns a user's action (cancel, pause, resume, retry) sets, by target status, as in the SQLite store. */
import type { ManualTransition } from '../../core/ports';

/** SET clauses with parameters numbered from `firstParam` ($firstParam is the new status, the next one the time). */
export function manualTransitionSets(t: ManualTransition, firstParam: number): { sql: string; args: unknown[] } {
  const to = `$${firstParam}`;
  const at = `$${firstParam + 1}`;
  const sets = [`status = ${to}`, `updated_at = ${at}`];
  switch (t.to) {
    case 'cancelled':
      sets.push(`completed_at = ${at}`, 'vram_reserved = 0', 'waiting_reason = NULL', 'retry_after = NULL', 'suspended = false');
      break;
    case 'paused':
      sets.push('waiting_reason = NULL');
      break;
    case 'pending':
      sets.push(`enqueued_at = ${at}`, 'waiting_reason = NULL', 'retry_after = NULL');
      if (t.countRetry) sets.push('retry_count = retry_count + 1', 'progress = 0', 'started_at = NULL', 'completed_at = NULL');
      sets.push('cancel_requested_at = NULL'); // a new attempt starts without the old one's cancel
      break;
    default:
      break;
  }
  return { sql: sets.join(', '), args: [t.to, t.at] };
}
