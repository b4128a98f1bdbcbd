/**
 * A running job is hung when its tool has shown no sign of life (progress, output) for longer
 * than the configured time. Long healthy jobs keep reporting, so they are never flagged.
 */
export interface LivenessSample {
  readonly jobId: string;
  readonly lastActivityAt: number;
}

export function findHungJobs(samples: Iterable<LivenessSample>, now: number, hangTimeoutMs: number): string[] {
  const hung: string[] = [];
  for (const s of samples) if (now - s.lastActivityAt >= hangTimeoutMs) hung.push(s.jobId);
  return hung;
}
