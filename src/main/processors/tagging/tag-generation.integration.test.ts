/**
 * `tag_generation` end to end through the queue with real ffmpeg and the real model (Human's
 * BlazeFace and COCO CenterNet from node_modules, WASM backend), on clips made at test time:
 * - a face: a still of a face that ships with the model package (the face strip of
 *   `@vladmandic/human/assets/screenshot-facedetect.jpg`, its first face), looped for 2 s;
 * - a silent (silent audio track), dark, static picture;
 * - moving test shapes with a tone (none of those tags), and hard cuts every second (black/white).
 * Then the tag filter of GET /api/media/videos, through the runtime's `listVideos` operation (the
 * route is generated from the same operation and schema; processors may not import the server).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_FFMPEG } from '../media/testing/clips';
import { startMediaRuntime, type MediaRuntime } from '../testing/media-runtime';
import { loadFrameDetector, modelPaths } from './detector';

const run = promisify(execFile);
const FACE_IMAGE = join(modelPaths().distDir, '..', 'assets', 'screenshot-facedetect.jpg');
const x264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];

let m: MediaRuntime;
const ids: Record<string, string> = {};

async function ffmpeg(args: string[]): Promise<void> {
  await run(TEST_FFMPEG, ['-hide_banner', '-v', 'error', '-y', ...args]);
}

beforeAll(async () => {
  m = await startMediaRuntime({ limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } });
  const v = (name: string) => join(m.root, 'videos', name);
  await Promise.all([
    ffmpeg(['-loop', '1', '-i', FACE_IMAGE, '-t', '2', '-r', '25', '-vf', 'crop=160:160:8:348,scale=480:480', ...x264, v('face.mp4')]),
    ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x101010:s=640x360:r=25:d=3', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo', '-t', '3', ...x264, '-c:a', 'aac', v('dark.mp4')]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=30:d=4', '-f', 'lavfi', '-i', 'sine=f=440:d=4', ...x264, '-c:a', 'aac', v('busy.mp4')]),
    ffmpeg([
      ...['black', 'white', 'black', 'white', 'black', 'white'].flatMap((c) => ['-f', 'lavfi', '-i', `color=c=${c}:s=640x360:r=25:d=1`]),
      '-filter_complex',
      'concat=n=6',
      ...x264,
      v('cuts.mp4'),
    ]),
  ]);
  const scan = await m.runJob('scan', { directoryType: 'videos' });
  expect(scan.status, scan.log).toBe('completed');
  for (const video of (await m.embedded.runtime.execute('listVideos', { limit: 50 })).data) ids[video.filename] = video.id;
}, 60_000);

afterAll(async () => {
  await m?.dispose();
});

interface VideoTag {
  tag: string;
  confidence: number;
}

async function tagVideo(name: string, params: Record<string, unknown> = {}): Promise<{ log: string; tags: Map<string, VideoTag> }> {
  const job = await m.runJob('tag_generation', { videoId: ids[name], ...params }, 60_000);
  expect(job.status, job.log).toBe('completed');
  expect(job.progress).toBe(100);
  const video = (await m.embedded.runtime.execute('getVideo', { id: ids[name]! })) as { tags?: VideoTag[] };
  return { log: job.log, tags: new Map((video.tags ?? []).map((t) => [t.tag, t])) };
}

describe('tag_generation', () => {
  it('tags a still of a face with face and person from the model, with the time range they were seen in', async () => {
    const { log, tags } = await tagVideo('face.mp4');
    expect(log).toMatch(/Model: Human \S+ on tfjs \S+, backend wasm/);
    expect(log).toMatch(/Analysed 8 frame\(s\) with the model in .* frames\/s\)/);
    expect(log).toMatch(/FFmpeg command: ffmpeg .*signalstats.*-f rawvideo frames\.rgb/);
    expect(tags.get('face')?.confidence).toBeGreaterThan(0.7);
    expect(tags.get('person')?.confidence).toBeGreaterThan(0.5);
    expect(log).toMatch(/Tags stored \(\d+\): .*face 0\.\d\d \(0\.0–2\.0 s\)/);
    // signal tags of the same clip: 480×480, 2 s, no audio, a still
    for (const t of ['sd', 'square', 'short', 'silent', 'static']) expect(tags.get(t)?.confidence, t).toBeGreaterThanOrEqual(0.9);
    expect(tags.has('dark')).toBe(false);
  });

  it('tags a silent dark static clip silent, dark and static, and sees no face in it', async () => {
    const { log, tags } = await tagVideo('dark.mp4');
    expect(log).toMatch(/mean volume -9\d\.\d dB/);
    expect(tags.get('silent')?.confidence).toBeGreaterThan(0.9);
    expect(tags.get('dark')?.confidence).toBeGreaterThan(0.7);
    expect(tags.get('static')?.confidence).toBeGreaterThan(0.9);
    expect(tags.has('face')).toBe(false);
    expect(tags.has('person')).toBe(false);
    expect([...tags.values()].every((t) => t.confidence >= 0.5)).toBe(true);
  });

  it('leaves moving, sounding pictures untagged as silent/dark/static, and tags hard cuts every second fast-cut', async () => {
    const busy = await tagVideo('busy.mp4', { sampleCount: 4 });
    expect(busy.log).toMatch(/Analysed 4 frame\(s\)/);
    expect([...busy.tags.keys()]).toEqual(expect.arrayContaining(['hd', 'landscape', 'short']));
    for (const t of ['silent', 'dark', 'static', 'fast-cut', 'face']) expect(busy.tags.has(t), t).toBe(false);
    const cuts = await tagVideo('cuts.mp4', { sampleCount: 2, minConfidence: 0.9 });
    expect(cuts.log).toMatch(/5 cut\(s\), 50\.0 a minute/);
    expect(cuts.tags.get('fast-cut')?.confidence).toBe(1);
    expect([...cuts.tags.values()].every((t) => t.confidence >= 0.9)).toBe(true);
  });

  it('runs the model off the main thread: timers keep firing while frames are analysed', async () => {
    const detector = await loadFrameDetector();
    const frame = { t: 0, width: 640, height: 360, data: new Uint8Array(640 * 360 * 3).map((_, i) => (i * 7) % 251) };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    await Promise.all([detector.detect(frame), detector.detect(frame)]);
    const ms = performance.now() - started;
    clearInterval(timer);
    expect(detector.description).toMatch(/in a worker thread/);
    expect(ticks).toBeGreaterThan(ms / 10 / 3);
  });

  it('finds the tagged videos with the tag filter of GET /api/media/videos', async () => {
    // the query string's shape: strings, as the route hands them to the operation
    const list = async (query: Record<string, string>) => (await m.embedded.runtime.execute('listVideos', query)).data.map((v) => v.filename).sort();
    expect(await list({ tag: 'face' })).toEqual(['face.mp4']);
    expect(await list({ tag: 'person', limit: '1' })).toEqual(['face.mp4']);
    expect(await list({ tag: ' DARK ' })).toEqual(['dark.mp4']);
    expect(await list({ tag: 'silent' })).toEqual(['cuts.mp4', 'dark.mp4', 'face.mp4']);
    expect(await list({ tag: 'silent', search: 'face' })).toEqual(['face.mp4']);
    expect(await list({ tag: '4k' })).toEqual([]);
    await expect(m.embedded.runtime.execute('listVideos', { tag: '' })).rejects.toThrow(/tag/);
  });

  it('lists each video with its tags, as GET /api/media/videos/:id gives them', async () => {
    const { data } = await m.embedded.runtime.execute('listVideos', { limit: '50' });
    const face = data.find((v) => v.filename === 'face.mp4')!;
    expect(face.tags).toEqual((await m.embedded.runtime.execute('getVideo', { id: face.id })).tags);
    expect(face.tags!.map((t) => t.tag)).toEqual(expect.arrayContaining(['face', 'person', 'silent']));
    expect(face.tags!.map((t) => t.confidence)).toEqual([...face.tags!.map((t) => t.confidence)].sort((a, b) => b - a));
  });
});
