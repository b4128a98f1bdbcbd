/**
 * Job reads the bucketed listing (pg-counts.ts) cannot serve, as in SQLite (sqlite-job-search.ts):
 * a search by file name and a creation-date range, and jobs ended per hour for the dashboard. Both
 * scan the jobs table (deliberately no index on created_at or completed_at), which retention keeps
 * bounded; the search matches at most MATCHED_VIDEOS library videos first, then the jobs that name
 * one in their params (JSON text: a matched id inside it is a reference) or wrote one.
 */
import { notSegmentChild } from '../segment-sql';
import type { EndedInHour, JobFilter, JobRecord } from '../../core/ports';
import type { Queryable } from './pg-db';
import { rowToJob, type PgJobRow } from './pg-rows';

export const MATCHED_VIDEOS = 500;
const HOUR_MS = 3_600_000;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function whereOf(filter: JobFilter, args: unknown[]): string {
  const clauses: string[] = [];
  const param = (value: unknown) => {
    args.push(value);
    return `$${args.length}`;
  };
  if (filter.status) clauses.push(`j.status = ${param(filter.status)}`);
  if (filter.type) clauses.push(`j.type = ${param(filter.type)}`);
  if (filter.resourceCategory) clauses.push(`j.resource_category = ${param(filter.resourceCategory)}`);
  if (filter.hideSegmentChildren) clauses.push(notSegmentChild('j.type'));
  if (filter.createdFrom !== undefined) clauses.push(`j.created_at >= ${param(filter.createdFrom)}`);
  if (filter.createdTo !== undefined) clauses.push(`j.created_at < ${param(filter.createdTo)}`);
  if (filter.search !== undefined) {
    const like = param(`%${escapeLike(filter.search)}%`);
    // a job id matches by its start or its end (the short token shown for a job: jobIdToken)
    clauses.push(`(j.id ILIKE ${param(`${escapeLike(filter.search)}%`)} OR j.id ILIKE ${param(`%${escapeLike(filter.search)}`)}
      OR EXISTS (SELECT 1 FROM matched m WHERE strpos(j.params, m.id) > 0)
      OR EXISTS (SELECT 1 FROM videos o WHERE o.source_job_id = j.id AND (o.title ILIKE ${like} OR o.path ILIKE ${like})))`);
  }
  return clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
}

function matchedVideos(filter: JobFilter, args: unknown[]): string {
  if (filter.search === undefined) return 'WITH matched(id) AS (SELECT NULL::text WHERE false)';
  args.push(`%${escapeLike(filter.search)}%`);
  const like = `$${args.length}`;
  return `WITH matched AS MATERIALIZED (SELECT id FROM videos WHERE title ILIKE ${like} OR filename ILIKE ${like} OR path ILIKE ${like} LIMIT ${MATCHED_VIDEOS})`;
}

/** One page, newest first, and the filter's total, in one statement (one snapshot). */
export async function searchPage(db: Queryable, filter: JobFilter, offset: number, limit: number): Promise<{ rows: JobRecord[]; total: number }> {
  const args: unknown[] = [];
  const matched = matchedVideos(filter, args);
  const where = whereOf(filter, args);
  args.push(limit, offset);
  const { rows } = await db.query<PgJobRow & { total: string }>(
    `${matched}, hits AS (SELECT j.* FROM jobs j ${where})
     SELECT p.*, t.total FROM (SELECT count(*) AS total FROM hits) AS t
     LEFT JOIN LATERAL (SELECT * FROM hits ORDER BY seq DESC LIMIT $${args.length - 1} OFFSET $${args.length}) AS p ON true`,
    args,
  );
  const total = Number(rows[0]?.total ?? 0);
  return { rows: rows.filter((r) => r.id !== null).map(rowToJob), total };
}

export async function endedPerHour(db: Queryable, since: number): Promise<EndedInHour[]> {
  const { rows } = await db.query<{ hour: string; completed: number; failed: number }>(
    `SELECT (completed_at / ${HOUR_MS}) * ${HOUR_MS} AS hour, count(*) FILTER (WHERE status = 'completed')::integer AS completed,
       count(*) FILTER (WHERE status = 'failed')::integer AS failed
     FROM jobs WHERE status IN ('completed', 'failed') AND completed_at >= $1 AND ${notSegmentChild()} GROUP BY 1 ORDER BY 1`,
    [since],
  );
  return rows.map((r) => ({ hourStart: Number(r.hour), completed: r.completed, failed: r.failed }));
}
