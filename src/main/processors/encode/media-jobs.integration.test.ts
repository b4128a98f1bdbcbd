/**
 * Every encode and compile job type end to end through the runtime with real ffmpeg on clips made
 * at test time (different sizes, frame rates, orientations, one without audio); outputs are
 * checked with ffprobe for codec, size and duration.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, probeJson } from '../media/testing/clips';
import { startMediaRuntime, type MediaRuntime } from '../testing/media-runtime';

let m: MediaRuntime;
const ids: Record<string, string> = {};

beforeAll(async () => {
  m = await startMediaRuntime({ limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } });
  const videos = join(m.root, 'videos');
  await makeClip(videos, 'wide.mp4', { width: 320, height: 180, fps: 25, seconds: 2 });
  await makeClip(videos, 'tall.mp4', { width: 180, height: 320, fps: 30, seconds: 2 });
  await makeClip(videos, 'silent.mp4', { width: 256, height: 256, fps: 24, seconds: 2, audio: false });
  await makeClip(videos, 'small.mp4', { width: 160, height: 120, fps: 15, seconds: 3 });
  const scan = await m.runJob('scan', { directoryType: 'videos' });
  expect(scan.status).toBe('completed');
  for (const v of (await m.embedded.runtime.execute('listVideos', { limit: 50 })).data) ids[v.filename] = v.id;
}, 60_000);
afterAll(async () => m.dispose());

const outputOf = async (jobId: string) => {
  const list = await m.embedded.runtime.execute('listVideos', { limit: 100 });
  return list.data.find((v) => v.sourceJobId === jobId);
};

describe('encode and compile jobs with real ffmpeg', () => {
  it('reencode_streaming: H.264 + AAC with faststart into playback/, recorded on both videos', async () => {
    const job = await m.runJob('reencode_streaming', { videoId: ids['wide.mp4'], targetBitrate: 800, preset: 'ultrafast', crf: 28 });
    expect(job.status, job.log).toBe('completed');
    expect(job.progress).toBe(100);
    expect(job.log).toMatch(/FFmpeg command: ffmpeg .*-c:v libx264/);
    expect(job.log).toMatch(/Encoder: libx264 \(software\)/);
    expect(job.log).toMatch(/Progress: \d+%/);
    const out = await outputOf(job.id);
    expect(out).toMatchObject({ path: 'playback/wide.mp4', directoryType: 'playback', valid: true, videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 180 });
    expect(out!.durationSeconds).toBeCloseTo(2, 0);
    expect((await m.embedded.runtime.execute('getVideo', { id: ids['wide.mp4']! })).reencodeJobId).toBe(job.id);
    // faststart: the moov atom comes before mdat
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(join(m.root, 'playback', 'wide.mp4'));
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    expect(readdirSync(join(m.root, 'playback')).filter((f) => f.includes('.partial.'))).toEqual([]);
  });

  it('thumbnail_generate: a 640-wide JPEG at 25 % by default, recorded on the video', async () => {
    const job = await m.runJob('thumbnail_generate', { videoId: ids['tall.mp4'] });
    expect(job.status, job.log).toBe('completed');
    expect(job.log).toMatch(/at 0\.50 s, width 640/);
    const video = await m.embedded.runtime.execute('getVideo', { id: ids['tall.mp4']! });
    // the scan already made one (thumbnails during scan, on by default): the new one is published
    // under a free name beside it, then the old one is removed
    expect(video.thumbnailPath).toMatch(/^thumbnails\/tall-[0-9a-f]{8}( \(\d+\))?\.jpg$/);
    expect(job.log).toMatch(/Replaced the previous thumbnail thumbnails\/tall-[0-9a-f]{8}\.jpg/);
    expect(readdirSync(join(m.root, 'thumbnails')).filter((f) => f.startsWith('tall-'))).toEqual([basename(video.thumbnailPath!)]);
    const probe = await probeJson(join(m.root, video.thumbnailPath!));
    expect(probe.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 640 });
    const thumb = await m.embedded.runtime.execute('getVideoThumbnail', { id: ids['tall.mp4']! });
    expect(thumb.dataUrl).toMatch(/^data:image\/jpeg;base64,\/9j\//);
  });

  it('compile_gif: a GIF of the requested part with a generated palette', async () => {
    const job = await m.runJob('compile_gif', { videoId: ids['wide.mp4'], start: 0.5, duration: 1, fps: 10, width: 160 });
    expect(job.status, job.log).toBe('completed');
    expect(job.log).toMatch(/palettegen/);
    const probe = await probeJson(join(m.root, 'gifs', 'wide-0.5s.gif'));
    expect(probe.streams[0]).toMatchObject({ codec_name: 'gif', width: 160 });
    expect(Number(probe.format.duration)).toBeCloseTo(1, 0);
  });

  it('compile_quad: four inputs of different sizes, rates and audio in a 2×2 grid', async () => {
    const job = await m.runJob('compile_quad', { videoIds: [ids['wide.mp4'], ids['tall.mp4'], ids['silent.mp4'], ids['small.mp4']] }, 90_000);
    expect(job.status, job.log).toBe('completed');
    expect(job.log).toMatch(/xstack=inputs=4/);
    const out = await outputOf(job.id);
    expect(out).toMatchObject({ directoryType: 'compilations', valid: true, width: 1280, height: 720, videoCodec: 'h264', audioCodec: 'aac' });
    expect(out!.durationSeconds).toBeCloseTo(2, 0);
  });

  it('compile_mega: a grid and a concatenation (silence where an input has none)', async () => {
    const four = [ids['wide.mp4'], ids['tall.mp4'], ids['silent.mp4'], ids['small.mp4']];
    const grid = await m.runJob('compile_mega', { videoIds: four.slice(0, 3), layout: 'grid' }, 90_000);
    expect(grid.status, grid.log).toBe('completed');
    expect(await outputOf(grid.id)).toMatchObject({ valid: true, width: 1920, videoCodec: 'h264' });
    const concat = await m.runJob('compile_mega', { videoIds: [ids['silent.mp4'], ids['small.mp4']], layout: 'concat' }, 90_000);
    expect(concat.status, concat.log).toBe('completed');
    const out = await outputOf(concat.id);
    expect(out).toMatchObject({ valid: true, width: 1280, height: 720, hasAudio: true });
    expect(out!.durationSeconds).toBeGreaterThan(4.5);
    expect(out!.durationSeconds).toBeLessThan(5.5);
  });

  it('compile_random: the same seed picks the same videos; criteria are applied', async () => {
    const a = await m.runJob('compile_random', { count: 2, orientation: 'landscape', maxDuration: 2.5, seed: 42 }, 90_000);
    const b = await m.runJob('compile_random', { count: 2, orientation: 'landscape', maxDuration: 2.5, seed: 42 }, 90_000);
    expect(a.status, a.log).toBe('completed');
    expect(b.status).toBe('completed');
    const chosen = (log: string) => /Compiling 2 video\(s\): (.*) →/.exec(log)![1];
    expect(chosen(a.log)).toBe(chosen(b.log));
    expect(chosen(a.log)).not.toMatch(/tall|silent|small/);
    const none = await m.runJob('compile_random', { count: 3, orientation: 'square', minDuration: 100 });
    expect(none).toMatchObject({ status: 'failed', retryCount: 0 });
    expect(none.lastError).toMatch(/No valid videos match/);
  });

  it('cancel in the middle of an encode stops ffmpeg and leaves no partial or final file', async () => {
    await makeClip(join(m.root, 'videos'), 'long.mp4', { width: 640, height: 360, fps: 25, seconds: 30 });
    await m.runJob('scan', { directoryType: 'videos' });
    const long = (await m.embedded.runtime.execute('listVideos', { search: 'long' })).data[0]!;
    const { runtime } = m.embedded;
    const { id } = await runtime.execute('createJob', { type: 'reencode_streaming', params: { videoId: long.id, preset: 'veryslow', crf: 18 } });
    const { waitFor } = await import('../../runtime/testing/test-runtime');
    await waitFor(async () => (await runtime.execute('getJob', { id })).progress > 0, 30_000, 'encode progress');
    const consoleView = await runtime.execute('getJobConsole', { id });
    expect(consoleView.running).toBe(true);
    expect(consoleView.lines.join('\n')).toMatch(/Stream mapping|Output #0/);
    // ffmpeg's live stats line (redrawn with \r) shows in the console
    await waitFor(async () => /frame=\s*\d+.*speed=/.test((await runtime.execute('getJobConsole', { id })).lines.join('\n')), 10_000, 'stats line');
    await runtime.execute('cancelJob', { id });
    await waitFor(() => !readdirSync(join(m.root, 'playback')).some((f) => f.startsWith('long')), 10_000, 'partial removed');
    await new Promise((r) => setTimeout(r, 500));
    expect(readdirSync(join(m.root, 'playback')).filter((f) => f.startsWith('long'))).toEqual([]);
    expect((await runtime.execute('getJob', { id })).status).toBe('cancelled');
    expect(existsSync(join(m.root, 'playback', 'long.mp4'))).toBe(false);
  }, 60_000);
});
