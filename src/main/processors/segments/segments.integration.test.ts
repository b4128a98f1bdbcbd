/**
 * Segment mode of `transcode` (#20) end to end through the embedded runtime, real ffmpeg: the parent
 * plans chunks at keyframes, hands off without spending a retry, the chunk and audio jobs run as
 * their own jobs, and the join's output passes the transcode's proof. Seams: with a lossless encode
 * (x264 crf 0) the output decodes to exactly the source's frames, MD5 for MD5, so no frame is lost,
 * doubled or moved at any seam; the frame count, duration and stream layout equal an unsegmented
 * encode's of the same settings.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../runtime/testing/test-runtime';
import { openTranscodeRuntime, type TranscodeRuntime } from '../transcode/testing/transcode-runtime';
import { frameHashes, segmentClip, streamFacts, videoFrameTimes } from './testing/segment-clips';

let dir: string;
let t: TranscodeRuntime;
let ids: Record<string, string> = {};
const lossless = { codec: 'h264', crf: 0, preset: 'ultrafast', skipIfCodec: false, skipBelowBitsPerPixel: 0, force: true } as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-segments-'));
  t = await openTranscodeRuntime(dir, { limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } });
  await Promise.all([segmentClip(join(dir, 'library', 'videos'), 'long.mp4', 100), segmentClip(join(dir, 'library', 'videos'), 'cancel.mp4', 60, '320x180')]);
  ids = await t.scan();
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function childrenOf(parentId: string) {
  const { data } = await t.embedded.runtime.execute('getJobChildren', { id: parentId });
  return Promise.all(data.map((j) => t.embedded.runtime.execute('getJob', { id: j.id })));
}

describe('segment mode', () => {
  it('encodes in chunks cut at keyframes, joins them frame-exact, and matches an unsegmented encode', async () => {
    const source = join(dir, 'library', 'videos', 'long.mp4');
    const seg = await t.runJob('transcode', { videoId: ids['long.mp4'], ...lossless, segments: { seconds: 15 }, outputPath: 'videos/seg.mp4' }, 180_000);
    expect(seg.status, seg.log).toBe('completed');
    expect(seg.retryCount, 'the hand-off spends no retry').toBe(0);
    expect(seg.log).toMatch(/Segment mode: 7 chunks of about 15 s cut at keyframes/);
    expect(seg.log).toMatch(/Check frames: passed/);

    const children = await childrenOf(seg.id);
    expect(children.filter((c) => c.type === 'encode_chunk')).toHaveLength(7);
    expect(children.filter((c) => c.type === 'encode_audio')).toHaveLength(1);
    for (const c of children) expect(c.status, c.log).toBe('completed');
    expect(existsSync(join(dir, 'library', '.segments', seg.id)), 'the work folder is removed on success').toBe(false);

    const one = await t.runJob('transcode', { videoId: ids['long.mp4'], ...lossless, segments: 'off', outputPath: 'videos/one.mp4' }, 180_000);
    expect(one.status, one.log).toBe('completed');

    const [src, segHashes, oneHashes] = await Promise.all([frameHashes(source), frameHashes(join(dir, 'library', 'videos', 'seg.mp4')), frameHashes(join(dir, 'library', 'videos', 'one.mp4'))]);
    expect(src).toHaveLength(2500);
    expect(oneHashes).toEqual(src);
    expect(segHashes.length, 'frame count equals the unsegmented encode').toBe(oneHashes.length);
    const firstDiff = segHashes.findIndex((h, i) => h !== src[i]);
    expect(firstDiff, 'every frame is the source frame (continuous across seams)').toBe(-1);

    const [segFacts, oneFacts, srcFacts] = await Promise.all([streamFacts(join(dir, 'library', 'videos', 'seg.mp4')), streamFacts(join(dir, 'library', 'videos', 'one.mp4')), streamFacts(source)]);
    expect(segFacts.layout).toEqual(oneFacts.layout);
    expect(Math.abs(segFacts.durationSeconds - srcFacts.durationSeconds), 'duration within one frame').toBeLessThanOrEqual(0.04);
    // the audio is one file: A/V drift is how far each video frame's time is from the unsegmented one's
    const [segTimes, oneTimes] = await Promise.all([videoFrameTimes(join(dir, 'library', 'videos', 'seg.mp4')), videoFrameTimes(join(dir, 'library', 'videos', 'one.mp4'))]);
    const drift = segTimes.map((t, i) => Math.abs(t - oneTimes[i]!));
    for (const at of [0, Math.floor(drift.length / 2), drift.length - 1]) expect(drift[at], `A/V drift at frame ${at}`).toBeLessThan(0.04);
    expect(Math.max(...drift), 'no frame of the joined output is a frame away from its unsegmented time').toBeLessThan(0.04);
    expect(Math.abs((segFacts.audioStart ?? 0) - segFacts.videoStart - ((oneFacts.audioStart ?? 0) - oneFacts.videoStart)), 'audio/video offset at the start as unsegmented').toBeLessThanOrEqual(0.04);
  }, 400_000);

  it('refuses to create a part by hand (400 VALIDATION_FAILED): parts come from their parent\'s plan', async () => {
    const parentJobId = '01a24e20-4595-7681-af84-85a91fe74c82';
    const asked = t.embedded.runtime.execute('createJob', { type: 'encode_chunk', params: { parentJobId } });
    await expect(asked).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/parts of a segmented transcode/) });
  });

  it('is one job: children hidden from the list, chunk counts on the parent, priority and cancel cascade, work folder removed', async () => {
    const runtime = t.embedded.runtime;
    const { id } = await runtime.execute('createJob', { type: 'transcode', params: { videoId: ids['cancel.mp4'], ...lossless, preset: 'veryslow', segments: { seconds: 10 }, outputPath: 'videos/cancelled.mp4' } });
    const work = join(dir, 'library', '.segments', id);
    await waitFor(async () => (await runtime.execute('getJobChildren', { id })).data.some((c) => c.status === 'running') || undefined, 60_000, 'a chunk to run');
    const parent = await runtime.execute('getJob', { id });
    expect(parent.status).toBe('pending');
    expect(parent.waitingReason).toMatch(/^Encoding in parts: \d+ of 7 done$/);
    expect(parent.chunks).toMatchObject({ total: 6 });
    expect(parent.chunks!.running).toBeGreaterThanOrEqual(1);
    expect(existsSync(work)).toBe(true);
    // the stats count it once, as running (encoding through its parts), and not its parts
    const stats = await runtime.execute('getStats', {});
    expect(stats.running).toBe(1);
    expect(stats.pending + stats.queued).toBe(0);

    const listed = (await runtime.execute('listJobs', { limit: 200 })).data;
    expect(listed.some((j) => j.type === 'encode_chunk' || j.type === 'encode_audio'), 'the list hides the parts').toBe(false);
    expect(listed.find((j) => j.id === id)?.chunks?.total).toBe(6);
    const all = (await runtime.execute('listJobs', { limit: 200, includeChildren: 'true' } as never)).data;
    expect(all.filter((j) => j.parentJobId === id)).toHaveLength(7);

    await runtime.execute('setJobPriority', { id, priority: 2 });
    const parts = (await runtime.execute('getJobChildren', { id })).data;
    const waiting = parts.filter((c) => c.status === 'pending' || c.status === 'queued');
    expect(waiting.length).toBeGreaterThan(0);
    for (const c of waiting) expect(c.priority).toBe(2);
    // a running part keeps running, at the new priority (its retry, if any, waits at it)
    const running = parts.filter((c) => c.status === 'running');
    expect(running.length).toBeGreaterThan(0);
    for (const c of running) expect(c.priority).toBe(2);
    for (const c of parts.filter((p) => p.status === 'completed')) expect(c.priority, 'an ended part is left as it was').not.toBe(2);

    const cancelled = await runtime.execute('cancelJob', { id });
    expect(cancelled.status).toBe('cancelled');
    const children = await waitFor(async () => {
      const { data } = await runtime.execute('getJobChildren', { id });
      return data.every((c) => ['completed', 'failed', 'cancelled'].includes(c.status)) ? data : undefined;
    }, 30_000, 'every part to end');
    expect(children.filter((c) => c.status === 'cancelled').length, 'the parts not done are cancelled').toBeGreaterThanOrEqual(1);
    expect(children.filter((c) => c.status === 'failed')).toEqual([]);
    await waitFor(async () => !existsSync(work) || undefined, 30_000, 'the work folder to be removed');
    expect((await runtime.execute('getJob', { id })).status).toBe('cancelled');
  }, 200_000);

  it('refuses manual actions on a single part (409 PART_OF_SEGMENTED_JOB): the parent is acted on', async () => {
    const runtime = t.embedded.runtime;
    const { id } = await runtime.execute('createJob', { type: 'transcode', params: { videoId: ids['long.mp4'], ...lossless, segments: { seconds: 15 }, outputPath: 'videos/refused.mp4' } });
    const [part] = await waitFor(async () => {
      const { data } = await runtime.execute('getJobChildren', { id });
      return data.length > 0 ? data : undefined;
    }, 60_000, 'the plan');
    for (const op of ['cancelJob', 'pauseJob', 'resumeJob', 'retryJob'] as const) {
      await expect(runtime.execute(op, { id: part!.id }), op).rejects.toMatchObject({ code: 'PART_OF_SEGMENTED_JOB', message: expect.stringContaining(`act on the parent job ${id}`) });
    }
    await expect(runtime.execute('setJobPriority', { id: part!.id, priority: 1 })).rejects.toMatchObject({ code: 'PART_OF_SEGMENTED_JOB' });
    await runtime.execute('cancelJob', { id });
    await t.waitForEnd(id, 60_000);
  }, 120_000);

  it('fails the job when a part ends badly, saying which, and cancels its parts not done; a retry of the job encodes only the parts not done', async () => {
    const runtime = t.embedded.runtime;
    const { id } = await runtime.execute('createJob', { type: 'transcode', maxRetries: 0, params: { videoId: ids['long.mp4'], ...lossless, segments: { seconds: 15 }, outputPath: 'videos/retried.mp4' } });
    // a real fault for the first chunk: a folder (not empty) where its file must go, so its rename fails
    const blocker = join(dir, 'library', '.segments', id, 'chunk-0000.mp4');
    mkdirSync(blocker, { recursive: true });
    writeFileSync(join(blocker, 'in-the-way'), 'x');
    const planned = await waitFor(async () => {
      const { data } = await runtime.execute('getJobChildren', { id });
      return data.length > 0 ? data : undefined;
    }, 60_000, 'the plan');
    const victim = planned.find((p) => p.type === 'encode_chunk' && (p.params as { index: number }).index === 0)!;
    const failed = await t.waitForEnd(id, 120_000);
    expect(failed.status, failed.log).toBe('failed');
    expect(failed.lastError).toMatch(new RegExp(`^A part of the segmented encode failed: chunk 1 of 7 failed \\(job ${victim.id}\\): `));
    const ended = await waitFor(async () => {
      const { data } = await runtime.execute('getJobChildren', { id });
      return data.every((c) => ['completed', 'failed', 'cancelled'].includes(c.status)) ? data : undefined;
    }, 60_000, 'the other parts to end with the job');
    const withParent = await Promise.all(ended.filter((c) => c.id !== victim.id && c.status === 'cancelled').map((c) => runtime.execute('getJob', { id: c.id })));
    expect(withParent.length, 'the parts not done are cancelled with the failed job').toBeGreaterThan(0);
    for (const c of withParent) expect(c.log).toMatch(new RegExp(`CANCEL(LED| REQUESTED) BECAUSE ITS PARENT ${id} FAILED`));
    const done = ended.filter((c) => c.status === 'completed').map((c) => c.id);
    expect(existsSync(join(dir, 'library', '.segments', id)), 'the finished chunks are kept for a retry').toBe(true);

    rmSync(blocker, { recursive: true });
    await runtime.execute('retryJob', { id });
    const retried = await t.waitForEnd(id, 120_000);
    expect(retried.status, retried.log).toBe('completed');
    const after = await childrenOf(id);
    expect(after).toHaveLength(8);
    for (const c of after) expect(c.status, c.log).toBe('completed');
    expect(after.filter((c) => /RETRIED WITH ITS PARENT/.test(c.log)).map((c) => c.id).sort(), 'only the parts not done are retried').toEqual([victim.id, ...withParent.map((c) => c.id)].sort());
    for (const c of after.filter((a) => done.includes(a.id))) expect((c.log.match(/Started attempt/g) ?? []).length, `${c.id} ran once`).toBe(1);
    const [src, out] = await Promise.all([frameHashes(join(dir, 'library', 'videos', 'long.mp4')), frameHashes(join(dir, 'library', 'videos', 'retried.mp4'))]);
    expect(out).toEqual(src);
  }, 200_000);

  it('segments a reencode_streaming job too: its own H.264 arguments per chunk, cuts at a stored scene cut, its step checks and publishes the join, frame times as unsegmented', async () => {
    const params = { videoId: ids['long.mp4'], crf: 0, preset: 'ultrafast', targetBitrate: 100_000 };
    // a scene cut 3.1 s after the plan's 40 s (window ±5 s): the cut moves to its keyframe (44 s, keyframes every 2 s); one 7 s off is passed over
    const scene = (index: number, startSeconds: number, endSeconds: number) => ({ index, startSeconds, endSeconds, score: index === 0 ? 0 : 0.6, motion: null, keyframePath: null, clipPath: null });
    await t.analysis!.replaceScenes(ids['long.mp4']!, 'scene-job', [scene(0, 0, 13), scene(1, 13, 43.1), scene(2, 43.1, 100)], Date.now());
    const seg = await t.runJob('reencode_streaming', { ...params, segments: { seconds: 20 }, outputPath: 'playback/seg.mp4' }, 180_000);
    await t.analysis!.replaceScenes(ids['long.mp4']!, 'scene-job', [], Date.now());
    expect(seg.status, seg.log).toBe('completed');
    expect(seg.log).toMatch(/Segment mode: 5 chunks of about 20 s/);
    expect(seg.log).toMatch(/2 scene cut\(s\) of the analysis considered/);
    const parts = await childrenOf(seg.id);
    const starts = parts.filter((p) => p.type === 'encode_chunk').map((p) => (p.params as { startSeconds: number }).startSeconds).sort((a, b) => a - b);
    expect(starts.map((x) => Math.round(x * 100) / 100)).toEqual([0, 20, 44, 60, 80]);
    expect(parts.map((p) => p.type).sort()).toEqual(['encode_audio', 'encode_chunk', 'encode_chunk', 'encode_chunk', 'encode_chunk', 'encode_chunk']);
    expect(parts.find((p) => p.type === 'encode_chunk')!.log).toMatch(/-maxrate 100000k/);
    const one = await t.runJob('reencode_streaming', { ...params, segments: 'off', outputPath: 'playback/one.mp4' }, 180_000);
    expect(one.status, one.log).toBe('completed');
    // re-encode's H.264 profile is not lossless: the frames are the source's frames when they are as many, at the same times
    const [segTimes, oneTimes] = await Promise.all([videoFrameTimes(join(dir, 'library', 'playback', 'seg.mp4')), videoFrameTimes(join(dir, 'library', 'playback', 'one.mp4'))]);
    expect(segTimes).toHaveLength(2500);
    expect(Math.max(...segTimes.map((t, i) => Math.abs(t - oneTimes[i]!)))).toBeLessThan(0.001);
    const [segFacts, oneFacts] = await Promise.all([streamFacts(join(dir, 'library', 'playback', 'seg.mp4')), streamFacts(join(dir, 'library', 'playback', 'one.mp4'))]);
    expect(segFacts.layout).toEqual(oneFacts.layout);
    expect(Math.abs(segFacts.durationSeconds - oneFacts.durationSeconds)).toBeLessThanOrEqual(0.04);
  }, 300_000);
});
