/**
 * The analysis pass of a job: one ffmpeg decode of the video writing per-frame cut scores and
 * motion (and, when asked, momentary loudness) into a private temporary folder, read back into
 * metrics (frame-metrics.ts), and optionally small JPEGs a few times a second for the scene
 * images. The folder is removed whatever happens (or left to the caller that passed its own).
 *
 * The detector is `scdet` (ffmpeg ≥ 4.4, the Debian 5.1 build) or, on an ffmpeg without it (the
 * 2018 static build bundled as a last resort), `select`'s scene score with signalstats' YDIF for
 * motion: same scale, see frame-metrics.ts. Which one is asked of ffmpeg once (`-filters`).
 * A failure with `-hwaccel auto` is retried once without it (a hardware decoder that is found but
 * breaks mid-file), saying so in the log; an input problem is not retried.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { childEnvironment } from '../../system/child-environment';
import { JobError, type JobContext } from '../processor';
import type { InputVideo } from '../steps/input-videos';
import { buildAnalysisArgs } from './analysis-args';
import { runFfmpegOutputs } from '../steps/ffmpeg-outputs-step';
import { frameMetrics, frameSeconds, loudnessSamples, videoEndSeconds, type Detector, type FrameMetric, type LoudnessSample } from './frame-metrics';

export interface VideoAnalysis {
  readonly detector: Detector;
  readonly frames: readonly FrameMetric[];
  /** null when not asked for or the video has no audio. */
  readonly loudness: readonly LoudnessSample[] | null;
  readonly frameSeconds: number;
  readonly endSeconds: number;
  /** The small JPEGs kept when `stills` was asked for (in `workDir`), in time order. */
  readonly stills: readonly StillSample[];
}

export interface StillSample {
  /** Seconds (the fps filter's tick: the frame nearest to it, within half a frame). */
  readonly t: number;
  readonly path: string;
}

const detectors = new Map<string, Promise<Detector>>();

/** `scdet` when this ffmpeg has it, else `select` (cached per ffmpeg path). */
export function chooseDetector(ffmpegPath: string): Promise<Detector> {
  let known = detectors.get(ffmpegPath);
  if (!known) {
    known = new Promise<Detector>((resolve) => {
      execFile(ffmpegPath, ['-hide_banner', '-filters'], { timeout: 10_000, maxBuffer: 4 * 1024 * 1024, env: childEnvironment() }, (error, stdout) => {
        resolve(!error && /^\s*\S+\s+scdet\s/m.test(stdout) ? 'scdet' : 'select');
      });
    });
    detectors.set(ffmpegPath, known);
  }
  return known;
}

export interface AnalyseOptions {
  readonly ffmpegPath: string;
  readonly loudness: boolean;
  readonly progressRange: readonly [number, number];
  /** Default: the ffmpeg's best. */
  readonly detector?: Detector;
  /** Keep small JPEGs (`fps` a second, `width` wide) for scene images; needs `workDir`. */
  readonly stills?: { readonly fps: number; readonly width: number };
  /** A private folder the caller removes (kept stills live there); default one made and removed here. */
  readonly workDir?: string;
}

const STILL = /^still-(\d+)\.jpg$/;

const inputProblem = (error: unknown) => error instanceof JobError && /^(Input file is (missing|corrupt)|Permission denied|Disk full)/.test(error.message);

export async function analyseVideo(ctx: JobContext, input: InputVideo, options: AnalyseOptions): Promise<VideoAnalysis> {
  const detector = options.detector ?? (await chooseDetector(options.ffmpegPath));
  const withLoudness = options.loudness && input.hasAudio;
  if (options.stills && !options.workDir) throw new Error('analyseVideo: stills need a workDir');
  const dir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'mjc-analysis-')));
  const started = performance.now();
  try {
    const names = ['scores.txt', ...(detector === 'select' ? ['motion.txt'] : []), ...(withLoudness ? ['loudness.txt'] : [])];
    const pass = (hwaccel: boolean) =>
      runFfmpegOutputs(ctx, {
        ffmpegPath: options.ffmpegPath,
        outputs: names.map((n) => join(dir, n)),
        cwd: dir,
        allowEmpty: true,
        durationSeconds: input.durationSeconds,
        progressRange: options.progressRange,
        args: (partials) => {
          const file = (name: string) => basename(partials[names.indexOf(name)]!);
          return buildAnalysisArgs({
            input: input.absolutePath,
            detector,
            hwaccel,
            scoresFile: file('scores.txt'),
            ...(detector === 'select' ? { motionFile: file('motion.txt') } : {}),
            ...(withLoudness ? { loudnessFile: file('loudness.txt') } : {}),
            ...(options.stills ? { stills: { pattern: 'still-%d.jpg', ...options.stills } } : {}),
          });
        },
      });
    try {
      await pass(true);
    } catch (error) {
      if (ctx.signal.aborted || inputProblem(error)) throw error;
      ctx.log(`Analysis with hardware decoding failed (${error instanceof Error ? error.message : String(error)}); running it again with software decoding`);
      await pass(false);
    }
    const read = (name: string) => readFile(join(dir, name), 'utf8');
    const frames = frameMetrics(detector, await read('scores.txt'), detector === 'select' ? await read('motion.txt') : undefined);
    if (frames.length === 0) throw new JobError(`No video frames could be analysed in ${input.record.path}`, false);
    const loudness = withLoudness ? loudnessSamples(await read('loudness.txt')) : null;
    const fs = frameSeconds(frames);
    const endSeconds = videoEndSeconds(frames, input.durationSeconds);
    const seconds = (performance.now() - started) / 1000;
    ctx.log(
      `Analysed ${frames.length} frames (${endSeconds.toFixed(2)} s of video${loudness ? `, ${loudness.length} loudness samples` : ''}) ` +
        `in ${seconds.toFixed(2)} s, ${(endSeconds / Math.max(seconds, 1e-3)).toFixed(1)}x real time, detector ${detector}`,
    );
    const stills = options.stills
      ? (await readdir(dir)).flatMap((name) => {
          const n = STILL.exec(name);
          return n ? [{ t: Number(n[1]) / options.stills!.fps, path: join(dir, name) }] : [];
        })
      : [];
    return { detector, frames, loudness, frameSeconds: fs, endSeconds, stills: stills.sort((a, b) => a.t - b.t) };
  } finally {
    if (!options.workDir) await rm(dir, { recursive: true, force: true });
  }
}
