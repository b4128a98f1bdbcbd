/**
 * A segmented encode seen as one job (#20): its chunk count, done and running, and its progress and
 * ETA aggregated over the chunks, each weighted by its duration (a chunk of 60 s counts four times
 * one of 15 s). Pure.
 */
import type { Job } from '../../../shared/contracts/job';
import type { JobRecord } from '../../core/ports';
import { isLiveStatus } from '../../../shared/domain/statuses';
import { PARTS_SHARE } from '../../processors/segments/join-progress';

export type ChunkProgress = NonNullable<Job['chunks']>;

const durationOf = (job: JobRecord) => Number((job.params as { durationSeconds?: number }).durationSeconds ?? 0);
const partOf = (job: JobRecord) => (job.type === 'encode_audio' ? 'audio' : `chunk:${String((job.params as { index?: number }).index)}`);

/** The latest job of each part (a part encoded again has a newer job). */
export function latestParts(children: readonly JobRecord[]): JobRecord[] {
  const latest = new Map<string, JobRecord>();
  for (const c of children) if ((latest.get(partOf(c))?.seq ?? -1) < c.seq) latest.set(partOf(c), c);
  return [...latest.values()];
}

/** The parent's chunk counts, aggregated progress (0–PARTS_SHARE) and ETA at `now`; null when it has no chunks. */
export function chunkProgress(children: readonly JobRecord[], now: number): { chunks: ChunkProgress; progress: number } | null {
  const chunks = latestParts(children).filter((c) => c.type === 'encode_chunk');
  if (chunks.length === 0) return null;
  const total = chunks.reduce((s, c) => s + durationOf(c), 0) || chunks.length;
  const weight = (c: JobRecord) => (total === chunks.length ? 1 : durationOf(c));
  const doneSeconds = chunks.reduce((s, c) => s + weight(c) * (c.status === 'completed' ? 1 : isLiveStatus(c.status) ? c.progress / 100 : 0), 0);
  const started = chunks.map((c) => c.startedAt).filter((t): t is number => t !== null);
  const since = started.length > 0 ? Math.min(...started) : null;
  const elapsed = since === null ? 0 : (now - since) / 1000;
  // the rate so far (encoded seconds of video per second) carries the rest
  const etaSeconds = doneSeconds > 0 && elapsed > 0 && doneSeconds < total ? Math.round(((total - doneSeconds) * elapsed) / doneSeconds) : doneSeconds >= total ? 0 : null;
  return {
    chunks: {
      total: chunks.length,
      done: chunks.filter((c) => c.status === 'completed').length,
      running: chunks.filter((c) => isLiveStatus(c.status)).length,
      failed: chunks.filter((c) => c.status === 'failed' || c.status === 'cancelled').length,
      etaSeconds,
    },
    // the parts fill 0–PARTS_SHARE %; the join run reports the rest (processors/segments/join-progress.ts)
    progress: Math.min(PARTS_SHARE, Math.floor((doneSeconds / total) * PARTS_SHARE)),
  };
}
