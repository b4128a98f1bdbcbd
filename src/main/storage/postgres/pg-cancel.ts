/**
 * A user's cancel on PostgreSQL, decided on the job row as it is (locked FOR UPDATE, so a claim,
 * a report or a rescue on another node waits): the lifecycle table's cancelActionFor says whether
 * it is cancelled at once (no attempt), only asked of its attempt (live: its node stops it), or
 * refused (it has ended). The caller tells the node and counts the change after the commit.
 */
import type { JobStatus } from '../../../shared/domain/statuses';
import { cancelActionFor } from '../../core/lifecycle';
import type { CancelRequest, JobRecord } from '../../core/ports';
import { manualTransitionSets } from '../manual-transition-sets';
import type { Queryable } from './pg-db';
import type { PgLogWriter } from './pg-logs';
import { rowToJob, type PgJobRow } from './pg-rows';

export interface CancelDecision {
  readonly job: JobRecord;
  readonly applied: boolean;
  /** Only asked of a live attempt (cancel_requested_at set now): its node is to be told. */
  readonly requested: boolean;
}

/** Null when there is no such job. Run inside a transaction (the row lock and the log line go with it). */
export async function decideCancel(db: Queryable, log: PgLogWriter, c: CancelRequest): Promise<CancelDecision | null> {
  const row = (await db.query<PgJobRow>('SELECT * FROM jobs WHERE id = $1 FOR UPDATE', [c.jobId])).rows[0];
  if (!row) return null;
  const action = cancelActionFor(row.status as JobStatus);
  if (action === 'requestCancel') {
    // live: its node stops the attempt, whose end (or rescue) cancels the job
    if (row.cancel_requested_at !== null) return { job: rowToJob(row), applied: true, requested: false };
    const updated = (await db.query<PgJobRow>('UPDATE jobs SET cancel_requested_at = $2, updated_at = $2, log_lines = log_lines + 1 WHERE id = $1 RETURNING *', [c.jobId, c.at])).rows[0]!;
    await log.writeCounted(db, [{ seq: Number(updated.seq), line: updated.log_lines, at: c.at, text: c.requestedLogLine }]);
    return { job: rowToJob(updated), applied: true, requested: true };
  }
  if (action !== 'cancel') return { job: rowToJob(row), applied: false, requested: false };
  const updated = (await db.query<PgJobRow>(`UPDATE jobs SET ${manualTransitionSets('cancel', '$2')}, log_lines = log_lines + 1 WHERE id = $1 RETURNING *`, [c.jobId, c.at])).rows[0]!;
  await log.writeCounted(db, [{ seq: Number(updated.seq), line: updated.log_lines, at: c.at, text: c.logLine }]);
  return { job: rowToJob(updated), applied: true, requested: false };
}
