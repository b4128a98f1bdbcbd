/**
 * Buffers what running attempts report (log lines, progress, outcomes) so they reach the store in
 * one transaction per dispatcher tick instead of one per line: a durable commit costs a disk sync.
 */
import type { AttemptOutcome, LogLineInput, ProgressReport, ReportBatch } from '../core/ports';

export class ReportBuffer {
  private logs: LogLineInput[] = [];
  private progress = new Map<string, ProgressReport>();
  private outcomes: AttemptOutcome[] = [];

  addLog(line: LogLineInput): void {
    this.logs.push(line);
  }

  setProgress(jobId: string, report: ProgressReport): void {
    this.progress.set(jobId, report);
  }

  addOutcome(outcome: AttemptOutcome): void {
    this.outcomes.push(outcome);
    this.progress.delete(outcome.jobId);
  }

  get isEmpty(): boolean {
    return this.logs.length === 0 && this.progress.size === 0 && this.outcomes.length === 0;
  }

  get hasOutcomes(): boolean {
    return this.outcomes.length > 0;
  }

  take(): ReportBatch {
    const batch = { logs: this.logs, progress: this.progress, outcomes: this.outcomes };
    this.logs = [];
    this.progress = new Map();
    this.outcomes = [];
    return batch;
  }

  /** Puts a batch back in front after a failed write, so nothing reported is lost. */
  restore(batch: ReportBatch): void {
    this.logs = [...batch.logs, ...this.logs];
    for (const [id, p] of batch.progress) if (!this.progress.has(id)) this.progress.set(id, p);
    this.outcomes = [...batch.outcomes, ...this.outcomes];
  }
}
