import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../core/ports';
import { joinPercent, PARTS_SHARE } from '../../processors/segments/join-progress';
import { chunkProgress, latestParts } from './chunk-progress';

let seq = 0;
function part(type: 'encode_chunk' | 'encode_audio', index: number, status: JobRecord['status'], o: { progress?: number; seconds?: number; startedAt?: number | null } = {}): JobRecord {
  return {
    id: `j${++seq}`, seq, type, status, params: { index, durationSeconds: o.seconds ?? 10 }, progress: o.progress ?? 0, priority: 5, waitingReason: null, resourceCategory: 'gpu_encode',
    vramRequired: 0, vramReserved: 0, createdAt: 0, enqueuedAt: 0, startedAt: o.startedAt ?? null, completedAt: null, retryCount: 0, maxRetries: 3, retryAfter: null, lastError: null,
    nodeId: null, createdBy: null, attempt: 1, logLines: 0, logDropped: 0, cancelRequestedAt: null, parentJobId: 'p',
  };
}

describe('chunkProgress', () => {
  it('counts the chunks (not the audio) and weights progress by chunk duration', () => {
    const children = [
      part('encode_chunk', 0, 'completed', { seconds: 60, startedAt: 0 }),
      part('encode_chunk', 1, 'running', { seconds: 60, progress: 50, startedAt: 30_000 }),
      part('encode_chunk', 2, 'pending', { seconds: 20 }),
      part('encode_audio', 0, 'completed'),
    ];
    const p = chunkProgress(children, 60_000)!;
    expect(p.chunks).toMatchObject({ total: 3, done: 1, running: 1, failed: 0 });
    // 60 + 30 of 140 s encoded, in the parts' 0–90 % (the join takes the rest)
    expect(p.progress).toBe(57);
    // 90 s encoded in 60 s: the 50 s left take about 33 s
    expect(p.chunks.etaSeconds).toBe(33);
  });

  it('takes the newest job of a chunk encoded again, and none for a job without chunks', () => {
    const children = [part('encode_chunk', 0, 'failed'), part('encode_chunk', 0, 'completed')];
    expect(latestParts(children)).toHaveLength(1);
    expect(chunkProgress(children, 0)!.chunks).toMatchObject({ total: 1, done: 1, failed: 0, etaSeconds: 0 });
    expect(chunkProgress([part('encode_audio', 0, 'running')], 0)).toBeNull();
  });

  it('stops at the share the join starts from, so the parent never goes backwards (#20)', () => {
    const done = [part('encode_chunk', 0, 'completed'), part('encode_chunk', 1, 'completed')];
    const almost = [part('encode_chunk', 0, 'completed'), part('encode_chunk', 1, 'running', { progress: 99 })];
    expect(chunkProgress(done, 0)!.progress).toBe(PARTS_SHARE);
    expect(chunkProgress(almost, 0)!.progress).toBeLessThanOrEqual(joinPercent(0));
  });
});
