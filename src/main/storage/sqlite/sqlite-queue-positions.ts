/**
 * Queue positions of many jobs in one read (a page of a job list): each waiting job's 1-based rank
 * among the waiting jobs of its category (priority, then FIFO), the same rule as
 * JobStore.queuePosition.
 *
 * Counting index entries is the cost, so each category is counted from the nearer END of its
 * queue. The page's waiting jobs are sorted per category and each counts only the waiting jobs
 * between its neighbour and itself (a range of the partial index jobs_waiting), summed as it goes:
 * - from the head: position = jobs before it + 1;
 * - from the tail: position = the category's waiting total (from the trigger-kept bucket counts,
 *   a few hundred rows) − jobs after it.
 * A bounded probe (at most HEAD_PROBE_LIMIT entries) says whether the page's best-ranked job is near
 * the head. The newest jobs of a long queue (page 1 of the list, newest first) sit at its tail: from
 * the head they cost a count of the whole queue (22 ms with 100,000 waiting), from the tail a few.
 */
import type Database from 'better-sqlite3';
import { WAITING_STATUSES } from '../../../shared/domain/statuses';
import { statusIn, WAITING } from '../status-sql';

/** Beyond this many jobs ahead of the page's best-ranked job, counting from the tail is used. */
export const HEAD_PROBE_LIMIT = 2_000;

interface PageJob {
  id: string;
  c: string;
  p: number;
  s: number;
}

/** A place in a category's queue order: (priority, seq). */
type Key = readonly [priority: number, seq: number];
const MIN_KEY: Key = [Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
const MAX_KEY: Key = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];

// Every count is an exact range of the index jobs_waiting (resource_category, priority, seq). A
// row-value bound like `(priority, seq) < (?, ?)` is not: SQLite ranges on priority alone and
// filters seq, so with one priority for everyone it read the whole queue.
const SQL = {
  // CROSS JOIN keeps the page's ids as the outer loop (a lookup by id each); with `id IN (…) AND
  // status IN (…)` the planner chose the status index and read every waiting job (8 ms per 100,000)
  page: `SELECT jobs.id AS id, resource_category AS c, priority AS p, seq AS s FROM json_each(?) AS page
    CROSS JOIN jobs ON jobs.id = page.value WHERE ${statusIn(WAITING_STATUSES, 'jobs.status')} ORDER BY resource_category, priority, seq`,
  /** Waiting jobs of one priority with seq in [from, to). */
  samePriority: `SELECT count(*) AS n FROM jobs WHERE ${WAITING} AND resource_category = ? AND priority = ? AND seq >= ? AND seq < ?`,
  /** Waiting jobs with a priority strictly between two. */
  priorityBetween: `SELECT count(*) AS n FROM jobs WHERE ${WAITING} AND resource_category = ? AND priority > ? AND priority < ?`,
  /** The two parts of "jobs ahead of (p, s)", each stopping at the limit. */
  probeBetter: `SELECT count(*) AS n FROM (SELECT 1 FROM jobs WHERE ${WAITING} AND resource_category = ? AND priority < ? LIMIT ?)`,
  probeSame: `SELECT count(*) AS n FROM (SELECT 1 FROM jobs WHERE ${WAITING} AND resource_category = ? AND priority = ? AND seq < ? LIMIT ?)`,
  total: `SELECT coalesce(sum(n), 0) AS n FROM job_buckets WHERE ${WAITING} AND resource_category = ?`,
};

type Statements = { [K in keyof typeof SQL]: Database.Statement<unknown[], { n: number }> };
const prepared = new WeakMap<Database.Database, Statements>();

function statementsOf(db: Database.Database): Statements {
  let statements = prepared.get(db);
  if (!statements) {
    statements = Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, db.prepare(sql)])) as Statements;
    prepared.set(db, statements);
  }
  return statements;
}

/** Positions of the waiting jobs among `ids`; jobs not waiting (or unknown) are absent from the map. */
export function sqliteQueuePositions(db: Database.Database, ids: readonly string[], headProbeLimit = HEAD_PROBE_LIMIT): Map<string, number> {
  const positions = new Map<string, number>();
  if (ids.length === 0) return positions;
  const st = statementsOf(db);
  const count = (statement: Database.Statement<unknown[], { n: number }>, ...args: unknown[]) => statement.get(...args)!.n;
  /** Waiting jobs of `category` with keys in [from, to). */
  const range = (category: string, from: Key, to: Key): number =>
    from[0] === to[0]
      ? count(st.samePriority, category, from[0], from[1], to[1])
      : count(st.samePriority, category, from[0], from[1], MAX_KEY[1]) + count(st.priorityBetween, category, from[0], to[0]) + count(st.samePriority, category, to[0], MIN_KEY[1], to[1]);

  // better-sqlite3 is synchronous on one connection: nothing writes between these reads
  const byCategory = new Map<string, PageJob[]>();
  for (const job of st.page.all(JSON.stringify(ids)) as unknown as PageJob[]) {
    const list = byCategory.get(job.c) ?? [];
    list.push(job);
    byCategory.set(job.c, list);
  }
  for (const [category, jobs] of byCategory) {
    const first = jobs[0]!;
    const probed = count(st.probeBetter, category, first.p, headProbeLimit) + count(st.probeSame, category, first.p, first.s, headProbeLimit);
    if (probed < headProbeLimit) {
      let ahead = 0;
      let from: Key = MIN_KEY;
      for (const job of jobs) {
        ahead += range(category, from, [job.p, job.s]); // [previous page job, this one): all before it, summed
        positions.set(job.id, ahead + 1);
        from = [job.p, job.s];
      }
    } else {
      const total = count(st.total, category);
      let behind = 0;
      let to: Key = MAX_KEY;
      for (const job of [...jobs].reverse()) {
        behind += range(category, [job.p, job.s + 1], to); // (this job, next page job]: all after it, summed
        positions.set(job.id, total - behind);
        to = [job.p, job.s + 1];
      }
    }
  }
  return positions;
}
