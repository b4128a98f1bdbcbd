/**
 * The `job.log` events of every job seen in the last few seconds, whichever job is open.
 *
 * Why: the server sends a log line as an event at once but stores it with the job's progress a
 * moment later (the dispatcher's report flush, 200 ms by default, longer across a fleet). A job
 * opened in that moment, which is what happens to a job created from the form and started at
 * once, would read its log without the line and had already let the event pass: the line was lost
 * until the panel was opened again. Opening a job starts from these recent lines instead; the
 * loader drops those the stored log already contains.
 */
export interface RecentLogLine {
  readonly jobId: string;
  readonly at: string;
  readonly text: string;
  /** When this page received it (Timers.now). */
  readonly receivedAt: number;
}

/** Longer than any report flush plus relay delay; a line older than this is in the stored log. */
export const RECENT_LOG_MS = 10_000;
/** A bound for a burst of many jobs logging at once. */
export const RECENT_LOG_LINES = 2000;

export class RecentLogLines {
  private lines: RecentLogLine[] = [];

  add(jobId: string, at: string, text: string, now: number): void {
    this.lines.push({ jobId, at, text, receivedAt: now });
    if (this.lines.length > RECENT_LOG_LINES * 2) this.lines = this.lines.slice(-RECENT_LOG_LINES);
  }

  /** The job's lines received within RECENT_LOG_MS, oldest first. */
  of(jobId: string, now: number): Array<{ at: string; text: string }> {
    const since = now - RECENT_LOG_MS;
    this.lines = this.lines.filter((l) => l.receivedAt >= since).slice(-RECENT_LOG_LINES);
    return this.lines.filter((l) => l.jobId === jobId).map(({ at, text }) => ({ at, text }));
  }
}
