/**
 * Retention on PostgreSQL: one batch of the cleaner (JobStore.pruneJobs) in one auto-committed
 * statement, walking the jobs in seq (creation) order from a cursor through the primary key, as
 * the SQLite store does (no index on completed_at: one index entry fewer per completion). A pass
 * ends at the first batch whose last job was created at or after the later cutoff.
 *
 * Only final jobs are deleted and claims lock only waiting and live ones, so a batch never waits
 * on a claim nor a claim on it (a user's retry of a job being deleted waits for that one batch;
 * the DELETE re-checks its predicate on the row as the retry left it).
 *
 * Counts stay exact: the statement-level AFTER DELETE trigger (jobs_count_delete) appends one
 * negative delta per bucket, type and status (folded in by the next compaction; readers sum the
 * deltas meanwhile), and deletes the jobs' log lines. processing_totals is left alone, so
 * averageProcessingSeconds stays the average over every job ever completed, pruned ones included.
 * Recorded processes and attempt partials are kept: recovery finds them by node, and a partial of a
 * deleted job still reads as abandoned, so its file is still removed.
 *
 * asSoleCleaner: one cleaner in a fleet, by a session-level try-lock held on its own connection
 * for the pass (released at the end, or by the server when that connection dies).
 */
import type { PruneRequest, PruneResult } from '../../core/ports';
import { laterCutoff } from '../../core/retention';
import { FINAL_STATUSES } from '../../../shared/domain/statuses';
import { statusIn } from '../status-sql';
import { LOCKS, type Pool, type Queryable } from './pg-db';

const PRUNE_SQL = `
  WITH w AS (SELECT seq, created_at FROM jobs WHERE seq > $1 ORDER BY seq LIMIT $2),
  gone AS (
    DELETE FROM jobs j USING w WHERE j.seq = w.seq AND (
      (j.status IN ('completed', 'cancelled') AND coalesce(j.completed_at, j.updated_at) < $3::bigint)
      OR (j.status = 'failed' AND coalesce(j.completed_at, j.updated_at) < $4::bigint))
      -- the finished parts of a segmented encode still waiting for its join are kept (#20)
      AND NOT (j.parent_job_id IS NOT NULL AND EXISTS (SELECT 1 FROM jobs p WHERE p.id = j.parent_job_id AND NOT ${statusIn(FINAL_STATUSES, 'p.status')}))
    RETURNING j.id),
  segments AS (DELETE FROM analysis_segments WHERE job_id IN (SELECT id FROM gone))
  SELECT (SELECT count(*) FROM gone)::integer AS deleted, (SELECT count(*) FROM w)::integer AS scanned,
    (SELECT seq FROM w ORDER BY seq DESC LIMIT 1) AS last_seq, (SELECT created_at FROM w ORDER BY seq DESC LIMIT 1) AS last_created`;

export async function pruneJobs(db: Queryable, r: PruneRequest): Promise<PruneResult> {
  const later = laterCutoff(r);
  if (later === null || r.limit <= 0) return { deleted: 0, next: null };
  const { rows } = await db.query<{ deleted: number; scanned: number; last_seq: number | null; last_created: number | null }>(PRUNE_SQL, [
    r.after,
    r.limit,
    r.completedBefore,
    r.failedBefore,
  ]);
  const row = rows[0]!;
  const done = row.last_seq === null || row.scanned < r.limit || Number(row.last_created) >= later;
  return { deleted: row.deleted, next: done ? null : Number(row.last_seq) };
}

export async function asSoleCleaner(pool: Pool, pass: () => Promise<void>): Promise<boolean> {
  const client = await pool.connect();
  let broken: Error | undefined;
  /** The lock's own statements: a failure there leaves the connection unusable (destroyed on release). */
  const lockQuery = async (fn: 'pg_try_advisory_lock' | 'pg_advisory_unlock') => {
    try {
      return (await client.query<{ ok: boolean }>(`SELECT ${fn}($1, $2) AS ok`, [LOCKS.namespace, LOCKS.cleaner])).rows[0]!.ok;
    } catch (error) {
      broken = error as Error;
      throw error;
    }
  };
  try {
    if (!(await lockQuery('pg_try_advisory_lock'))) return false;
    try {
      await pass();
    } finally {
      await lockQuery('pg_advisory_unlock').catch(() => undefined); // a dead connection released it already
    }
    return true;
  } finally {
    client.release(broken);
  }
}
