/**
 * SQL for listing jobs with the spec's filters, newest first, fast at any page depth.
 *
 * OFFSET alone would step through every skipped row (a deep page of a million jobs costs ~100 ms).
 * Instead, trigger-maintained per-bucket counts (job_buckets: 4096 consecutive seqs a bucket, by
 * type and status) locate the bucket holding the page's first row; the row query then starts at
 * that bucket's upper bound and steps at most one bucket. Totals sum the same buckets.
 */
import type Database from 'better-sqlite3';
import type { JobFilter } from '../../core/ports';
import { BUCKET_SHIFT } from './migrations';
import { notSegmentChild } from '../segment-sql';
import type { JobRow } from './job-rows';

interface Query {
  readonly sql: string;
  readonly args: unknown[];
}

function where(filter: JobFilter, extra: string[] = []): Query {
  const clauses = [...extra];
  const args: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    clauses.push(clause);
    args.push(value);
  };
  if (filter.status) add('status = ?', filter.status);
  if (filter.type) add('type = ?', filter.type);
  if (filter.resourceCategory) add('resource_category = ?', filter.resourceCategory);
  if (filter.hideSegmentChildren) clauses.push(notSegmentChild());
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

export function totalQuery(filter: JobFilter): Query {
  const w = where(filter);
  return { sql: `SELECT coalesce(sum(n), 0) AS n FROM job_buckets ${w.sql}`, args: w.args };
}

/** Where the page starts: only rows with seq below `belowSeq` count, skipping `offset` of them. */
export function locatePage(db: Database.Database, filter: JobFilter, offset: number): { belowSeq: number | null; offset: number } {
  if (offset < 1 << BUCKET_SHIFT) return { belowSeq: null, offset };
  const w = where(filter);
  const buckets = db.prepare(`SELECT bucket, sum(n) AS n FROM job_buckets ${w.sql} GROUP BY bucket ORDER BY bucket DESC`).all(...w.args) as { bucket: number; n: number }[];
  let skipped = 0;
  for (const b of buckets) {
    if (skipped + b.n > offset) return { belowSeq: (b.bucket + 1) << BUCKET_SHIFT, offset: offset - skipped };
    skipped += b.n;
  }
  return { belowSeq: 0, offset: 0 }; // past the end: an empty page
}

export function listPage(db: Database.Database, filter: JobFilter, offset: number, limit: number): JobRow[] {
  const start = locatePage(db, filter, offset);
  const w = where(filter, start.belowSeq === null ? [] : ['seq < ?']);
  const args = start.belowSeq === null ? w.args : [start.belowSeq, ...w.args];
  return db.prepare(`SELECT * FROM jobs ${w.sql} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...args, limit, start.offset) as JobRow[];
}
