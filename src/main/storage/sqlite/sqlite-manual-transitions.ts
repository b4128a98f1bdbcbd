/**
 * A user's actions on one job (pause, resume, retry, cancel, priority, suspend and resume of its
 * process), each in one transaction. Split from sqlite-job-store.ts.
 */
import type Database from 'better-sqlite3';
import type { JobStatus } from '../../../shared/domain/statuses';
import { AppError } from '../../../shared/contracts/errors';
import type { CancelRequest, ManualTransition, TransitionResult } from '../../core/ports';
import { cancelActionFor, canTransition } from '../../core/lifecycle';
import type { BoundedLogWriter } from './bounded-log';
import { rowToJob, type JobRow } from './job-rows';
import { manualTransitionSets } from '../manual-transition-sets';
import { appliesTo, setStatusOf } from '../status-sql';

export class SqliteManualTransitions {
  private readonly stmt;

  constructor(
    private readonly db: Database.Database,
    private readonly log: BoundedLogWriter,
  ) {
    this.stmt = {
      byId: db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?'),
      requestCancel: db.prepare(`UPDATE jobs SET cancel_requested_at = @at, updated_at = @at, log_lines = log_lines + 1
        WHERE seq = @seq AND ${appliesTo('requestCancel')} AND cancel_requested_at IS NULL RETURNING *`),
      setPriority: db.prepare(`UPDATE jobs SET priority = ?, updated_at = ? WHERE seq = ? AND ${appliesTo('setPriority')} RETURNING *`),
      suspend: db.prepare(`UPDATE jobs SET ${setStatusOf('suspend')}, updated_at = @at, log_lines = log_lines + 1
        WHERE id = @jobId AND ${appliesTo('suspend')} RETURNING *`),
      resumeSuspended: db.prepare(`UPDATE jobs SET ${setStatusOf('resumeSuspended')}, updated_at = @at, log_lines = log_lines + 1
        WHERE id = @jobId AND ${appliesTo('resumeSuspended')} RETURNING *`),
    };
  }

  transition(t: ManualTransition): TransitionResult {
    return this.db.transaction(() => {
      const row = this.stmt.byId.get(t.jobId);
      if (!row) throw notFound(t.jobId);
      if (!canTransition(row.status as JobStatus, t.action)) return { job: rowToJob(row), applied: false };
      const updated = this.db.prepare(`UPDATE jobs SET ${manualTransitionSets(t.action, '@at')} WHERE seq = @seq RETURNING *`).get({ at: t.at, seq: row.seq }) as JobRow;
      if (t.logLine) this.log.appendBySeq(row.seq, t.at, t.logLine);
      return { job: rowToJob({ ...updated, log_lines: updated.log_lines + (t.logLine ? 1 : 0) }), applied: true };
    })();
  }

  cancel(c: CancelRequest): TransitionResult {
    return this.db.transaction(() => {
      const row = this.stmt.byId.get(c.jobId);
      if (!row) throw notFound(c.jobId);
      const action = cancelActionFor(row.status as JobStatus);
      if (action === 'requestCancel') {
        if (row.cancel_requested_at !== null && row.cancel_requested_at !== undefined) return { job: rowToJob(row), applied: true };
        const updated = this.stmt.requestCancel.get({ seq: row.seq, at: c.at }) as JobRow;
        this.log.writeCounted(updated.seq, updated.log_lines, c.at, c.requestedLogLine);
        return { job: rowToJob(updated), applied: true };
      }
      if (action !== 'cancel') return { job: rowToJob(row), applied: false };
      const updated = this.db.prepare(`UPDATE jobs SET ${manualTransitionSets('cancel', '@at')} WHERE seq = @seq RETURNING *`).get({ at: c.at, seq: row.seq }) as JobRow;
      this.log.appendBySeq(row.seq, c.at, c.logLine);
      return { job: rowToJob({ ...updated, log_lines: updated.log_lines + 1 }), applied: true };
    })();
  }

  setPriority(jobId: string, priority: number, at: number): TransitionResult {
    return this.db.transaction(() => {
      const row = this.stmt.byId.get(jobId);
      if (!row) throw notFound(jobId);
      const updated = this.stmt.setPriority.get(priority, at, row.seq) as JobRow | undefined;
      return updated ? { job: rowToJob(updated), applied: true } : { job: rowToJob(row), applied: false };
    })();
  }

  suspend(jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return this.applyCountedTransition(this.stmt.suspend, jobId, at, logLine);
  }

  resumeSuspended(jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return this.applyCountedTransition(this.stmt.resumeSuspended, jobId, at, logLine);
  }

  private applyCountedTransition(statement: Database.Statement, jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return Promise.resolve(
      this.db.transaction(() => {
        const row = statement.get({ jobId, at }) as JobRow | undefined;
        if (!row) {
          const current = this.stmt.byId.get(jobId);
          if (!current) throw notFound(jobId);
          return { job: rowToJob(current), applied: false };
        }
        this.log.writeCounted(row.seq, row.log_lines, at, logLine);
        return { job: rowToJob(row), applied: true };
      })(),
    );
  }
}

export function notFound(jobId: string): AppError {
  return new AppError('NOT_FOUND', `No job with id ${jobId}.`, { jobId });
}

