/**
 * The join checks every index of plan.json (#20): a finished part whose job row and file are gone
 * (retention, a hand edit) is encoded again, never left out of the concat. Real store, real ffmpeg:
 * the output decodes to exactly the source's frames.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../runtime/testing/test-runtime';
import { openTranscodeRuntime, type TranscodeRuntime } from '../transcode/testing/transcode-runtime';
import { chunkName } from './segment-files';
import { frameHashes, segmentClip } from './testing/segment-clips';

let dir: string;
let t: TranscodeRuntime;
let ids: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-seg-gaps-'));
  t = await openTranscodeRuntime(dir, { limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 } });
  await segmentClip(join(dir, 'library', 'videos'), 'gaps.mp4', 40);
  ids = await t.scan();
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('segment join', () => {
  it('encodes again a finished chunk whose job row and file are gone, and joins every chunk of the plan', async () => {
    const runtime = t.embedded.runtime;
    const { id } = await runtime.execute('createJob', { type: 'transcode', params: { videoId: ids['gaps.mp4'], codec: 'h264', crf: 0, preset: 'ultrafast', skipIfCodec: false, skipBelowBitsPerPixel: 0, force: true, segments: { seconds: 10 }, outputPath: 'videos/gaps-out.mp4' } });
    // one chunk done, then hold the rest: the parent waits for its parts
    const first = await waitFor(async () => (await runtime.execute('getJobChildren', { id })).data.find((c) => c.type === 'encode_chunk' && c.status === 'completed'), 60_000, 'a chunk to finish');
    await runtime.execute('pauseQueue', { category: first.resourceCategory });
    await waitFor(async () => (await runtime.execute('getJobChildren', { id })).data.every((c) => c.status !== 'running') || undefined, 60_000, 'the running parts to end');
    const parts = (await runtime.execute('getJobChildren', { id })).data;
    expect(parts.some((c) => c.status !== 'completed'), 'parts still wait').toBe(true);
    const index = (first.params as { index: number }).index;
    // the runtime holds its database file exclusively: the row goes while it is stopped
    await t.close();
    const db = new Database(join(dir, 'data', 'media-jobs.db'));
    try {
      expect(db.prepare('DELETE FROM jobs WHERE id = ?').run(first.id).changes).toBe(1);
    } finally {
      db.close();
    }
    rmSync(join(dir, 'library', '.segments', id, chunkName(index)));
    t = await openTranscodeRuntime(dir, { limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 } });
    await t.embedded.runtime.execute('resumeQueue', { category: first.resourceCategory });

    const done = await t.waitForEnd(id, 180_000);
    expect(done.status, done.log).toBe('completed');
    expect(done.log).toMatch(new RegExp(`Chunk ${index + 1} of 4: missing or unreadable; encoding it again`));
    const again = (await t.embedded.runtime.execute('getJobChildren', { id })).data.filter((c) => c.type === 'encode_chunk' && (c.params as { index: number }).index === index);
    expect(again.map((c) => c.status)).toEqual(['completed']);
    const [src, out] = await Promise.all([frameHashes(join(dir, 'library', 'videos', 'gaps.mp4')), frameHashes(join(dir, 'library', 'videos', 'gaps-out.mp4'))]);
    expect(out).toEqual(src);
  }, 300_000);
});
