/**
 * Job reads the bucketed listing (list-queries.ts) cannot serve: a search by file name and a
 * creation-date range, and jobs ended per hour for the dashboard. Both scan the jobs table (there is
 * deliberately no index on created_at or completed_at: one index entry fewer per job and per
 * completion), which retention keeps bounded; the search matches library videos first (at most
 * MATCHED_VIDEOS of them) and then the jobs that name one of them in their params or wrote one.
 */
import { notSegmentChild } from '../segment-sql';
import type Database from 'better-sqlite3';
import type { EndedInHour, JobFilter } from '../../core/ports';
import type { JobRow } from './job-rows';

/** Videos a search may match; a query matching more is too broad to be about one file. */
export const MATCHED_VIDEOS = 500;
const HOUR_MS = 3_600_000;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function whereOf(filter: JobFilter): { sql: string; args: unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    args.push(...values);
  };
  if (filter.status) add('j.status = ?', filter.status);
  if (filter.type) add('j.type = ?', filter.type);
  if (filter.resourceCategory) add('j.resource_category = ?', filter.resourceCategory);
  if (filter.hideSegmentChildren) clauses.push(notSegmentChild('j.type'));
  if (filter.createdFrom !== undefined) add('j.created_at >= ?', filter.createdFrom);
  if (filter.createdTo !== undefined) add('j.created_at < ?', filter.createdTo);
  if (filter.search !== undefined) {
    const like = `%${escapeLike(filter.search)}%`;
    // a job names its videos by id (videoId, videoIds …): a matched id inside its params text is a reference;
    // a job id matches by its start or its end (the short token shown for a job: jobIdToken)
    add(
      `(j.id LIKE ? ESCAPE '\\' OR j.id LIKE ? ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM matched m WHERE instr(j.params, m.id) > 0)
        OR EXISTS (SELECT 1 FROM videos o WHERE o.source_job_id = j.id AND (o.title LIKE ? ESCAPE '\\' OR o.path LIKE ? ESCAPE '\\')))`,
      `${escapeLike(filter.search)}%`,
      `%${escapeLike(filter.search)}`,
      like,
      like,
    );
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

function matchedVideos(filter: JobFilter): { sql: string; args: unknown[] } {
  if (filter.search === undefined) return { sql: 'WITH matched(id) AS (SELECT NULL WHERE 0)', args: [] };
  const like = `%${escapeLike(filter.search)}%`;
  return {
    sql: `WITH matched AS MATERIALIZED (SELECT id FROM videos WHERE title LIKE ? ESCAPE '\\' OR filename LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\' LIMIT ${MATCHED_VIDEOS})`,
    args: [like, like, like],
  };
}

/** One page, newest first, and the filter's total, from one snapshot (call inside a transaction). */
export function searchPage(db: Database.Database, filter: JobFilter, offset: number, limit: number): { rows: JobRow[]; total: number } {
  const m = matchedVideos(filter);
  const w = whereOf(filter);
  const rows = db.prepare(`${m.sql} SELECT j.* FROM jobs j ${w.sql} ORDER BY j.seq DESC LIMIT ? OFFSET ?`).all(...m.args, ...w.args, limit, offset) as JobRow[];
  const { n } = db.prepare(`${m.sql} SELECT count(*) AS n FROM jobs j ${w.sql}`).get(...m.args, ...w.args) as { n: number };
  return { rows, total: n };
}

export function endedPerHour(db: Database.Database, since: number): EndedInHour[] {
  const rows = db
    .prepare(
      `SELECT (completed_at / ${HOUR_MS}) * ${HOUR_MS} AS hour, sum(status = 'completed') AS completed, sum(status = 'failed') AS failed
       FROM jobs WHERE status IN ('completed', 'failed') AND completed_at >= ? AND ${notSegmentChild()} GROUP BY 1 ORDER BY 1`,
    )
    .all(since) as { hour: number; completed: number; failed: number }[];
  return rows.map((r) => ({ hourStart: r.hour, completed: r.completed, failed: r.failed }));
}
