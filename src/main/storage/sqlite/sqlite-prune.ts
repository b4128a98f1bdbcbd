/**
 * Retention on SQLite: one batch of the cleaner (JobStore.pruneJobs). It walks the jobs in seq
 * (creation) order from a cursor, `limit` rows a batch through the primary key, so a batch costs
 * the same whatever the table holds and needs no index on completed_at (one index entry fewer per
 * completion). A pass ends at the first batch whose last job was created at or after the later
 * cutoff: a job ends after it was created, so none beyond can be due.
 *
 * Counts stay exact by the schema's AFTER DELETE trigger (jobs_count_delete): it takes each row out
 * of its job_buckets count and deletes its log lines. processing_totals is left alone, so
 * averageProcessingSeconds stays the average over every job ever completed, pruned ones included.
 * Recorded processes and attempt partials are not deleted: recovery finds them by node, and a
 * partial of a deleted job still reads as abandoned, so its file is still removed.
 */
import type Database from 'better-sqlite3';
import type { JobStatus } from '../../../shared/domain/statuses';
import type { PruneRequest, PruneResult } from '../../core/ports';
import { isExpired, laterCutoff } from '../../core/retention';
import { BUCKET_SHIFT } from './migrations';

interface WindowRow {
  seq: number;
  id: string;
  status: JobStatus;
  ended_at: number | null;
  created_at: number;
}

export class SqlitePrune {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      window: db.prepare<[number, number], WindowRow>(
        'SELECT seq, id, status, coalesce(completed_at, updated_at) AS ended_at, created_at FROM jobs WHERE seq > ? ORDER BY seq LIMIT ?',
      ),
      deleteJob: db.prepare<[number]>('DELETE FROM jobs WHERE seq = ?'),
      deleteSegments: db.prepare<[string]>('DELETE FROM analysis_segments WHERE job_id = ?'),
      emptyBuckets: db.prepare<[number, number]>('DELETE FROM job_buckets WHERE bucket BETWEEN ? AND ? AND n = 0'),
    };
  }

  prune(r: PruneRequest): PruneResult {
    const later = laterCutoff(r);
    if (later === null || r.limit <= 0) return { deleted: 0, next: null };
    return this.db.transaction(() => {
      const rows = this.stmt.window.all(r.after, r.limit);
      let deleted = 0;
      for (const row of rows) {
        if (!isExpired(row.status, row.ended_at, r)) continue;
        this.stmt.deleteJob.run(row.seq);
        this.stmt.deleteSegments.run(row.id);
        deleted += 1;
      }
      const last = rows.at(-1);
      if (deleted > 0 && last) this.stmt.emptyBuckets.run(rows[0]!.seq >> BUCKET_SHIFT, last.seq >> BUCKET_SHIFT);
      const done = !last || rows.length < r.limit || last.created_at >= later;
      return { deleted, next: done ? null : last.seq };
    })();
  }
}
