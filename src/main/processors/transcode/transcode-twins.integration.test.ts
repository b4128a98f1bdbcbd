/**
 * Two transcode jobs with the same settings on one file at once (a double click, a watch event and a
 * pipeline, two nodes): with two encode slots both start together, and exactly one encodes. The
 * other ends `skipped` naming it, without running ffmpeg; the file is replaced once. A twin that
 * never started (paused) holds nothing back: the newer encodes, and the paused one, resumed, finds
 * the work done. With `force: true` the newer runs anyway (and then finds the original changed
 * under it: kept). Real ffmpeg on clips made at test time (the transcode-twins.test.ts table has
 * the rule's other cases: a twin retried while the other runs, the same millisecond).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceableClip } from './testing/fault-clips';
import { openTranscodeRuntime, type TranscodeRuntime } from './testing/transcode-runtime';

let dir: string;
let t: TranscodeRuntime;
let ids: Record<string, string> = {};
const settings = { codec: 'hevc', mode: 'replace', crf: 28, preset: 'veryfast' } as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-twins-'));
  // two encode slots: twins are claimed in the same dispatch and start together; the clips differ in
  // length, so in content (one made like the other would carry its mark)
  t = await openTranscodeRuntime(dir, { limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } });
  const videos = join(dir, 'library', 'videos');
  await Promise.all([replaceableClip(videos, 'twice.mp4', 4), replaceableClip(videos, 'forced.mp4', 5), replaceableClip(videos, 'paused.mp4', 6)]);
  ids = await t.scan();
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const create = (params: Record<string, unknown>) => t.embedded.runtime.execute('createJob', { type: 'transcode', params });
const result = (id: string) => t.embedded.runtime.execute('getJobResult', { id });

describe('two transcodes with the same settings on one file at once', () => {
  it('encodes once: the newer ends skipped naming the older, without running ffmpeg', async () => {
    const videoId = ids['twice.mp4']!;
    const older = await create({ videoId, ...settings });
    const newer = await create({ videoId, ...settings });
    const [a, b] = await Promise.all([t.waitForEnd(older.id), t.waitForEnd(newer.id)]);
    expect(a.status, a.log).toBe('completed');
    expect(b.status, b.log).toBe('completed');
    expect((await result(older.id)).outcome).toBe('replaced');
    const skipped = await result(newer.id);
    expect(skipped.outcome).toBe('skipped');
    // claimed in the same dispatch: the same start time, the lower seq (the older) goes on
    expect(skipped.reason).toMatch(new RegExp(`^job ${older.id} \\(\\w+\\), started before this one, applies the same settings to this video`));
    expect(b.log).not.toContain('FFmpeg command:');
    const history = await t.embedded.runtime.execute('getVideoTranscodes', { id: videoId });
    expect(history.history.map((h) => [h.action, h.jobId])).toEqual([['replaced', older.id]]);
  }, 120_000);

  it('does not let a paused twin that never started hold the newer back; resumed, it finds the work done', async () => {
    const videoId = ids['paused.mp4']!;
    await t.embedded.runtime.execute('pauseQueue', {});
    const older = await create({ videoId, ...settings });
    await t.embedded.runtime.execute('pauseJob', { id: older.id });
    const newer = await create({ videoId, ...settings });
    await t.embedded.runtime.execute('resumeQueue', {});
    const done = await t.waitForEnd(newer.id);
    expect(done.status, done.log).toBe('completed');
    expect((await result(newer.id)).outcome).toBe('replaced');
    expect((await t.embedded.runtime.execute('getJob', { id: older.id })).status).toBe('paused');
    await t.embedded.runtime.execute('resumeJob', { id: older.id });
    const resumed = await t.waitForEnd(older.id);
    expect(resumed.status, resumed.log).toBe('completed');
    const late = await result(older.id);
    expect(late.outcome).toBe('skipped');
    expect(resumed.log).not.toContain('FFmpeg command:');
  }, 120_000);

  it('runs the newer anyway with force: true (the original then changed under it, so it is kept, not replaced twice)', async () => {
    const videoId = ids['forced.mp4']!;
    const original = readFileSync(join(t.root, 'videos', 'forced.mp4'));
    const older = await create({ videoId, ...settings });
    const forced = await create({ videoId, ...settings, force: true });
    const [a, b] = await Promise.all([t.waitForEnd(older.id), t.waitForEnd(forced.id)]);
    expect(a.status, a.log).toBe('completed');
    expect(b.status, b.log).toBe('completed');
    expect(b.log).toContain('FFmpeg command:');
    const outcomes = [(await result(older.id)).outcome, (await result(forced.id)).outcome];
    expect(outcomes.filter((o) => o === 'replaced')).toHaveLength(1);
    const history = await t.embedded.runtime.execute('getVideoTranscodes', { id: videoId });
    expect(history.history.filter((h) => h.action === 'replaced')).toHaveLength(1);
    expect(readFileSync(join(t.root, history.quarantined!.path)).equals(original)).toBe(true);
  }, 120_000);
});
