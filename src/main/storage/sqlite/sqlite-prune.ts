/**
 * Retention on SQLite: one batch of the cleaner (JobStore.pruneJobs). It walks the jobs in seq
 * (creation) order from a cursor, `limit` rows a batch through the primary key, so a batch costs
 * the same whatever the table holds and needs no index on completed_at (one index entry fewer per
 * completion). A pass ends at the first batch whose last job was created at or after the later
 * cutoff: a job ends after it was created, so none beyond can be due.
 *
 * Counts stay exact by the schema's AFTER DELETE trigger (jobs_count_delete): it takes each row out
 * of its job_buckets count and deletes its log lines. The processing-time totals (the `timed`,
 * `timed_ms` columns of the completed rows of job_buckets) are left alone, and those of a bucket
 * row the batch empties are added to bucket -1 before the row is deleted, so
 * averageProcessingSeconds stays the average over every job ever completed, pruned ones included.
 * Recorded processes and attempt partials are not deleted: recovery finds them by node, and a
 * partial of a deleted job still reads as abandoned, so its file is still removed.
 *
 * Claims run in the same process, on the same connection, between the cleaner's batches, so a
 * batch must be short, commit included (bench `cleaner.prune.claim_p99_ms`). Measured on a
 * million-job store, a batch of 250 deletions cost ~6 ms of SQL and ~15 ms to commit (the WAL
 * write and its fsync: each deletion dirties a page of the UNIQUE index on the random UUID ids,
 * besides the rows, their log lines and the other indexes), and every ~3 batches the commit that
 * took the WAL past 1,000 pages ran SQLite's automatic checkpoint (~1,000 pages into the database
 * and its fsync) — whichever commit that was, often a claim's. So:
 *  - a batch stops examining rows after BATCH_BUDGET_MS of work (or at `limit`), which bounds its
 *    commit too (the commit grows with the rows deleted);
 *  - after a batch that deleted jobs, the store yields to the event loop (a claim that came due
 *    runs first) and then runs a PASSIVE checkpoint of what that batch wrote: small checkpoints
 *    on the cleaner's time, so the WAL stays below the automatic threshold and no claim's commit
 *    pays for a prune's pages. Durability is unchanged: every batch is its own durable transaction
 *    (synchronous=FULL), and a checkpoint only copies committed pages into the database file.
 */
import type Database from 'better-sqlite3';
import type { JobStatus } from '../../../shared/domain/statuses';
import type { PruneRequest, PruneResult } from '../../core/ports';
import { isExpired, laterCutoff } from '../../core/retention';
import { FINAL_STATUSES } from '../../../shared/domain/statuses';
import { notSegmentChild } from '../segment-sql';
import { statusIn } from '../status-sql';
import { BUCKET_SHIFT } from './migrations';

/**
 * A job whose parent has not ended is kept whatever its age: the finished parts of a segmented
 * encode (#20) still waiting for its join are what the join concatenates.
 */
export const PARENT_LIVE = `EXISTS (SELECT 1 FROM jobs p WHERE p.id = jobs.parent_job_id AND NOT ${statusIn(FINAL_STATUSES, 'p.status')})`;

interface WindowRow {
  seq: number;
  id: string;
  status: JobStatus;
  ended_at: number | null;
  created_at: number;
  parent_live: number;
}

/** Rows a batch examines before it looks at the clock again. */
const CLOCK_EVERY = 16;
/** Work of one batch before it commits with what it has (the cleaner's `limit` still caps it). */
export const BATCH_BUDGET_MS = 4;

export class SqlitePrune {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      window: db.prepare<[number, number], WindowRow>(
        `SELECT seq, id, status, coalesce(completed_at, updated_at) AS ended_at, created_at, parent_job_id IS NOT NULL AND ${PARENT_LIVE} AS parent_live FROM jobs WHERE seq > ? ORDER BY seq LIMIT ?`,
      ),
      deleteJob: db.prepare<[number]>('DELETE FROM jobs WHERE seq = ?'),
      deleteSegments: db.prepare<[string]>('DELETE FROM analysis_segments WHERE job_id = ?'),
      // an emptied bucket's processing-time totals go to bucket -1 before its rows go (see below)
      // the parts of segmented encodes keep their own row there (type encode_chunk): the average leaves them out (#20)
      keepTotals: db.prepare<[number, number]>(
        `INSERT INTO job_buckets (bucket, type, status, resource_category, n, timed, timed_ms)
           SELECT -1, CASE WHEN ${notSegmentChild()} THEN '' ELSE 'encode_chunk' END AS kind, 'completed', '', 0, sum(timed), sum(timed_ms)
             FROM job_buckets WHERE bucket BETWEEN ? AND ? AND n = 0 AND timed > 0 GROUP BY kind HAVING count(*) > 0
           ON CONFLICT (bucket, type, status) DO UPDATE SET timed = timed + excluded.timed, timed_ms = timed_ms + excluded.timed_ms`,
      ),
      emptyBuckets: db.prepare<[number, number]>('DELETE FROM job_buckets WHERE bucket BETWEEN ? AND ? AND n = 0'),
    };
  }

  async prune(r: PruneRequest): Promise<PruneResult> {
    const result = this.batch(r);
    if (result.deleted > 0) {
      // a claim that came due during the batch goes first, then the batch's pages are checkpointed
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
    }
    return result;
  }

  /** One time-boxed batch in one transaction. */
  batch(r: PruneRequest, budgetMs = BATCH_BUDGET_MS): PruneResult {
    const later = laterCutoff(r);
    if (later === null || r.limit <= 0) return { deleted: 0, next: null };
    return this.db.transaction(() => {
      const started = performance.now();
      const rows = this.stmt.window.all(r.after, r.limit);
      let deleted = 0;
      let examined = 0;
      for (const row of rows) {
        if (examined > 0 && examined % CLOCK_EVERY === 0 && performance.now() - started > budgetMs) break;
        examined += 1;
        if (!isExpired(row.status, row.ended_at, r) || row.parent_live) continue;
        this.stmt.deleteJob.run(row.seq);
        this.stmt.deleteSegments.run(row.id);
        deleted += 1;
      }
      const last = rows[examined - 1];
      if (deleted > 0 && last) {
        const [from, to] = [rows[0]!.seq >> BUCKET_SHIFT, last.seq >> BUCKET_SHIFT];
        this.stmt.keepTotals.run(from, to);
        this.stmt.emptyBuckets.run(from, to);
      }
      const cut = examined < rows.length;
      const done = !last || (!cut && rows.length < r.limit) || last.created_at >= later;
      return { deleted, next: done ? null : last.seq };
    })();
  }
}
