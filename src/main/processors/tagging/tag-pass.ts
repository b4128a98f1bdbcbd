/**
 * The tag pass: ONE ffmpeg decode of the video (argument array through the process runner) that
 * writes, into a private temporary folder,
 * - per-frame signals at 10 frames a second on a 160-pixel-wide copy: select's `scene` score and
 *   signalstats' YDIF (motion) and YAVG (mean luma), each printed by a `metadata` filter keyed to
 *   it (a few dozen bytes a frame, not the whole signalstats block);
 * - `sampleCount` frames spread over the video, scaled to fit the model size, as raw RGB24 into
 *   one file (`fps` at sampleCount/duration after a trim of 0.4 step: frame k is the one nearest
 *   to (k + 0.4) × step, so no sample sits on the first frame (often a fade) and the last tick
 *   stays inside the stream: ffmpeg's fps filter leaves a tick out that falls on the end);
 * - the audio's mean volume with `volumedetect` (stderr; read from the console tail).
 * Progress, cancel, suspend/resume and the live console are the runner's (via startFfmpeg).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { startFfmpeg } from '../media/ffmpeg-run';
import type { JobContext } from '../processor';
import { JobError } from '../processor';
import { quoteForLog } from '../steps/ffmpeg-outputs-step';
import type { InputVideo } from '../steps/input-videos';
import { classifyToolFailure } from '../steps/tool-failure';
import { resultWhileTracked } from '../steps/tracked-result';
import { frameSignals, parseMeanVolume, type FrameSignal } from './signal-tags';

export const METRICS_FPS = 10;
export const METRICS_WIDTH = 160;
/** The longest side of the frames given to the model (it resizes to its own input anyway). */
export const MODEL_FRAME_SIZE = 640;

export interface RgbFrame {
  /** Seconds from the video's start. */
  readonly t: number;
  readonly width: number;
  readonly height: number;
  /** width × height × 3 bytes, row by row. */
  readonly data: Uint8Array;
}

export interface TagPassPlan {
  readonly input: string;
  readonly durationSeconds: number;
  readonly hasAudio: boolean;
  readonly sampleCount: number;
  /** Size of the sampled frames (even, aspect kept). */
  readonly frameWidth: number;
  readonly frameHeight: number;
}

/** Size of the sampled frames: the video's aspect within MODEL_FRAME_SIZE, even sides. Pure. */
export function frameSize(width: number | null, height: number | null): { width: number; height: number } {
  if (!width || !height || width <= 0 || height <= 0) return { width: 640, height: 360 };
  const [w, h] = [width, height];
  const scale = Math.min(1, MODEL_FRAME_SIZE / Math.max(w, h));
  const even = (v: number) => Math.max(2, 2 * Math.round((v * scale) / 2));
  return { width: even(w), height: even(h) };
}

/** Sample spacing and the time of sample k. Pure. */
export function sampleTimes(durationSeconds: number, count: number): number[] {
  const step = durationSeconds / count;
  return Array.from({ length: count }, (_, k) => (k + 0.4) * step);
}

const ms = (s: number) => Math.max(1, Math.round(s * 1000));

/** The arguments, relative to the work folder (cwd) for the metric files. Pure. */
export function buildTagPassArgs(p: TagPassPlan): string[] {
  const step = p.durationSeconds / p.sampleCount;
  const metrics =
    `fps=${METRICS_FPS},settb=AVTB,scale=${METRICS_WIDTH}:-2:flags=fast_bilinear,format=yuv420p,select='gte(scene\\,0)',signalstats,` +
    `metadata=mode=print:key=lavfi.scene_score:file=scene.txt,metadata=mode=print:key=lavfi.signalstats.YDIF:file=ydif.txt,` +
    `metadata=mode=print:key=lavfi.signalstats.YAVG:file=yavg.txt`;
  const samples =
    `trim=start=${(0.4 * step).toFixed(3)},setpts=PTS-STARTPTS,fps=fps=${p.sampleCount * 1000}/${ms(p.durationSeconds)},` +
    `scale=${p.frameWidth}:${p.frameHeight}:flags=bilinear,setsar=1,format=rgb24`;
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-i',
    p.input,
    '-filter_complex',
    `[0:V:0]setpts=PTS-STARTPTS,split=2[m][s];[m]${metrics}[mo];[s]${samples}[so]`,
    '-map',
    '[mo]',
    '-f',
    'null',
    '-',
    '-map',
    '[so]',
    '-frames:v',
    String(p.sampleCount),
    '-f',
    'rawvideo',
    'frames.rgb',
    ...(p.hasAudio ? ['-map', '0:a:0', '-af', 'volumedetect', '-f', 'null', '-'] : []),
  ];
}

export interface TagPassResult {
  readonly frames: readonly FrameSignal[];
  readonly samples: readonly RgbFrame[];
  readonly meanVolumeDb: number | null;
}

/** Runs the pass in `workDir` (the caller's, removed by it) and reads what it wrote. */
export async function runTagPass(ctx: JobContext, input: InputVideo, p: Omit<TagPassPlan, 'input' | 'durationSeconds' | 'hasAudio'> & { ffmpegPath: string; workDir: string; progressRange: readonly [number, number] }): Promise<TagPassResult> {
  const plan: TagPassPlan = { input: input.absolutePath, durationSeconds: input.durationSeconds, hasAudio: input.hasAudio, sampleCount: p.sampleCount, frameWidth: p.frameWidth, frameHeight: p.frameHeight };
  const args = buildTagPassArgs(plan);
  ctx.log(`FFmpeg command: ${basename(p.ffmpegPath)} ${args.map(quoteForLog).join(' ')}`);
  const [from, to] = p.progressRange;
  const running = await startFfmpeg({
    ffmpegPath: p.ffmpegPath,
    args,
    cwd: p.workDir,
    durationSeconds: input.durationSeconds,
    signal: ctx.signal,
    // the GPU pin of a job placed on one GPU (CUDA_VISIBLE_DEVICES, media/gpu-pinning.ts)
    ...(ctx.env && Object.keys(ctx.env).length > 0 ? { env: { ...process.env, ...ctx.env } } : {}),
    consoleBuffer: ctx.console,
    tailLines: 80,
    onActivity: () => ctx.heartbeat(),
    onProgress: (u) => ctx.progress(from + ((to - from) * u.percent) / 100),
  });
  const result = await resultWhileTracked(ctx, p.ffmpegPath, running);
  if (!result.ok) {
    if (result.cancelled) throw ctx.signal.reason ?? new Error('cancelled');
    throw classifyToolFailure('ffmpeg', result.exitCode, result.signal, result.stderrTail);
  }
  const read = (name: string) => readFile(join(p.workDir, name), 'utf8');
  const frames = frameSignals(await read('scene.txt'), await read('ydif.txt'), await read('yavg.txt'));
  if (frames.length === 0) throw new JobError(`No video frames could be analysed in ${input.record.path}`, false);
  return { frames, samples: await readSamples(join(p.workDir, 'frames.rgb'), plan), meanVolumeDb: input.hasAudio ? parseMeanVolume(result.stderrTail) : null };
}

async function readSamples(path: string, plan: TagPassPlan): Promise<RgbFrame[]> {
  const frameBytes = plan.frameWidth * plan.frameHeight * 3;
  if ((await stat(path)).size < frameBytes) return [];
  const all = await readFile(path);
  const times = sampleTimes(plan.durationSeconds, plan.sampleCount);
  const count = Math.min(plan.sampleCount, Math.floor(all.length / frameBytes));
  return Array.from({ length: count }, (_, k) => ({
    t: times[k]!,
    width: plan.frameWidth,
    height: plan.frameHeight,
    data: new Uint8Array(all.buffer, all.byteOffset + k * frameBytes, frameBytes),
  }));
}
