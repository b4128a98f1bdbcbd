/**
 * Which of two transcode jobs applying the same settings to one video goes on ("twins": a double
 * click, a watch event and a pipeline, two nodes). Checked by each transcode as it starts: it ends
 * `skipped` when a twin is ahead of it, so the file is never encoded twice at once. Pure.
 *
 * A twin is ahead when it has started (it is running, suspended, waiting for its chunks or for a
 * retry after a failed attempt) and started before this one (the same millisecond: the lower seq,
 * creation order across the fleet). Every job reads the same stored times, so of twins started
 * together exactly one goes on. One that never started (waiting, paused, or reopened by a manual
 * retry) is not ahead: it may never run, and when it does start it finds this one ahead of it (or,
 * once this one has ended, its mark).
 */
import type { OpenTranscode } from '../../core/transcode-ports';

export interface StartingTranscode {
  readonly id: string;
  readonly seq: number;
  /** This attempt's start. */
  readonly startedAt: number;
}

export function isAhead(twin: Pick<OpenTranscode, 'id' | 'seq' | 'startedAt'>, job: StartingTranscode): boolean {
  if (twin.id === job.id || twin.startedAt === null) return false;
  return twin.startedAt < job.startedAt || (twin.startedAt === job.startedAt && twin.seq < job.seq);
}

/** The first twin (same settings key) ahead of `job` among the video's open transcodes, if any. */
export function twinAhead(job: StartingTranscode, key: string, open: readonly OpenTranscode[], keyOf: (t: OpenTranscode) => string): OpenTranscode | undefined {
  return open.find((t) => isAhead(t, job) && keyOf(t) === key);
}
