/**
 * Integration: the builders, runner, progress and staged outputs together, encoding with the real
 * ffmpeg on tiny lavfi clips generated into a temp dir.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConcatArgs, buildGridArgs, buildQuadArgs, concatDurationSeconds, type CompilationInput } from './compilation-args';
import { buildGifArgs, buildReencodeArgs, buildThumbnailArgs } from './ffmpeg-args';
import { startFfmpeg, type FfmpegProgressUpdate, type StartFfmpegOptions } from './ffmpeg-run';
import { stageOutput } from './staged-output';
import { TEST_FFMPEG, makeClip, makeTempDir, probeJson, type ProbedJson } from './testing/clips';

let dir: string;
let cleanup: () => Promise<void>;
const clips: Record<'a' | 'b' | 'c' | 'd', CompilationInput> = {} as never;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('ffmpeg-encode-test'));
  const [a, b, c, d] = await Promise.all([
    makeClip(dir, 'a.mp4', { width: 320, height: 240, fps: 25, audio: true }),
    makeClip(dir, 'b.mp4', { width: 640, height: 360, fps: 30, audio: false }),
    makeClip(dir, 'c.mp4', { width: 240, height: 320, fps: 24, audio: true }),
    makeClip(dir, 'd.mp4', { width: 400, height: 400, fps: 15, audio: true }),
  ]);
  clips.a = { path: a, hasAudio: true, durationSeconds: 2 };
  clips.b = { path: b, hasAudio: false, durationSeconds: 2 };
  clips.c = { path: c, hasAudio: true, durationSeconds: 2 };
  clips.d = { path: d, hasAudio: true, durationSeconds: 2 };
});
afterAll(() => cleanup());

type Extra = Partial<Omit<StartFfmpegOptions, 'ffmpegPath' | 'args' | 'durationSeconds'>>;

/** Stage → run → commit (or discard), as a processor would. */
async function encode(finalName: string, build: (output: string) => string[], durationSeconds: number | null, extra: Extra = {}) {
  const staged = await stageOutput(join(dir, finalName));
  const updates: FfmpegProgressUpdate[] = [];
  const running = await startFfmpeg({ ffmpegPath: TEST_FFMPEG, args: build(staged.partialPath), durationSeconds, onProgress: (u) => updates.push(u), ...extra });
  const result = await running.result;
  if (!result.ok) {
    await staged.discard();
    return { result, updates, path: null, running };
  }
  return { result, updates, path: await staged.commit(), running };
}

const video = (json: ProbedJson) => json.streams.find((s) => s.codec_type === 'video')!;
const audio = (json: ProbedJson) => json.streams.find((s) => s.codec_type === 'audio');

describe('real encodes', () => {
  it('re-encodes for streaming: H.264 + AAC, moov before mdat, progress 100 only at the end', async () => {
    const { result, updates, path } = await encode('a-stream.mp4', (output) => buildReencodeArgs({ input: clips.a.path, output }), 2, {
      throttle: { minStepPercent: 1, minIntervalMs: 0 },
    });
    expect(result.ok).toBe(true);
    const json = await probeJson(path!);
    expect(video(json).codec_name).toBe('h264');
    expect(audio(json)?.codec_name).toBe('aac');
    const bytes = await readFile(path!);
    expect(bytes.indexOf('moov')).toBeGreaterThan(0);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    const percents = updates.map((u) => u.percent);
    expect(percents.at(-1)).toBe(100);
    expect(percents.slice(0, -1).every((p) => p < 100)).toBe(true);
    expect([...percents].sort((x, y) => x - y)).toEqual(percents);
  });

  it('re-encodes an input without audio', async () => {
    const { result, path } = await encode('b-stream.mp4', (output) => buildReencodeArgs({ input: clips.b.path, output }), 2);
    expect(result.ok).toBe(true);
    const json = await probeJson(path!);
    expect(video(json).codec_name).toBe('h264');
    expect(audio(json)).toBeUndefined();
  });

  it('builds a 2×2 quad from inputs of different sizes and frame rates, one without audio', async () => {
    const inputs = [clips.a, clips.b, clips.c, clips.d];
    const { result, path } = await encode('quad.mp4', (output) => buildQuadArgs({ inputs, output, cellWidth: 320, cellHeight: 180, fps: 25 }), 2);
    expect(result.stderrTail.join('\n')).not.toMatch(/Error/);
    expect(result.ok).toBe(true);
    const json = await probeJson(path!);
    expect(video(json)).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(audio(json)?.codec_name).toBe('aac');
    expect(Number(json.format.duration)).toBeCloseTo(2, 0);
  });

  it('builds a mega grid and a concat with generated silence', async () => {
    const grid = await encode('grid.mp4', (output) => buildGridArgs({ inputs: [clips.a, clips.b, clips.c, clips.d, clips.a], output, width: 480, fps: 15 }), 2);
    expect(grid.result.ok).toBe(true);
    expect(video(await probeJson(grid.path!))).toMatchObject({ width: 480, height: 180 });

    const inputs = [clips.a, clips.b, clips.c];
    const concat = await encode('concat.mp4', (output) => buildConcatArgs({ inputs, output, width: 320, height: 240, fps: 15 }), concatDurationSeconds(inputs));
    expect(concat.result.ok).toBe(true);
    const json = await probeJson(concat.path!);
    expect(audio(json)?.codec_name).toBe('aac');
    expect(Number(json.format.duration)).toBeGreaterThan(5.5);
    expect(Number(json.format.duration)).toBeLessThan(6.5);
  });

  it('makes a GIF and a 640-wide JPEG thumbnail', async () => {
    const gif = await encode('a.gif', (output) => buildGifArgs({ input: clips.a.path, output, startSeconds: 0.5, durationSeconds: 1, fps: 8, width: 160 }), 1);
    expect(gif.result.ok).toBe(true);
    const head = Buffer.alloc(6);
    const file = await open(gif.path!);
    await file.read(head, 0, 6, 0);
    await file.close();
    expect(head.toString('latin1')).toBe('GIF89a');
    expect(video(await probeJson(gif.path!)).codec_name).toBe('gif');

    const thumb = await encode('a.jpg', (output) => buildThumbnailArgs({ input: clips.a.path, output, atSeconds: 1, width: 640 }), null);
    expect(thumb.result.ok).toBe(true);
    expect([...(await readFile(thumb.path!)).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(video(await probeJson(thumb.path!))).toMatchObject({ codec_name: 'mjpeg', width: 640, height: 480 });
  });

  it('cancel in the middle leaves no partial and no final file, and reports cancelled', async () => {
    const controller = new AbortController();
    const longEncode = (output: string) => [
      '-hide_banner', '-nostdin', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '20',
      '-c:v', 'libx264', '-preset', 'veryslow', output,
    ];
    let progressSeen = 0;
    const { result, path } = await encode('cancelled.mp4', longEncode, 20, {
      signal: controller.signal,
      onProgress: () => {
        progressSeen += 1;
        controller.abort();
      },
    });
    expect(progressSeen).toBeGreaterThan(0);
    // ffmpeg stops on SIGINT (exit 255, even printing progress=end), or is killed 1 s later while it
    // still flushes buffered frames: a cancel either way, never a success.
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(result.durationMs).toBeLessThan(5_000);
    expect(result.lastProgress?.outTimeSeconds ?? 0).toBeLessThan(20);
    expect(path).toBeNull();
    expect((await readdir(dir)).filter((f) => f.startsWith('cancelled'))).toEqual([]);
  });

  it('suspend then resume: the encode stops advancing, then completes', async () => {
    const slowEncode = (output: string) => [
      '-hide_banner', '-nostdin', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '4',
      '-c:v', 'libx264', '-preset', 'slow', output,
    ];
    const staged = await stageOutput(join(dir, 'suspended.mp4'));
    const percents: number[] = [];
    let suspendedOnce: (() => void) | null = null;
    const firstUpdate = new Promise<void>((resolve) => (suspendedOnce = resolve));
    const running = await startFfmpeg({
      ffmpegPath: TEST_FFMPEG,
      args: slowEncode(staged.partialPath),
      durationSeconds: 4,
      throttle: { minStepPercent: 0, minIntervalMs: 0 },
      onProgress: (update) => {
        percents.push(update.percent);
        suspendedOnce?.();
      },
    });
    await firstUpdate;
    expect(running.suspend()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stat = await readFile(`/proc/${running.pid}/stat`, 'utf8');
    expect(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)).toBe('T');
    const whileStopped = percents.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(percents.length).toBe(whileStopped);
    expect(running.resume()).toBe(true);
    const result = await running.result;
    expect(result).toMatchObject({ ok: true, cancelled: false });
    // progress reaches 100 only at the end
    expect(percents.length).toBeGreaterThanOrEqual(2);
    expect(percents.at(-1)).toBe(100);
    expect(percents.slice(0, -1).every((p) => p < 100)).toBe(true);
    const final = await staged.commit();
    expect(Number((await probeJson(final)).format.duration)).toBeCloseTo(4, 0);
  });
});
