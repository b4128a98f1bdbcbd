/**
 * How much of a job's log is kept: the first `headLines` and the last `tailLines` lines; lines in
 * between are dropped as new ones arrive, and the job counts how many. Every store keeps its logs
 * within these bounds (SQLite: storage/sqlite/bounded-log.ts; PostgreSQL: pg-logs.ts).
 */
export interface LogBounds {
  readonly headLines: number;
  readonly tailLines: number;
}

export const DEFAULT_LOG_BOUNDS: LogBounds = { headLines: 200, tailLines: 2000 };
