/**
 * The writes that end an attempt (complete, fail, retry later, interrupted, cancelled as asked),
 * the reports that carry them with logs and progress, and the start-up rescue of live jobs.
 * Split from sqlite-job-store.ts; its callers hold the transaction.
 */
import type Database from 'better-sqlite3';
import type { AttemptOutcome, JobRecord, ReportBatch } from '../../core/ports';
import type { FailureDecision } from '../../core/retry-policy';
import type { BoundedLogWriter } from './bounded-log';
import { rowToJob, type JobRow } from './job-rows';
import { appliesTo, LIVE, setStatusOf } from '../status-sql';

export class SqliteOutcomes {
  private readonly stmt;

  constructor(
    db: Database.Database,
    private readonly log: BoundedLogWriter,
  ) {
    this.stmt = {
      // an attempt's outcomes, fenced by its attempt number (lifecycle: they apply to a live job)
      complete: db.prepare(`UPDATE jobs SET ${setStatusOf('complete')}, progress = 100, completed_at = @at, vram_reserved = 0, waiting_reason = NULL, updated_at = @at,
        log_lines = log_lines + 1 WHERE id = @jobId AND ${appliesTo('complete')} AND attempt = @attempt RETURNING *`),
      fail: db.prepare(`UPDATE jobs SET ${setStatusOf('fail')}, completed_at = @at, vram_reserved = 0, last_error = @error, waiting_reason = NULL, updated_at = @at,
        log_lines = log_lines + 1 WHERE id = @jobId AND ${appliesTo('fail')} AND attempt = @attempt RETURNING *`),
      scheduleRetry: db.prepare(`UPDATE jobs SET ${setStatusOf('scheduleRetry')}, retry_count = @retryCount, retry_after = @retryAfter, enqueued_at = @retryAfter,
        last_error = @error, waiting_reason = @reason, vram_reserved = 0, updated_at = @at, log_lines = log_lines + 1
        WHERE id = @jobId AND ${appliesTo('scheduleRetry')} AND attempt = @attempt RETURNING *`),
      interrupt: db.prepare(`UPDATE jobs SET ${setStatusOf('interrupt')}, enqueued_at = @at, vram_reserved = 0, progress = 0, updated_at = @at,
        log_lines = log_lines + 1 WHERE id = @jobId AND ${appliesTo('interrupt')} AND attempt = @attempt RETURNING *`),
      // the end of an attempt a user asked to cancel; `requested`: only when a cancel was asked for (an
      // attempt that failed or was interrupted meanwhile ends cancelled, not re-queued)
      cancel: db.prepare(`UPDATE jobs SET ${setStatusOf('finishCancel')}, completed_at = @at, vram_reserved = 0, waiting_reason = NULL, retry_after = NULL,
        updated_at = @at, log_lines = log_lines + 1
        WHERE id = @jobId AND ${appliesTo('finishCancel')} AND attempt = @attempt AND (@requested = 0 OR cancel_requested_at IS NOT NULL) RETURNING *`),
      // the exclusive lock means no other runtime uses this file: every live job is an orphan at start-up,
      // whatever node id it was claimed under (the host may have been renamed, MEDIA_NODE_ID changed)
      running: db.prepare<[], JobRow>(`SELECT * FROM jobs WHERE ${appliesTo('recover')}`),
      // a suspended attempt's last buffered progress still counts (it made it before it was stopped)
      progress: db.prepare(`UPDATE jobs SET progress = ? WHERE id = ? AND attempt = ? AND ${LIVE} AND progress <> ?`),
    };
  }

  applyReports(batch: ReportBatch): JobRecord[] {
    for (const l of batch.logs) this.log.appendById(l.jobId, l.at, l.text, l.attempt);
    for (const [id, { attempt, progress }] of batch.progress) this.stmt.progress.run(progress, id, attempt, progress);
    const changed: JobRecord[] = [];
    for (const o of batch.outcomes) {
      const row = this.applyOutcome(o);
      if (!row) continue;
      this.log.writeCounted(row.seq, row.log_lines, o.at, outcomeLogLine(o, row.status));
      changed.push(rowToJob(row));
    }
    return changed;
  }

  /** Applies one outcome if its attempt is still current. An attempt whose job a user asked to cancel ends it cancelled unless it completed. */
  private applyOutcome(o: AttemptOutcome): JobRow | undefined {
    const key = { jobId: o.jobId, attempt: o.attempt, at: o.at };
    if (o.kind === 'cancelled') return this.stmt.cancel.get({ ...key, requested: 0 }) as JobRow | undefined;
    if (o.kind !== 'completed') {
      const cancelled = this.stmt.cancel.get({ ...key, requested: 1 }) as JobRow | undefined;
      if (cancelled) return cancelled;
    }
    switch (o.kind) {
      case 'completed':
        return this.stmt.complete.get(key) as JobRow | undefined;
      case 'interrupted':
        return this.stmt.interrupt.get(key) as JobRow | undefined;
      case 'failed':
        return o.decision.kind === 'retry'
          ? (this.stmt.scheduleRetry.get({
              ...key,
              error: o.error,
              retryCount: o.decision.retryCount,
              retryAfter: o.decision.retryAfter,
              reason: `Waiting to retry (${o.decision.reason}) at ${new Date(o.decision.retryAfter).toISOString()}; last error: ${o.error}`,
            }) as JobRow | undefined)
          : (this.stmt.fail.get({ ...key, error: o.error }) as JobRow | undefined);
    }
  }

  /** Every live job is an orphan at start-up: each ends as its attempt would have failed (or cancelled, as asked). */
  rescue(now: number, decide: (job: JobRecord) => FailureDecision): JobRecord[] {
    const rescued: JobRecord[] = [];
    for (const row of this.stmt.running.all()) {
      const job = rowToJob(row);
      const decision = decide(job);
      const error = 'The runtime stopped while this job was running (crash, kill or power loss).';
      const outcome: AttemptOutcome =
        decision.kind === 'retry'
          ? { kind: 'failed', jobId: job.id, attempt: job.attempt, at: now, error, logLine: '', decision: { ...decision, retryAfter: now } }
          : { kind: 'failed', jobId: job.id, attempt: job.attempt, at: now, error, logLine: '', decision };
      const updated = this.applyOutcome(outcome);
      if (!updated) continue;
      const what = updated.status === 'cancelled' ? 'cancelled, as a user had asked' : decision.kind === 'retry' ? 're-queued' : 'failed';
      this.log.writeCounted(updated.seq, updated.log_lines, now, `${error} Recovered at start-up: ${what} (${decision.reason}).`);
      rescued.push(rowToJob(updated));
    }
    return rescued;
  }
}

/** The log line of an outcome; an attempt that ended otherwise after a cancel was asked for says so. */
function outcomeLogLine(o: AttemptOutcome, status: string): string {
  return status === 'cancelled' && o.kind !== 'cancelled' ? `Cancelled, as asked: the attempt has ended (${o.logLine})` : o.logLine;
}
