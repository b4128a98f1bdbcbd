/**
 * Counts and lists from the bucketed counts (see pg-migrations.ts for why they are appended as
 * deltas): exact totals and stats by summing a few hundred bucket rows plus the deltas not yet
 * compacted, and pages bounded to the buckets holding their first and last rows: a deep page steps
 * at most one bucket instead of OFFSET rows through a million jobs (as in the SQLite store).
 */
import { notSegmentChild, PARENTS_WITH_LIVE_PARTS } from '../segment-sql';
import { isSegmentChild, type JobType } from '../../../shared/domain/job-types';
import type { JobStatus, ResourceCategory } from '../../../shared/domain/statuses';
import { JOB_STATUSES } from '../../../shared/domain/statuses';
import type { JobFilter, JobRecord, StatusCounts } from '../../core/ports';
import type { Queryable } from './pg-db';
import { BUCKET_SHIFT, LIVE_JOB } from './pg-count-rules';
import { rowToJob, type PgJobRow } from './pg-rows';

function where(filter: JobFilter, firstParam: number, extra: string[] = []): { sql: string; args: unknown[] } {
  const clauses = [...extra];
  const args: unknown[] = [];
  const add = (column: string, value: unknown) => {
    args.push(value);
    clauses.push(`${column} = $${firstParam + args.length - 1}`);
  };
  if (filter.status) add('status', filter.status);
  if (filter.type) add('type', filter.type);
  if (filter.resourceCategory) add('resource_category', filter.resourceCategory);
  if (filter.hideSegmentChildren) clauses.push(notSegmentChild());
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

/**
 * Count rows matching the filter: job_buckets, the pending deltas, and the live jobs, which are
 * counted from the jobs themselves (pg-count-rules.ts; the branches share the parameters).
 */
function countedRows(filter: JobFilter): { sql: string; args: unknown[] } {
  const w = where(filter, 1);
  const live = where(filter, 1, [LIVE_JOB]);
  return {
    sql: `(SELECT bucket, type, status, resource_category, n FROM job_buckets ${w.sql}
           UNION ALL SELECT bucket, type, status, resource_category, n FROM job_count_deltas ${w.sql}
           UNION ALL SELECT (seq >> ${BUCKET_SHIFT})::integer, type, status, resource_category, 1 FROM jobs ${live.sql})`,
    args: w.args,
  };
}

/**
 * One page, newest first, and the filter's total. Call in a REPEATABLE READ transaction so the
 * bucket sums and the rows come from one snapshot.
 */
export async function listPage(db: Queryable, filter: JobFilter, offset: number, limit: number): Promise<{ rows: JobRecord[]; total: number }> {
  const counted = countedRows(filter);
  const buckets = (
    await db.query<{ bucket: number; n: string; types: string[] }>(
      `SELECT bucket, sum(n) AS n, array_agg(DISTINCT type) AS types FROM ${counted.sql} AS c GROUP BY bucket HAVING sum(n) <> 0 ORDER BY bucket DESC`,
      counted.args,
    )
  ).rows.map((b) => ({ bucket: b.bucket, n: Number(b.n), types: b.types }));
  const total = buckets.reduce((sum, b) => sum + b.n, 0);
  if (offset >= total || limit <= 0) return { rows: [], total };

  // The page runs from row `offset` to row `offset + limit - 1` (newest first); bound it to the seqs of
  // the buckets holding those rows, so the row query reads at most those buckets whatever the plan
  // (without the bounds, a rare status on a million rows can make PostgreSQL walk the primary key).
  const size = 1 << BUCKET_SHIFT;
  const last = Math.min(offset + limit, total) - 1;
  let skipped = 0;
  let high = 0;
  let low = 0;
  let skip = 0;
  const types = new Set<string>();
  for (const b of buckets) {
    if (skipped <= offset && offset < skipped + b.n) {
      high = (b.bucket + 1) * size;
      skip = offset - skipped;
    }
    if (high > 0) for (const type of b.types) types.add(type);
    if (skipped <= last && last < skipped + b.n) {
      low = b.bucket * size;
      break;
    }
    skipped += b.n;
  }
  const bounds = ['seq >= $1', 'seq < $2'];
  // no index by category (one index fewer for every status change): a category's rows are found
  // through the type index, by the types the counts hold for that category in the page's buckets
  if (filter.resourceCategory && !filter.type) bounds.push('type = ANY($3)');
  const w = where(filter, bounds.length + 1, bounds);
  const args = [low, high, ...(bounds.length > 2 ? [[...types]] : []), ...w.args, limit, skip];
  const { rows } = await db.query<PgJobRow>(`SELECT * FROM jobs ${w.sql} ORDER BY seq DESC LIMIT $${args.length - 1} OFFSET $${args.length}`, args);
  return { rows: rows.map(rowToJob), total };
}

/** Stats in one statement (one snapshot, one round trip). */
export async function countJobs(db: Queryable): Promise<StatusCounts> {
  const counted = countedRows({});
  const { rows } = await db.query<{ counts: { type: string; status: string; resource_category: string; n: number }[]; live_parents: { status: string; n: number }[]; vram: number; completed: number; total_ms: number }>(`
    SELECT
      (SELECT coalesce(json_agg(l), '[]') FROM (${PARENTS_WITH_LIVE_PARTS}) AS l) AS live_parents,
      (SELECT coalesce(json_agg(c), '[]') FROM (
         SELECT type, status, resource_category, sum(n) AS n FROM ${counted.sql} AS u GROUP BY 1, 2, 3 HAVING sum(n) <> 0) AS c) AS counts,
      (SELECT coalesce(sum(vram_reserved), 0)::float8 FROM jobs WHERE ${LIVE_JOB}) AS vram,
      ((SELECT completed FROM processing_totals WHERE id = 1) + (SELECT coalesce(sum(completed), 0) FROM processing_deltas))::float8 AS completed,
      ((SELECT total_ms FROM processing_totals WHERE id = 1) + (SELECT coalesce(sum(total_ms), 0) FROM processing_deltas))::float8 AS total_ms`);
  const row = rows[0]!;
  const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  const partsByStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  const byType: Partial<Record<JobType, number>> = {};
  const runningByCategory: Record<ResourceCategory, number> = { cpu: 0, gpu_encode: 0, gpu_ai: 0 };
  for (const { type, status, resource_category, n } of row.counts) {
    if (status === 'running') runningByCategory[resource_category as ResourceCategory] += n;
    byStatus[status as JobStatus] += n;
    if (isSegmentChild(type)) partsByStatus[status as JobStatus] += n;
    byType[type as JobType] = (byType[type as JobType] ?? 0) + n;
  }
  const parentsWithLiveParts: Partial<Record<JobStatus, number>> = {};
  for (const { status, n } of row.live_parents) parentsWithLiveParts[status as JobStatus] = Number(n);
  return {
    byStatus,
    partsByStatus,
    parentsWithLiveParts,
    byType,
    runningByCategory,
    vramReservedMb: row.vram,
    averageProcessingSeconds: row.completed === 0 ? 0 : row.total_ms / row.completed / 1000,
  };
}

/** Folds the appended count deltas into the buckets; a no-op when another session is at it. */
export async function compactCounts(db: Queryable): Promise<void> {
  await db.query('SELECT compact_job_counts()');
}
