/**
 * SQL for listing jobs with the spec's filters. Totals come from the trigger-maintained counters
 * table, so a filtered count costs the same at a million jobs as at ten.
 */
import type { JobFilter } from '../../core/ports';

interface Query {
  readonly sql: string;
  readonly args: unknown[];
}

function where(filter: JobFilter, columns: { status: string; type: string; category: string }): Query {
  const clauses: string[] = [];
  const args: unknown[] = [];
  if (filter.status) (clauses.push(`${columns.status} = ?`), args.push(filter.status));
  if (filter.type) (clauses.push(`${columns.type} = ?`), args.push(filter.type));
  if (filter.resourceCategory) (clauses.push(`${columns.category} = ?`), args.push(filter.resourceCategory));
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

const COLUMNS = { status: 'status', type: 'type', category: 'resource_category' };

/** Newest first. */
export function buildListQuery(filter: JobFilter, offset: number, limit: number): Query {
  const w = where(filter, COLUMNS);
  return { sql: `SELECT * FROM jobs ${w.sql} ORDER BY seq DESC LIMIT ? OFFSET ?`, args: [...w.args, limit, offset] };
}

export function buildTotalQuery(filter: JobFilter): Query {
  const w = where(filter, COLUMNS);
  return { sql: `SELECT coalesce(sum(n), 0) AS n FROM job_counters ${w.sql}`, args: w.args };
}
