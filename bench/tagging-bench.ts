/**
 * The `tagging` section: the tag model alone (tag_generation's detector: Human's BlazeFace and
 * COCO CenterNet on the backend this machine has, WASM here) on 640×360 RGB frames such as the
 * tag pass samples from a 16:9 video, made with ffmpeg: the face still that ships with the model
 * package (padded) and lavfi's testsrc2, alternating.
 *
 *   - analysis.tag.frames_per_s: frames analysed per second of wall time, median of the rounds,
 *     after one warm-up frame (the first inference sets the backend's kernels up)
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadFrameDetector, modelPaths } from '../src/main/processors/tagging/detector';
import type { RgbFrame } from '../src/main/processors/tagging/tag-pass';
import type { Metric } from './report';
import { median, progress } from './support';

const run = promisify(execFile);
const FFMPEG = process.env.MEDIA_FFMPEG_PATH || 'ffmpeg';
const [W, H] = [640, 360];
export const TAG_ROUNDS = 3;
export const TAG_FRAMES_PER_ROUND = 12;

async function rawFrames(args: string[], count: number): Promise<RgbFrame[]> {
  const { stdout } = await run(FFMPEG, ['-hide_banner', '-v', 'error', ...args, '-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  const size = W * H * 3;
  return Array.from({ length: Math.floor(stdout.length / size) }, (_, k) => ({ t: k, width: W, height: H, data: new Uint8Array(stdout.buffer, stdout.byteOffset + k * size, size) }));
}

export async function benchTagging(rounds = TAG_ROUNDS): Promise<Metric[]> {
  const loadStarted = performance.now();
  const detector = await loadFrameDetector();
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  progress(`tagging: ${detector.description}, loaded in ${loadSeconds.toFixed(2)} s`);
  const face = join(modelPaths().distDir, '..', 'assets', 'screenshot-facedetect.jpg');
  const half = TAG_FRAMES_PER_ROUND / 2;
  const faces = await rawFrames(['-loop', '1', '-i', face, '-vf', `crop=160:160:8:348,scale=-2:${H},pad=${W}:${H}:(ow-iw)/2:0`], half);
  const shapes = await rawFrames(['-f', 'lavfi', '-i', `testsrc2=s=${W}x${H}:r=5`], half);
  const frames = faces.flatMap((f, i) => [f, shapes[i]!]);
  const warm = await detector.detect(frames[0]!);
  if (!warm.some((d) => d.label === 'face')) throw new Error(`tagging: no face found in the face still (${JSON.stringify(warm)})`);
  const perSecond: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const started = performance.now();
    for (const frame of frames) await detector.detect(frame);
    const seconds = (performance.now() - started) / 1000;
    perSecond.push(frames.length / seconds);
    progress(`tagging: round ${round}/${rounds}: ${frames.length} frames in ${seconds.toFixed(2)} s (${perSecond.at(-1)!.toFixed(2)} frames/s)`);
  }
  const cores = (await import('node:os')).availableParallelism();
  return [
    {
      metric: 'analysis.tag.frames_per_s',
      value: median(perSecond),
      unit: 'frames/s',
      note:
        `${W}x${H} RGB frames through tag_generation's detector (${detector.description}), face still and testsrc2 alternating, ` +
        `median of ${rounds} rounds of ${frames.length} (${perSecond.map((x) => x.toFixed(2)).join('/')}), one frame at a time, after a warm-up frame; ` +
        `model load ${loadSeconds.toFixed(2)} s; ${cores} cores, no GPU backend here`,
    },
  ];
}
