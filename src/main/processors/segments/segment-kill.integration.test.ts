/**
 * Resume (#20): kill -9 of the node when about 90 % of a segmented encode's chunks are done, then a
 * restart on the same data and library. Only the chunks that were running at the kill are encoded
 * again (counted from each chunk job's attempts); every chunk finished before the kill is reused
 * as it is (one attempt, its file untouched); the joined output is frame-exact (lossless: the
 * source's frames, MD5 for MD5) and passes the transcode's proof.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childUntilReady } from '../../testing/child-until-ready';
import type { TranscodeRuntime } from '../transcode/testing/transcode-runtime';
import { openTranscodeRuntime } from '../transcode/testing/transcode-runtime';
import { frameHashes, segmentClip } from './testing/segment-clips';

const child = join(import.meta.dirname, 'testing', 'segment-kill-child.ts');
let dir = '';
let restarted: TranscodeRuntime | undefined;
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const attemptsOf = (log: string) => (log.match(/Started attempt \d+/g) ?? []).length;

describe('kill -9 at 90 % of the chunks, then restart', () => {
  it('re-encodes only the chunks that were running; the output is frame-exact', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjc-segments-kill-'));
    const videos = join(dir, 'library', 'videos');
    mkdirSync(videos, { recursive: true });
    const source = await segmentClip(videos, 'long.mp4', 100, '320x180');
    const { state, kill } = await childUntilReady<{ jobId: string; total: number; done: number }>(child, [dir], 'AT_90');
    await kill();
    expect(state.total).toBe(10);
    expect(state.done).toBeGreaterThanOrEqual(8);

    restarted = await openTranscodeRuntime(dir, { limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } });
    const job = await restarted.waitForEnd(state.jobId, 300_000);
    expect(job.status, job.log).toBe('completed');
    expect(job.log).toMatch(/Check frames: passed/);

    const { data } = await restarted.embedded.runtime.execute('getJobChildren', { id: state.jobId });
    const chunks = await Promise.all(data.filter((c) => c.type === 'encode_chunk').map((c) => restarted!.embedded.runtime.execute('getJob', { id: c.id })));
    expect(chunks).toHaveLength(10);
    const crashed = chunks.filter((c) => /The runtime stopped while this job was running/.test(c.log));
    const redone = chunks.filter((c) => attemptsOf(c.log) > 1);
    expect(crashed.length, 'some chunks were running at the kill').toBeGreaterThanOrEqual(1);
    expect(crashed.length, 'at most the two slots were running').toBeLessThanOrEqual(2);
    expect(redone.map((c) => c.id).sort(), 'only the chunks running at the kill were encoded again').toEqual(crashed.map((c) => c.id).sort());
    for (const c of chunks) expect(c.status).toBe('completed');
    const encodedSeconds = redone.reduce((s, c) => s + Number(c.params.durationSeconds), 0);
    expect(encodedSeconds / 10, 'seconds re-encoded / chunk length ≤ chunks running at the kill').toBeLessThanOrEqual(crashed.length + 0.5);

    const [src, out] = await Promise.all([frameHashes(source), frameHashes(join(videos, 'seg.mp4'))]);
    expect(out.length).toBe(src.length);
    expect(out.findIndex((h, i) => h !== src[i]), 'every frame is the source frame').toBe(-1);
  }, 400_000);
});
