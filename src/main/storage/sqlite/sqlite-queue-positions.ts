/**
 * Queue positions of many jobs in one query (a page of a job list): each waiting job's 1-based
 * rank among the waiting jobs of its category (priority, then FIFO), the same rule as
 * JobStore.queuePosition. The page's waiting jobs are sorted per category; each counts only the
 * waiting jobs between the previous one and itself (a range of the partial index jobs_waiting),
 * and a running sum makes the positions: the index is read once up to the page's last job in
 * each category, instead of once per row from the head of the queue.
 */
import type Database from 'better-sqlite3';
import { WAITING } from '../status-sql';

const SQL = `
  WITH page AS (
    SELECT id, resource_category AS c, priority AS p, seq AS s,
      coalesce(lag(priority) OVER w, 0) AS lp, coalesce(lag(seq) OVER w, 0) AS ls
    FROM jobs WHERE id IN (SELECT value FROM json_each(?)) AND ${WAITING}
    WINDOW w AS (PARTITION BY resource_category ORDER BY priority, seq)
  ),
  gaps AS (
    SELECT id, c, p, s, (SELECT count(*) FROM jobs WHERE ${WAITING} AND resource_category = page.c
      AND (priority, seq) >= (page.lp, page.ls) AND (priority, seq) < (page.p, page.s)) AS gap
    FROM page
  )
  SELECT id, sum(gap) OVER (PARTITION BY c ORDER BY p, s) + 1 AS position FROM gaps`;

const statements = new WeakMap<Database.Database, Database.Statement<[string], { id: string; position: number }>>();

/** Positions of the waiting jobs among `ids`; jobs not waiting (or unknown) are absent from the map. */
export function sqliteQueuePositions(db: Database.Database, ids: readonly string[]): Map<string, number> {
  if (ids.length === 0) return new Map();
  let statement = statements.get(db);
  if (!statement) statements.set(db, (statement = db.prepare<[string], { id: string; position: number }>(SQL)));
  return new Map(statement.all(JSON.stringify(ids)).map((r) => [r.id, r.position]));
}
