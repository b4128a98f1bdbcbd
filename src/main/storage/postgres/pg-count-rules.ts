/**
 * Who counts a status change on PostgreSQL (see pg-migrations.ts for why counts are appended as
 * deltas to job_count_deltas and folded into job_buckets later).
 *
 * LIVE jobs (running, or suspended by a pause: status class live) are not in the bucketed counts at all: readers
 * count them from the jobs themselves (a node's capacity bounds them: a few hundred rows, found
 * through the jobs_active index). So the two hottest changes write one delta row per group instead
 * of two: a start only takes the job out of pending or queued, a completion only adds it to
 * completed (whether it was running or suspended does not matter).
 *
 * A row trigger counts every other change. It costs a PL/pgSQL call and up to three inserts per
 * row, about a fifth of a claim's server time, so the claim's own statements (start, completions,
 * waiting reasons) count what they change in the same statement instead, and the trigger stands
 * aside, when the transaction says so with `SET LOCAL mjc.statement_counts = on`. The statements
 * check the same setting: exactly one of the two counts each change. Only a transaction whose
 * status changes are ALL made by such statements may set it (claimTick's pipelined path).
 */
import { LIVE } from '../status-sql';
import { notSegmentChild } from '../segment-sql';

/** Jobs per bucket of job_buckets (seq >> BUCKET_SHIFT), as in the SQLite store. */
export const BUCKET_SHIFT = 12;

/** The setting (transaction-local) under which the claim's statements count their own changes. */
export const STATEMENT_COUNTS = 'mjc.statement_counts';

/** Sets STATEMENT_COUNTS for the rest of the transaction (a parameterless statement for a prelude). */
export const COUNT_IN_STATEMENTS = `SET LOCAL ${STATEMENT_COUNTS} = on`;

/** True inside a transaction that set COUNT_IN_STATEMENTS. */
const COUNTING_HERE = `current_setting('${STATEMENT_COUNTS}', true) = 'on'`;

/**
 * A live job (running, or suspended and still holding its slot): what readers count from the jobs
 * themselves, what holds capacity and what a lease covers. The predicate of the jobs_active index
 * (`status IN ('running', 'suspended')`), rendered from the status classes.
 */
export const LIVE_JOB = LIVE;

/**
 * A CTE (no trailing comma) appending, for each row of `rows` (the CTE of an update returning the
 * job columns), `n` to the count of `status` (an SQL expression over `rows`). Inert unless the
 * transaction set COUNT_IN_STATEMENTS.
 */
export function countDeltaCte(name: string, rows: string, status: string, n: 1 | -1, where = 'true'): string {
  return `${name} AS (INSERT INTO job_count_deltas (bucket, type, status, resource_category, n)
    SELECT (seq >> ${BUCKET_SHIFT})::integer, type, ${status}, resource_category, ${n} * count(*)::integer FROM ${rows}
    WHERE ${COUNTING_HERE} AND ${where} GROUP BY 1, 2, 3, 4)`;
}

/** A CTE adding the processing time of the jobs `rows` completed (see countDeltaCte). */
export function processingDeltaCte(name: string, rows: string): string {
  return `${name} AS (INSERT INTO processing_deltas (completed, total_ms)
    SELECT count(*), sum(completed_at - started_at) FROM ${rows}
    WHERE ${COUNTING_HERE} AND started_at IS NOT NULL AND completed_at IS NOT NULL AND ${notSegmentChild()} HAVING count(*) > 0)`;
}
