/**
 * Append-only job logs kept bounded: the first `headLines` and the last `tailLines` lines of each
 * job are kept; lines in between are dropped as new ones arrive, and the job counts how many.
 */
import type Database from 'better-sqlite3';
import type { LogBounds } from '../../core/log-bounds';
import { LIVE } from '../status-sql';

export class BoundedLogWriter {
  private readonly bump: Database.Statement<[string], { seq: number; log_lines: number }>;
  private readonly bumpInAttempt: Database.Statement<[string, number], { seq: number; log_lines: number }>;
  private readonly bumpBySeq: Database.Statement<[number], { log_lines: number }>;
  private readonly insert: Database.Statement<[number, number, number, string]>;
  private readonly drop: Database.Statement<[number, number]>;
  private readonly countDrop: Database.Statement<[number]>;

  constructor(db: Database.Database, private readonly bounds: LogBounds) {
    this.bump = db.prepare('UPDATE jobs SET log_lines = log_lines + 1 WHERE id = ? RETURNING seq, log_lines');
    this.bumpInAttempt = db.prepare(
      `UPDATE jobs SET log_lines = log_lines + 1 WHERE id = ? AND attempt = ? AND ${LIVE} RETURNING seq, log_lines`,
    );
    this.bumpBySeq = db.prepare('UPDATE jobs SET log_lines = log_lines + 1 WHERE seq = ? RETURNING log_lines');
    this.insert = db.prepare('INSERT INTO job_logs (job_seq, line, at, text) VALUES (?, ?, ?, ?)');
    this.drop = db.prepare('DELETE FROM job_logs WHERE job_seq = ? AND line = ?');
    this.countDrop = db.prepare('UPDATE jobs SET log_dropped = log_dropped + 1 WHERE seq = ?');
  }

  /**
   * Appends one line to the job with this id; a line for an unknown job is ignored, and so is one
   * whose `attempt` is no longer the job's running attempt. Call inside a transaction.
   */
  appendById(jobId: string, at: number, text: string, attempt?: number): void {
    const row = attempt === undefined ? this.bump.get(jobId) : this.bumpInAttempt.get(jobId, attempt);
    if (row) this.write(row.seq, row.log_lines, at, text);
  }

  appendBySeq(seq: number, at: number, text: string): void {
    const row = this.bumpBySeq.get(seq);
    if (row) this.write(seq, row.log_lines, at, text);
  }

  /**
   * Writes line number `line` of job `seq`, for callers whose own UPDATE already counted it
   * (`log_lines = log_lines + 1 … RETURNING log_lines`), saving a statement per line.
   */
  writeCounted(seq: number, line: number, at: number, text: string): void {
    this.write(seq, line, at, text);
  }

  private write(seq: number, line: number, at: number, text: string): void {
    this.insert.run(seq, line, at, text);
    const { headLines, tailLines } = this.bounds;
    if (line > headLines + tailLines) {
      this.drop.run(seq, line - tailLines);
      this.countDrop.run(seq);
    }
  }
}
