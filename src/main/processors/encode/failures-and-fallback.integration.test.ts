/**
 * Failure clarity and hardware fall-back with real ffmpeg: a missing input, a corrupt file and an
 * unsupported codec fail at once with a one-line reason; a hardware encoder that fails at run time
 * (NVENC on this machine without a GPU) falls back to libx264 and the log says why.
 */
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../media/testing/clips';
import { processorFixture, recordingContext, type ProcessorFixture } from '../library/testing';
import { discoverMediaTools } from '../media/tool-discovery';
import type { MediaDeps } from '../steps/media-deps';
import { JobError } from '../processor';
import { reencodeStreamingProcessor } from './reencode-streaming';

let f: ProcessorFixture;
let deps: MediaDeps;

async function addVideo(name: string) {
  const [v] = await f.stores.videos.addVideos([{ id: randomUUID(), path: `videos/${name}`, directoryType: 'videos', sizeBytes: null, mtimeMs: null, at: Date.now() }]);
  return v!;
}

beforeAll(async () => {
  f = processorFixture();
  const tools = await discoverMediaTools();
  // the start-up probe would never pick NVENC here; pretend it did, to exercise the run-time fall-back
  deps = { videos: f.stores.videos, library: f.library, tools, toolsError: null, encoders: { available: ['h264_nvenc', 'libx264'], failed: [], preferred: 'h264_nvenc' } };
  await makeClip(join(f.library.root, 'videos'), 'ok.mp4', { width: 160, height: 120, seconds: 1 });
});
afterAll(async () => f.dispose());

async function failureOf(run: Promise<unknown>): Promise<JobError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof JobError) return error;
    throw error;
  }
  throw new Error('expected the job to fail');
}

describe('failure clarity', () => {
  it('falls back to libx264 when the hardware encoder fails at run time, and says why', async () => {
    const video = await addVideo('ok.mp4');
    const ctx = await f.runningContext('reencode_streaming', { videoId: video.id, targetBitrate: 500, preset: 'ultrafast', crf: 30 });
    await reencodeStreamingProcessor(deps).run(ctx);
    const log = ctx.logs.join('\n');
    expect(log).toMatch(/Encoder: h264_nvenc \(hardware\); steps: full GPU \(NVDEC \+ scale_cuda \+ h264_nvenc\) → decode on CPU \+ h264_nvenc → software \(libx264\)/);
    expect(log).toMatch(/Fall-back 1: full GPU \(NVDEC \+ scale_cuda \+ h264_nvenc\) failed \(.+\); trying decode on CPU \+ h264_nvenc/);
    expect(log).toMatch(/Fall-back 2: decode on CPU \+ h264_nvenc failed \(.+\); trying software \(libx264\)/);
    expect(log).toMatch(/-c:v libx264/);
    expect(log).toMatch(/Re-encode completed successfully/);
  });

  it('refuses an output path that leaves the library through a symbolic link', async () => {
    const { mkdirSync, symlinkSync } = await import('node:fs');
    const outside = join(f.dir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(f.library.root, 'playback', 'escape'));
    const video = (await f.stores.videos.getVideoByPath('videos/ok.mp4')) ?? (await addVideo('ok.mp4'));
    const run = reencodeStreamingProcessor(deps).run(recordingContext('reencode_streaming', { videoId: video.id, targetBitrate: 500, preset: 'ultrafast', crf: 30, outputPath: 'playback/escape/x.mp4' }));
    await expect(run).rejects.toThrow('The path "playback/escape/x.mp4" is outside the library.');
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a missing input fails at once, not retryable', async () => {
    await makeClip(join(f.library.root, 'videos'), 'gone.mp4', { seconds: 1 });
    const video = await addVideo('gone.mp4');
    rmSync(join(f.library.root, 'videos', 'gone.mp4'));
    const error = await failureOf(reencodeStreamingProcessor(deps).run(recordingContext('reencode_streaming', { videoId: video.id, targetBitrate: 500, preset: 'ultrafast', crf: 30 })));
    expect(error).toMatchObject({ retryable: false, message: 'Input file is missing: videos/gone.mp4' });
  });

  it('a corrupt file fails at once with its reason on one line, not retryable', async () => {
    writeFileSync(join(f.library.root, 'videos', 'corrupt.mp4'), Buffer.alloc(2048, 3));
    const video = await addVideo('corrupt.mp4');
    const error = await failureOf(reencodeStreamingProcessor(deps).run(recordingContext('reencode_streaming', { videoId: video.id, targetBitrate: 500, preset: 'ultrafast', crf: 30 })));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^Input video videos\/corrupt\.mp4 is invalid: corrupt: /);
    expect(error.message).not.toContain('\n');
  });

  it('an input whose codec cannot be decoded fails at once as unsupported', async () => {
    // a valid container whose video stream's codec tag lies: ffprobe reads it, ffmpeg cannot decode it
    const { execFileSync } = await import('node:child_process');
    const out = join(f.library.root, 'videos', 'weird.mkv');
    execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5', '-t', '1', '-c:v', 'rawvideo', '-pix_fmt', 'yuv420p', '-f', 'matroska', out]);
    // overwrite the CodecID so the demuxer reports a codec ffmpeg 5.1 has no decoder for
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(out);
    const at = bytes.indexOf('V_UNCOMPRESSED');
    if (at < 0) throw new Error('test clip has no V_UNCOMPRESSED codec id');
    bytes.write('V_QUICKTIME\0\0\0', at, 'latin1');
    writeFileSync(out, bytes);
    const video = await addVideo('weird.mkv');
    const error = await failureOf(reencodeStreamingProcessor({ ...deps, encoders: { available: ['libx264'], failed: [], preferred: 'libx264' } }).run(recordingContext('reencode_streaming', { videoId: video.id, targetBitrate: 500, preset: 'ultrafast', crf: 30 })));
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(/^Unsupported codec: .*unknown codec$/);
  });
});
