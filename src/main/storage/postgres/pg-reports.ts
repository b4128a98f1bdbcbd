/**
 * The write path of running attempts on PostgreSQL: log lines, progress, then outcomes, fenced by
 * the attempt number (an outcome applies only while the job is still running or suspended in that
 * attempt), with the same columns and log lines as the SQLite store.
 */
import type { AttemptOutcome, JobRecord, ReportBatch } from '../../core/ports';
import type { FailureDecision } from '../../core/retry-policy';
import type { Queryable } from './pg-db';
import type { LogBounds } from '../../core/log-bounds';
import { countDeltaCte, processingDeltaCte } from './pg-count-rules';
import { LIVE_STATUSES } from '../../../shared/domain/statuses';
import { targetOf, type LifecycleAction } from '../../core/lifecycle';
import { appliesTo, setStatusOf, sqlStatus, statusIn } from '../status-sql';
import { dropPushedOutLine, type CountedLine, type PgLogWriter } from './pg-logs';
import { jobColumns, pgArray, pgText, rowToJob, type PgJobRow } from './pg-rows';

/** Job $1 in attempt $2, while `action` applies to its status (lifecycle: a live job). */
const fence = (action: LifecycleAction) => `WHERE id = $1 AND ${appliesTo(action)} AND attempt = $2`;

const SQL = {
  complete: `UPDATE jobs SET ${setStatusOf('complete')}, progress = 100, completed_at = $3, vram_reserved = 0, waiting_reason = NULL,
    updated_at = $3, log_lines = log_lines + 1 ${fence('complete')} RETURNING *`,
  fail: `UPDATE jobs SET ${setStatusOf('fail')}, completed_at = $3, vram_reserved = 0, last_error = $4, waiting_reason = NULL,
    updated_at = $3, log_lines = log_lines + 1 ${fence('fail')} RETURNING *`,
  scheduleRetry: `UPDATE jobs SET ${setStatusOf('scheduleRetry')}, retry_count = $5, retry_after = $6, enqueued_at = $6, last_error = $4,
    waiting_reason = $7, vram_reserved = 0, updated_at = $3, log_lines = log_lines + 1 ${fence('scheduleRetry')} RETURNING *`,
  interrupt: `UPDATE jobs SET ${setStatusOf('interrupt')}, enqueued_at = $3, vram_reserved = 0, progress = 0, updated_at = $3,
    log_lines = log_lines + 1 ${fence('interrupt')} RETURNING *`,
  // the end of an attempt a user asked to cancel ($4: only when a cancel was asked for, so an attempt
  // that failed or was interrupted meanwhile ends cancelled, not re-queued)
  cancel: `UPDATE jobs SET ${setStatusOf('finishCancel')}, completed_at = $3, vram_reserved = 0, waiting_reason = NULL, retry_after = NULL,
    updated_at = $3, log_lines = log_lines + 1 ${fence('finishCancel')} AND (NOT $4 OR cancel_requested_at IS NOT NULL) RETURNING *`,
};

/** The log line of an outcome; an attempt that ended otherwise after a cancel was asked for says so. */
function outcomeLogLine(o: AttemptOutcome, row: PgJobRow): string {
  return row.status === 'cancelled' && o.kind !== 'cancelled' ? `Cancelled, as asked: the attempt has ended (${o.logLine})` : o.logLine;
}

/**
 * Completions in one statement with their log lines (the hot path: a busy node reports dozens per
 * tick), fenced like the others; the line the log bounds push out is dropped in the same statement.
 * In a transaction that counts in statements (pg-count-rules.ts) it also adds the jobs to the
 * completed count (they were live: running or suspended, not counted) and their processing time.
 */
const COMPLETE_MANY = (() => {
  const drop = dropPushedOutLine('u', 5, 6);
  return `WITH u AS (
    UPDATE jobs SET ${setStatusOf('complete')}, progress = 100, completed_at = o.at, vram_reserved = 0, waiting_reason = NULL,
      updated_at = o.at, log_lines = jobs.log_lines + 1, ${drop.countColumn}
    FROM unnest($1::text[], $2::integer[], $3::bigint[]) AS o(id, attempt, at)
    WHERE jobs.id = o.id AND ${appliesTo('complete', 'jobs.status')} AND jobs.attempt = o.attempt RETURNING ${jobColumns()}),
  l AS (INSERT INTO job_logs (job_seq, line, at, text)
    SELECT u.seq, u.log_lines, o.at, o.text FROM u JOIN unnest($1::text[], $3::bigint[], $4::text[]) AS o(id, at, text) ON o.id = u.id),
  ${drop.deleteCte},
  ${countDeltaCte('counted', 'u', sqlStatus(targetOf('complete')!), 1)},
  ${processingDeltaCte('timed', 'u')}
  SELECT * FROM u`;
})();

/** Issues the completions' statement at once; resolves to the rows it completed, by job id. */
function completeMany(db: Queryable, bounds: LogBounds, outcomes: readonly AttemptOutcome[]): Promise<Map<string, PgJobRow>> {
  if (outcomes.length === 0) return Promise.resolve(new Map());
  return db
    .query<PgJobRow>({
      name: 'mjc-complete-many',
      text: COMPLETE_MANY,
      values: [pgArray(outcomes.map((o) => o.jobId)), pgArray(outcomes.map((o) => o.attempt)), pgArray(outcomes.map((o) => o.at)), pgArray(outcomes.map((o) => pgText(o.logLine))), bounds.headLines, bounds.tailLines],
    })
    .then(({ rows }) => new Map(rows.map((r) => [r.id, r])));
}

/** Issues the progress statement at once (nothing to return: progress changes no status); fenced by attempt. */
function writeProgress(db: Queryable, progress: ReportBatch['progress']): Promise<unknown> {
  const ids = [...progress.keys()];
  return db.query(
    `UPDATE jobs SET progress = p.progress FROM unnest($1::text[], $2::integer[], $3::integer[]) AS p(id, attempt, progress)
     WHERE jobs.id = p.id AND jobs.attempt = p.attempt AND ${statusIn(LIVE_STATUSES, 'jobs.status')} AND jobs.progress <> p.progress`,
    [pgArray(ids), pgArray(ids.map((id) => progress.get(id)!.attempt)), pgArray(ids.map((id) => progress.get(id)!.progress))],
  );
}

/** A batch of only completions and progress: applyCompletionsAndProgress can pipeline it. */
export function isCompletionsAndProgress(batch: ReportBatch): boolean {
  return batch.logs.length === 0 && batch.outcomes.every((o) => o.kind === 'completed');
}

/**
 * The common batch (see isCompletionsAndProgress) in at most two statements, both ISSUED before
 * this returns, so statements the caller issues next run after them (pipelinedTransaction).
 * Resolves to the jobs the completions changed.
 */
export function applyCompletionsAndProgress(db: Queryable, bounds: LogBounds, batch: ReportBatch): Promise<JobRecord[]> {
  const progressed = batch.progress.size > 0 ? writeProgress(db, batch.progress) : Promise.resolve();
  const completed = completeMany(db, bounds, batch.outcomes);
  return Promise.all([progressed, completed]).then(([, rows]) => batch.outcomes.flatMap((o) => (rows.has(o.jobId) ? [rowToJob(rows.get(o.jobId)!)] : [])));
}

/**
 * Applies one outcome if its attempt is still current; the returned row has counted one more log
 * line. An attempt whose job a user asked to cancel ends it cancelled unless it completed.
 */
export async function applyOutcome(db: Queryable, o: AttemptOutcome): Promise<PgJobRow | undefined> {
  const key = [o.jobId, o.attempt, o.at];
  if (o.kind === 'cancelled') return (await db.query<PgJobRow>(SQL.cancel, [...key, false])).rows[0];
  if (o.kind !== 'completed') {
    const cancelled = (await db.query<PgJobRow>(SQL.cancel, [...key, true])).rows[0];
    if (cancelled) return cancelled;
  }
  let result;
  switch (o.kind) {
    case 'completed':
      result = await db.query<PgJobRow>(SQL.complete, key);
      break;
    case 'interrupted':
      result = await db.query<PgJobRow>(SQL.interrupt, key);
      break;
    case 'failed': {
      const error = pgText(o.error);
      const d = o.decision;
      result =
        d.kind === 'retry'
          ? await db.query<PgJobRow>(SQL.scheduleRetry, [
              ...key,
              error,
              d.retryCount,
              d.retryAfter,
              pgText(`Waiting to retry (${d.reason}) at ${new Date(d.retryAfter).toISOString()}; last error: ${o.error}`),
            ])
          : await db.query<PgJobRow>(SQL.fail, [...key, error]);
      break;
    }
  }
  return result.rows[0];
}

/** Logs, progress, then outcomes, inside the caller's transaction. Returns the jobs the outcomes changed. */
export async function applyReports(db: Queryable, log: PgLogWriter, batch: ReportBatch): Promise<JobRecord[]> {
  await log.appendById(db, batch.logs);
  if (batch.progress.size > 0) await writeProgress(db, batch.progress);
  const changed: JobRecord[] = [];
  const lines: CountedLine[] = [];
  const completed = await completeMany(db, log.bounds, batch.outcomes.filter((o) => o.kind === 'completed'));
  for (const o of batch.outcomes) {
    if (o.kind === 'completed') {
      const row = completed.get(o.jobId);
      if (row) changed.push(rowToJob(row)); // its log line is written already
      continue;
    }
    const row = await applyOutcome(db, o);
    if (!row) continue;
    lines.push({ seq: Number(row.seq), line: row.log_lines, at: o.at, text: outcomeLogLine(o, row) });
    changed.push(rowToJob(row));
  }
  await log.writeCounted(db, lines);
  return changed;
}

/**
 * Jobs left running or suspended by `nodeId`, failed or re-queued as `decide` says, with the reason
 * logged. Only that node's jobs: on a shared database the other nodes are alive. Call inside a
 * transaction holding the node's lock.
 */
export async function rescueNode(db: Queryable, log: PgLogWriter, nodeId: string, now: number, decide: (job: JobRecord) => FailureDecision): Promise<JobRecord[]> {
  const { rows } = await db.query<PgJobRow>(`SELECT * FROM jobs WHERE ${appliesTo('recover')} AND node_id = $1 ORDER BY seq FOR UPDATE`, [nodeId]);
  return rescueRows(db, log, rows, now, decide, {
    error: 'The runtime stopped while this job was running (crash, kill or power loss).',
    when: 'Recovered at start-up',
  });
}

/**
 * Running or suspended jobs whose lease ran out (their node stopped renewing it: dead, hung or cut
 * off from the database), of any node; rows another transaction holds are left for the next sweep.
 * The attempt stays fenced: its node, if it still runs it, learns at its next heartbeat and stops it.
 */
export async function rescueExpiredLeases(db: Queryable, log: PgLogWriter, now: number, decide: (job: JobRecord) => FailureDecision): Promise<JobRecord[]> {
  const { rows } = await db.query<PgJobRow>(
    `SELECT * FROM jobs WHERE ${appliesTo('recover')} AND lease_expires_at < mjc_now_ms() ORDER BY seq FOR UPDATE SKIP LOCKED`,
  );
  const rescued: JobRecord[] = [];
  const byNode = new Map<string, PgJobRow[]>();
  for (const row of rows) byNode.set(row.node_id ?? '?', [...(byNode.get(row.node_id ?? '?') ?? []), row]);
  for (const [nodeId, group] of byNode) {
    rescued.push(
      ...(await rescueRows(db, log, group, now, decide, {
        error: `Node ${nodeId} stopped renewing this job's lease (it died, hung or lost the database).`,
        when: 'Rescued by the lease sweep',
      })),
    );
  }
  return rescued;
}

async function rescueRows(
  db: Queryable,
  log: PgLogWriter,
  rows: readonly PgJobRow[],
  now: number,
  decide: (job: JobRecord) => FailureDecision,
  text: { error: string; when: string },
): Promise<JobRecord[]> {
  const rescued: JobRecord[] = [];
  const lines: CountedLine[] = [];
  const { error } = text;
  for (const row of rows) {
    const job = rowToJob(row);
    const decision = decide(job);
    const outcome: AttemptOutcome =
      decision.kind === 'retry'
        ? { kind: 'failed', jobId: job.id, attempt: job.attempt, at: now, error, logLine: '', decision: { ...decision, retryAfter: now } }
        : { kind: 'failed', jobId: job.id, attempt: job.attempt, at: now, error, logLine: '', decision };
    const updated = await applyOutcome(db, outcome);
    if (!updated) continue;
    const what = updated.status === 'cancelled' ? 'cancelled, as a user had asked' : decision.kind === 'retry' ? 're-queued' : 'failed';
    lines.push({ seq: Number(updated.seq), line: updated.log_lines, at: now, text: `${error} ${text.when}: ${what} (${decision.reason}).` });
    rescued.push(rowToJob(updated));
  }
  await log.writeCounted(db, lines);
  return rescued;
}
