/**
 * The live guard of a segmented replace (#20): the unsegmented encode's rule (proof.ts
 * liveGuardVerdict: stop once the output is projected clearly over the original's size) applied
 * across chunks. Each chunk, once its file is final, projects the output from every finished
 * chunk's bytes per second of video; once enough is done (GUARD_MIN_CHUNKS chunks, or
 * GUARD_MIN_FRACTION of the duration, and the rule's own fifth) and the projection misses, the chunk
 * fails with GUARD_TRIPPED: that releases the parent at once, whose join run then keeps the original
 * (outcome kept_original with this reason, ledger row written) instead of joining, and the parts not
 * done are cancelled with it (runtime/segments/segment-cascade.ts). The projection counts the
 * video alone (the audio is left out), so it errs low, never high, like the unsegmented one.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { liveGuardVerdict } from '../transcode/proof';
import type { Chunk } from './cut-plan';
import { chunkName } from './segment-files';

/** How a guarded part's error starts (the parent reads it to keep the original). */
export const GUARD_TRIPPED = 'Segmented live guard';
export const GUARD_MIN_CHUNKS = 3;
export const GUARD_MIN_FRACTION = 0.25;

export interface FinishedChunk {
  readonly bytes: number;
  readonly durationSeconds: number;
}

/** The verdict over the finished chunks of a video of `totalSeconds`: the reason to stop, or null. Pure. */
export function segmentGuardVerdict(done: readonly FinishedChunk[], totalSeconds: number, originalBytes: number): string | null {
  const seconds = done.reduce((n, c) => n + c.durationSeconds, 0);
  if (totalSeconds <= 0 || (done.length < GUARD_MIN_CHUNKS && seconds / totalSeconds < GUARD_MIN_FRACTION)) return null;
  const verdict = liveGuardVerdict({ bytesWritten: done.reduce((n, c) => n + c.bytes, 0), outTimeSeconds: seconds, durationSeconds: totalSeconds, originalBytes });
  return verdict ? `${verdict} (${done.length} chunk(s) finished)` : null;
}

/** The finished chunks in `work` (plan.json's durations, the final files' sizes) and the video's total duration; null without a plan. */
export async function finishedChunks(work: string): Promise<{ done: FinishedChunk[]; totalSeconds: number } | null> {
  const plan = JSON.parse(await readFile(join(work, 'plan.json'), 'utf8').catch(() => 'null')) as { chunks: readonly Chunk[] } | null;
  if (!plan) return null;
  const names = new Set(await readdir(work).catch(() => [] as string[]));
  const done: FinishedChunk[] = [];
  for (const c of plan.chunks) {
    if (!names.has(chunkName(c.index))) continue;
    const size = await stat(join(work, chunkName(c.index))).then((s) => s.size).catch(() => null);
    if (size !== null) done.push({ bytes: size, durationSeconds: c.durationSeconds });
  }
  return { done, totalSeconds: plan.chunks.reduce((n, c) => n + c.durationSeconds, 0) };
}
