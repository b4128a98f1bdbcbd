/**
 * The analysis job types end to end through the runtime with real ffmpeg on clips of known
 * content made at test time: cuts between different lavfi sources at known times, a quiet then a
 * loud half, keyframes every second. Outputs are checked with ffprobe and a full decode.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationName } from '../../../shared/contracts/operations';
import { probeJson } from '../media/testing/clips';
import { startMediaRuntime, type MediaRuntime } from '../testing/media-runtime';
import { cutTimes, makeCutClip, playsCleanly, type PictureSegment } from './testing/analysis-clips';

let m: MediaRuntime;
const ids: Record<string, string> = {};
const FRAME = 1 / 25;
const CUTS: PictureSegment[] = [
  { source: 'testsrc2', seconds: 2 },
  { source: 'smptebars', seconds: 2 },
  { source: 'mandelbrot', seconds: 2 },
];
const NOISE_CUTS: PictureSegment[] = [
  { source: 'testsrc2', seconds: 3 },
  { source: 'noise', seconds: 2 },
  { source: 'rgbtestsrc', seconds: 1.6 },
];

beforeAll(async () => {
  m = await startMediaRuntime({ limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } });
  const videos = join(m.root, 'videos');
  await Promise.all([
    makeCutClip(videos, 'cuts.mp4', { pictures: CUTS }),
    makeCutClip(videos, 'noise-cuts.mp4', { pictures: NOISE_CUTS, fps: 30, sound: [] }),
    makeCutClip(videos, 'moving.mp4', { pictures: [{ source: 'testsrc2', seconds: 8 }] }),
    makeCutClip(videos, 'quiet-loud.mp4', { pictures: [{ source: 'testsrc2', seconds: 10 }], sound: [{ seconds: 5, volume: 0.01 }, { seconds: 5, volume: 0.8 }] }),
    makeCutClip(videos, 'gop.mp4', { pictures: [{ source: 'testsrc2', seconds: 6 }], keyframeEvery: 1 }),
  ]);
  const scan = await m.runJob('scan', { directoryType: 'videos' });
  expect(scan.status).toBe('completed');
  for (const v of (await m.embedded.runtime.execute('listVideos', { limit: 50 })).data) ids[v.filename] = v.id;
}, 90_000);
afterAll(async () => m.dispose());

// results are checked field by field; `any` keeps the assertions short
const execute = (name: OperationName, input: Record<string, unknown>): Promise<any> => m.embedded.runtime.execute(name, input);
const outputOf = async (jobId: string): Promise<any[]> => (await execute('listVideos', { limit: 100 })).data.filter((v: { sourceJobId: string }) => v.sourceJobId === jobId);

describe('scene_extract', () => {
  it('finds each cut between different sources within 2 frames, with a keyframe image per scene', async () => {
    const job = await m.runJob('scene_extract', { videoId: ids['cuts.mp4'] });
    expect(job.status, job.log).toBe('completed');
    expect(job.progress).toBe(100);
    expect(job.log).toMatch(/FFmpeg command: ffmpeg .*-hwaccel auto .*scdet/);
    expect(job.log).toMatch(/Analysed 150 frames .*x real time/);
    expect(job.log).toMatch(/Wrote 3 scene image\(s\) .*\(3 from the analysis pass, 0 by seeking\)/);
    const { scenes, jobId } = await execute('listScenes', { id: ids['cuts.mp4'] });
    expect(jobId).toBe(job.id);
    expect(await execute('listScenes', { id: ids['gop.mp4'] })).toEqual({ videoId: ids['gop.mp4'], jobId: null, analysedAt: null, scenes: [] });
    expect(scenes).toHaveLength(3);
    cutTimes(CUTS).forEach((cut, i) => {
      expect(Math.abs(scenes[i + 1].startSeconds - cut)).toBeLessThanOrEqual(2 * FRAME + 1e-6);
      expect(scenes[i + 1].score).toBeGreaterThan(0.3);
    });
    expect(scenes[0].startSeconds).toBe(0);
    expect(scenes[2].endSeconds).toBeCloseTo(6, 1);
    for (const s of scenes) {
      expect(s.keyframePath).toMatch(new RegExp(`^thumbnails/scenes/${ids['cuts.mp4']}/scene-00\\d\\.jpg$`));
      expect((await probeJson(join(m.root, s.keyframePath))).streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 320 });
    }
  });

  it('fires on a cut into and out of noise but never inside continuous movement (30 fps, no audio)', async () => {
    const job = await m.runJob('scene_extract', { videoId: ids['noise-cuts.mp4'], threshold: 0.3, minSceneLength: 0.5 });
    expect(job.status, job.log).toBe('completed');
    const { scenes } = await execute('listScenes', { id: ids['noise-cuts.mp4'] });
    expect(scenes.map((s: { startSeconds: number }) => s.startSeconds)).toEqual([0, ...cutTimes(NOISE_CUTS).map((t) => expect.closeTo(t, 1))]);
    cutTimes(NOISE_CUTS).forEach((cut, i) => expect(Math.abs(scenes[i + 1].startSeconds - cut)).toBeLessThanOrEqual(2 / 30 + 1e-6));
    const moving = await m.runJob('scene_extract', { videoId: ids['moving.mp4'], threshold: 0.1, minSceneLength: 0 });
    expect(moving.status, moving.log).toBe('completed');
    expect(moving.log).toMatch(/Found 1 scene\(s\); no cut/);
  });

  it('extracts each scene as its own playable clip under playback/clips/', async () => {
    const job = await m.runJob('scene_extract', { videoId: ids['cuts.mp4'], extractClips: true }, 60_000);
    expect(job.status, job.log).toBe('completed');
    const { scenes } = await execute('listScenes', { id: ids['cuts.mp4'] });
    expect(scenes).toHaveLength(3);
    const clips = await outputOf(job.id);
    expect(clips).toHaveLength(3);
    for (const s of scenes) {
      expect(s.clipPath).toMatch(/^playback\/clips\/cuts-[0-9a-f]{8}\/cuts-scene-00\d\.mp4$/);
      expect(await playsCleanly(join(m.root, s.clipPath))).toBe(true);
      const clip = clips.find((c) => c.path === s.clipPath);
      expect(clip).toMatchObject({ directoryType: 'playback', valid: true });
      expect(Math.abs(clip.durationSeconds - (s.endSeconds - s.startSeconds))).toBeLessThan(0.15);
    }
  });
});

describe('digest_generate, clip_generate, highlight_generate', () => {
  let digestJobId = '';

  it('digest: a playable H.264/AAC video of the target length from the loud half', async () => {
    const job = await m.runJob('digest_generate', { videoId: ids['quiet-loud.mp4'], targetLength: 3 }, 60_000);
    expect(job.status, job.log).toBe('completed');
    digestJobId = job.id;
    expect(job.log).toMatch(/ebur128/);
    expect(job.log).toMatch(/concat=n=/);
    const [out] = await outputOf(job.id);
    expect(out).toMatchObject({ directoryType: 'compilations', valid: true, videoCodec: 'h264', audioCodec: 'aac' });
    expect(out.path).toMatch(/^compilations\/quiet-loud-digest-[0-9a-f]{8}\.mp4$/);
    expect(Math.abs(out.durationSeconds - 3)).toBeLessThanOrEqual(0.5);
    expect(await playsCleanly(join(m.root, out.path))).toBe(true);
    const stored = await execute('getJobSegments', { id: job.id });
    expect(stored).toMatchObject({ kind: 'digest', videoId: ids['quiet-loud.mp4'] });
    for (const s of stored.segments) {
      expect(s.startSeconds).toBeGreaterThanOrEqual(5 - 1e-6); // the loud half
      expect(s.outputVideoId).toBe(out.id);
    }
    expect(stored.segments.reduce((t: number, s: { startSeconds: number; endSeconds: number }) => t + s.endSeconds - s.startSeconds, 0)).toBeCloseTo(3, 1);
  });

  it('digest of a video with cuts: segments in time order, the requested length', async () => {
    const job = await m.runJob('digest_generate', { videoId: ids['cuts.mp4'], targetLength: 4.5, includeHighlights: false }, 60_000);
    expect(job.status, job.log).toBe('completed');
    const [out] = await outputOf(job.id);
    expect(Math.abs(out.durationSeconds - 4.5)).toBeLessThanOrEqual(0.5);
    const { segments } = await execute('getJobSegments', { id: job.id });
    for (let i = 1; i < segments.length; i++) expect(segments[i].startSeconds).toBeGreaterThanOrEqual(segments[i - 1].endSeconds);
  });

  it('digest of a video without sound: motion alone, a video-only H.264 file', async () => {
    const job = await m.runJob('digest_generate', { videoId: ids['noise-cuts.mp4'], targetLength: 3 }, 60_000);
    expect(job.status, job.log).toBe('completed');
    expect(job.log).toMatch(/on motion \(no audio\)/);
    const [out] = await outputOf(job.id);
    expect(out).toMatchObject({ valid: true, videoCodec: 'h264', hasAudio: false });
    expect(Math.abs(out.durationSeconds - 3)).toBeLessThanOrEqual(0.5);
    expect(await playsCleanly(join(m.root, out.path))).toBe(true);
  });

  it("clip_generate: a digest's segments as separate playable clips", async () => {
    const job = await m.runJob('clip_generate', { videoId: ids['quiet-loud.mp4'], digestJobId }, 60_000);
    expect(job.status, job.log).toBe('completed');
    const digest = await execute('getJobSegments', { id: digestJobId });
    const clips = await outputOf(job.id);
    expect(clips).toHaveLength(digest.segments.length);
    for (const c of clips) {
      expect(existsSync(join(m.root, c.path))).toBe(true);
      expect(await playsCleanly(join(m.root, c.path))).toBe(true);
    }
    expect((await execute('getJobSegments', { id: job.id })).kind).toBe('clip');
  });

  it('clip_generate: stream copy on keyframes, re-encode elsewhere', async () => {
    const job = await m.runJob('clip_generate', { videoId: ids['gop.mp4'], ranges: [{ start: 1, end: 3 }, { start: 3.5, end: 4.5 }, { start: 5, end: 6 }] }, 60_000);
    expect(job.status, job.log).toBe('completed');
    expect(job.log).toMatch(/Clip 1\/3 1\.00–3\.00 s: stream copy \(keyframes at both ends\)/);
    expect(job.log).toMatch(/Clip 2\/3 3\.50–4\.50 s: re-encode \(start 3\.50 s is not on a keyframe\)/);
    expect(job.log).toMatch(/Clip 3\/3 5\.00–6\.00 s: stream copy \(starts on a keyframe and runs to the end\)/);
    const clips = (await outputOf(job.id)).sort((a, b) => a.path.localeCompare(b.path));
    expect(clips.map((c) => Math.round(c.durationSeconds * 10) / 10)).toEqual([2, 1, 1]);
    for (const c of clips) {
      expect(await playsCleanly(join(m.root, c.path))).toBe(true);
      const probe = await probeJson(join(m.root, c.path));
      expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    }
    // the copied 2-s clip holds exactly the 50 frames of 1.0–3.0 s
    const copied = await probeJson(join(m.root, clips[0].path));
    expect(Number(copied.streams.find((s) => s.codec_type === 'video')!.nb_frames)).toBe(50);
  });

  it('highlight_generate: count moments of equal length totalling the target', async () => {
    const job = await m.runJob('highlight_generate', { videoId: ids['quiet-loud.mp4'], targetLength: 4, count: 2 }, 60_000);
    expect(job.status, job.log).toBe('completed');
    const [out] = await outputOf(job.id);
    expect(out.path).toMatch(/^compilations\/quiet-loud-highlights-/);
    expect(Math.abs(out.durationSeconds - 4)).toBeLessThanOrEqual(0.5);
    expect(await playsCleanly(join(m.root, out.path))).toBe(true);
    const { segments, kind } = await execute('getJobSegments', { id: job.id });
    expect(kind).toBe('highlight');
    expect(segments).toHaveLength(2);
    for (const s of segments) {
      expect(s.endSeconds - s.startSeconds).toBeCloseTo(2, 6);
      expect(s.startSeconds).toBeGreaterThanOrEqual(4.5); // moments are from the loud half
    }
  });

  it('cancel during the analysis stops ffmpeg and leaves no output', async () => {
    await makeCutClip(join(m.root, 'videos'), 'long.mp4', { pictures: [{ source: 'testsrc2', seconds: 40 }], width: 640, height: 360, preset: 'ultrafast' });
    await m.runJob('scan', { directoryType: 'videos' });
    const long = (await execute('listVideos', { search: 'long' })).data[0];
    const { id } = await execute('createJob', { type: 'digest_generate', params: { videoId: long.id, targetLength: 5 } });
    const { waitFor } = await import('../../runtime/testing/test-runtime');
    await waitFor(async () => (await execute('getJob', { id })).progress > 0, 30_000, 'analysis progress');
    expect((await execute('getJobConsole', { id })).running).toBe(true);
    await execute('cancelJob', { id });
    await waitFor(async () => (await execute('getJob', { id })).status === 'cancelled', 10_000, 'cancelled');
    expect(readdirSync(join(m.root, 'compilations')).filter((f) => f.startsWith('long'))).toEqual([]);
    expect((await execute('getJob', { id })).log).toMatch(/FFmpeg command: .*ebur128/);
  }, 60_000);

  it('fails at once, with the reason, when there is nothing to clip', async () => {
    const none = await m.runJob('clip_generate', { videoId: ids['gop.mp4'], digestJobId: '00000000-0000-4000-8000-000000000000' });
    expect(none).toMatchObject({ status: 'failed', retryCount: 0 });
    expect(none.lastError).toMatch(/has no stored segments/);
    const other = await m.runJob('clip_generate', { videoId: ids['gop.mp4'], digestJobId });
    expect(other.lastError).toMatch(/chose segments of another video/);
    const empty = await m.runJob('clip_generate', { videoId: ids['gop.mp4'] });
    expect(empty.lastError).toMatch(/needs digestJobId .* or ranges/);
    await expect(execute('getJobSegments', { id: empty.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(readdirSync(join(m.root, 'compilations')).filter((f) => f.includes('.partial.'))).toEqual([]);
  });
});
