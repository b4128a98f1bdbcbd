import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaProbeError, classifyProbeFailure, orientationOf, parseProbeOutput, parseRatio } from './ffprobe-parse';
import { ffprobeArgs, probeMedia } from './ffprobe';
import { TEST_FFMPEG, TEST_FFPROBE, makeClip, makeTempDir } from './testing/clips';

const video = (over: Record<string, unknown> = {}) => ({
  codec_type: 'video',
  codec_name: 'h264',
  width: 1920,
  height: 1080,
  sample_aspect_ratio: '1:1',
  avg_frame_rate: '30000/1001',
  r_frame_rate: '30000/1001',
  ...over,
});
const format = { duration: '12.5', size: '1000000', bit_rate: '640000', format_name: 'mov,mp4,m4a,3gp,3g2,mj2' };

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof MediaProbeError ? error.reason : 'other';
  }
  return undefined;
}

describe('parseProbeOutput (fixture JSON)', () => {
  it('reads the facts of a landscape clip with audio', () => {
    const info = parseProbeOutput('/v/a.mp4', { streams: [video(), { codec_type: 'audio', codec_name: 'aac' }], format });
    expect(info).toEqual({
      durationSeconds: 12.5,
      width: 1920,
      height: 1080,
      displayWidth: 1920,
      displayHeight: 1080,
      rotation: 0,
      fps: 29.97,
      videoCodec: 'h264',
      audioCodec: 'aac',
      hasAudio: true,
      bitrate: 640000,
      sizeBytes: 1000000,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      orientation: 'landscape',
    });
  });

  it('respects rotation side data (ffmpeg ≥ 5) and the rotate tag (older builds)', () => {
    const side = parseProbeOutput('x', { streams: [video({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] })], format });
    expect(side).toMatchObject({ rotation: 270, displayWidth: 1080, displayHeight: 1920, orientation: 'portrait' });
    const tag = parseProbeOutput('x', { streams: [video({ tags: { rotate: '90' } })], format });
    expect(tag).toMatchObject({ rotation: 90, orientation: 'portrait' });
    const flipped = parseProbeOutput('x', { streams: [video({ tags: { rotate: '180' } })], format });
    expect(flipped).toMatchObject({ rotation: 180, orientation: 'landscape' });
  });

  it('stretches non-square pixels, finds squares, falls back to r_frame_rate and stream durations', () => {
    const anamorphic = parseProbeOutput('x', { streams: [video({ width: 720, height: 576, sample_aspect_ratio: '64:45' })], format });
    expect(anamorphic).toMatchObject({ displayWidth: 1024, orientation: 'landscape' });
    const square = parseProbeOutput('x', {
      streams: [video({ width: 1080, height: 1080, avg_frame_rate: '0/0', r_frame_rate: '25/1', tags: { DURATION: '00:01:02.500000000' } })],
      format: {},
    });
    expect(square).toMatchObject({ orientation: 'square', fps: 25, durationSeconds: 62.5, hasAudio: false, audioCodec: null, bitrate: null });
  });

  it('classifies what is not a usable video', () => {
    expect(reason(() => parseProbeOutput('x', '{ not json'))).toBe('corrupt');
    expect(reason(() => parseProbeOutput('x', '{}'))).toBe('corrupt');
    expect(reason(() => parseProbeOutput('x', { streams: [{ codec_type: 'audio', codec_name: 'mp3' }], format }))).toBe('no-video-stream');
    const coverArt = { streams: [{ codec_type: 'audio' }, video({ codec_name: 'mjpeg', disposition: { attached_pic: 1 } })], format };
    expect(reason(() => parseProbeOutput('x', coverArt))).toBe('no-video-stream');
    expect(reason(() => parseProbeOutput('x', { streams: [video({ width: 0, height: 0 })], format }))).toBe('corrupt');
  });

  it('classifies ffprobe failures from its error output', () => {
    expect(classifyProbeFailure('/v/a.mp4', '/v/a.mp4: No such file or directory').reason).toBe('missing');
    expect(classifyProbeFailure('/v/a.mp4', '/v/a.mp4: Permission denied').reason).toBe('unreadable');
    const corrupt = classifyProbeFailure('/v/a.mp4', '[mov @ 0x1] moov atom not found\n/v/a.mp4: Invalid data found when processing input');
    expect(corrupt.reason).toBe('corrupt');
    expect(corrupt.message).toBe('/v/a.mp4: Invalid data found when processing input');
    expect(corrupt.retryable).toBe(false);
  });

  it('helpers', () => {
    expect(parseRatio('30000/1001')).toBeCloseTo(29.97, 2);
    expect(parseRatio('0/0')).toBeNull();
    expect(parseRatio(undefined)).toBeNull();
    expect(orientationOf(100, 100)).toBe('square');
    expect(ffprobeArgs('/v/-odd:name.mp4').at(-1)).toBe('/v/-odd:name.mp4');
  });
});

describe('probeMedia (real ffprobe)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir('ffprobe-test'));
  });
  afterAll(() => cleanup());
  const probe = (path: string) => probeMedia(path, { ffprobePath: TEST_FFPROBE });
  const failure = (path: string) => probe(path).then(() => 'ok', (e: unknown) => (e instanceof MediaProbeError ? e.reason : String(e)));

  it('probes a generated clip, and a rotated one as portrait', async () => {
    const [plain, rotated, silent] = await Promise.all([
      makeClip(dir, 'plain.mp4'),
      makeClip(dir, 'rotated.mp4', { width: 320, height: 180, rotate: 90 }),
      makeClip(dir, 'silent.mp4', { audio: false, fps: 30 }),
    ]);
    const info = await probe(plain);
    expect(info).toMatchObject({ width: 320, height: 240, fps: 25, videoCodec: 'h264', audioCodec: 'aac', hasAudio: true, orientation: 'landscape' });
    expect(info.durationSeconds).toBeCloseTo(2, 1);
    expect(info.sizeBytes).toBeGreaterThan(0);
    expect(await probe(rotated)).toMatchObject({ width: 320, height: 180, orientation: 'portrait', displayWidth: 180 });
    expect(await probe(silent)).toMatchObject({ hasAudio: false, audioCodec: null, fps: 30 });
  });

  it('classifies missing, unreadable, empty, junk and audio-only files', async () => {
    await writeFile(join(dir, 'junk.mp4'), Buffer.alloc(4096, 7));
    await writeFile(join(dir, 'empty.mp4'), '');
    await writeFile(join(dir, 'locked.mp4'), 'x');
    await chmod(join(dir, 'locked.mp4'), 0o000);
    await mkdir(join(dir, 'folder.mp4'));
    expect(await failure(join(dir, 'nope.mp4'))).toBe('missing');
    expect(await failure(join(dir, 'junk.mp4'))).toBe('corrupt');
    expect(await failure(join(dir, 'empty.mp4'))).toBe('corrupt');
    expect(await failure(join(dir, 'folder.mp4'))).toBe('unreadable');
    // root reads anything: only check the permission case as a normal user
    if (process.getuid?.() !== 0) expect(await failure(join(dir, 'locked.mp4'))).toBe('unreadable');
    const { execFile } = await import('node:child_process');
    await new Promise((done) => execFile(TEST_FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'sine', '-t', '0.5', join(dir, 'tone.m4a')], done));
    expect(await failure(join(dir, 'tone.m4a'))).toBe('no-video-stream');
  });
});
