/**
 * A parent's end reaching its parts (#20) end to end, real ffmpeg, one part at a time:
 * - the live guard across chunks: a replace that cannot shrink (a lossless encode of a lossy clip)
 *   in segment mode is stopped once enough chunks are done, ends `completed` with kept_original and
 *   the guard's reason in its ledger row, the original byte for byte as it was, the parts not done
 *   cancelled and the work folder removed;
 * - a segmented reencode_streaming is one job too: its cancel cancels its parts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../runtime/testing/test-runtime';
import { openTranscodeRuntime, type TranscodeRuntime } from '../transcode/testing/transcode-runtime';
import { segmentClip } from './testing/segment-clips';

let dir: string;
let t: TranscodeRuntime;
let ids: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-segment-guard-'));
  // one part at a time: the second chunk (a quarter of the video done) trips the guard, and the parent (queued first) runs next
  t = await openTranscodeRuntime(dir, { limits: { cpu: 2, gpu_encode: 1, gpu_ai: 1 } });
  await segmentClip(join(dir, 'library', 'videos'), 'grows.mp4', 80);
  ids = await t.scan();
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('segment mode live guard', () => {
  it('keeps the original once the finished chunks project an output larger than it, and cancels the parts not done', async () => {
    const runtime = t.embedded.runtime;
    const source = join(dir, 'library', 'videos', 'grows.mp4');
    const before = readFileSync(source);
    const job = await t.runJob('transcode', { videoId: ids['grows.mp4'], codec: 'h264', crf: 0, preset: 'ultrafast', skipIfCodec: false, skipBelowBitsPerPixel: 0, force: true, mode: 'replace', segments: { seconds: 10 } }, 180_000);
    expect(job.status, job.log).toBe('completed');
    expect(job.log).toMatch(/Segment mode: 8 chunks of about 10 s/);
    expect(job.log).toMatch(/stopped the encode: live guard: at \d+ % the output is projected at/);
    const result = await runtime.execute('getJobResult', { id: job.id });
    expect(result.outcome).toBe('kept_original');
    expect(result.reason).toMatch(/^live guard: at \d+ % the output is projected at .*, larger than the original's .* \(\d+ chunk\(s\) finished\)$/);
    expect(readFileSync(source).equals(before), 'the original is byte-identical').toBe(true);

    const parts = await waitFor(async () => {
      const { data } = await runtime.execute('getJobChildren', { id: job.id });
      return data.every((c) => ['completed', 'failed', 'cancelled'].includes(c.status)) ? data : undefined;
    }, 60_000, 'every part to end');
    const chunks = parts.filter((p) => p.type === 'encode_chunk');
    expect(chunks.filter((c) => c.status === 'failed').map((c) => c.lastError), 'the chunk that tripped the guard says so').toEqual([expect.stringMatching(/^Segmented live guard: live guard: at/)]);
    expect(chunks.filter((c) => c.status === 'failed').map((c) => (c.params as { index: number }).index), 'a quarter of the video (2 chunks of 10 s of 80 s) is enough to project').toEqual([1]);
    expect(chunks.filter((c) => c.status === 'completed')).toHaveLength(1);
    expect(parts.filter((c) => c.status === 'cancelled'), 'the parts not done (6 chunks and the audio) are cancelled').toHaveLength(7);
    await waitFor(async () => !existsSync(join(dir, 'library', '.segments', job.id)) || undefined, 30_000, 'the work folder to be removed');
  }, 300_000);

  it('cancels the parts of a segmented reencode_streaming with it, and shows its chunk count', async () => {
    const runtime = t.embedded.runtime;
    const { id } = await runtime.execute('createJob', { type: 'reencode_streaming', params: { videoId: ids['grows.mp4'], crf: 30, preset: 'veryslow', targetBitrate: 2000, segments: { seconds: 10 }, outputPath: 'playback/cancelled.mp4' } });
    await waitFor(async () => (await runtime.execute('getJobChildren', { id })).data.length > 0 || undefined, 60_000, 'the plan');
    expect((await runtime.execute('getJob', { id })).chunks?.total).toBe(8);
    await runtime.execute('cancelJob', { id });
    const parts = await waitFor(async () => {
      const { data } = await runtime.execute('getJobChildren', { id });
      return data.every((c) => ['completed', 'failed', 'cancelled'].includes(c.status)) ? data : undefined;
    }, 60_000, 'every part to end');
    const cancelled = await Promise.all(parts.filter((c) => c.status === 'cancelled').map((c) => runtime.execute('getJob', { id: c.id })));
    expect(cancelled.length, 'the parts not done are cancelled with it').toBeGreaterThanOrEqual(6);
    for (const c of cancelled) expect(c.log).toContain(`WITH ITS PARENT ${id}`);
    await waitFor(async () => !existsSync(join(dir, 'library', '.segments', id)) || undefined, 30_000, 'the work folder to be removed');
  }, 120_000);
});
