/**
 * Scores a video in short windows (about 2 s, never across a cut, on frame boundaries), pure.
 *
 * Features of a window, each normalised over the video to 0–1:
 * - motion: mean frame difference of its frames (the cut frame itself left out);
 * - loudness: the energy mean of ebur128's momentary loudness samples inside it, in LUFS,
 *   clamped to [−70, 0] (−70 is EBU R128's absolute gate: silence is one value, not −120);
 * - tags: the hook for detected objects: `tagScorer(start, end)` gives 0–1 (e.g. the highest
 *   confidence of a tag seen in that range), or null when nothing is known; a video without
 *   tags is scored on motion and loudness alone.
 * Normalisation is (x − min) / max(max − min, floor): the floor (5 % motion, 10 LU) keeps a
 * feature that barely varies (steady motion, a constant tone) from being stretched to 0–1 and
 * drowning out one that really differs. The score is the weighted mean of the features present.
 */
import type { FrameMetric, LoudnessSample } from './frame-metrics';
import type { DetectedScene } from './scene-detection';

export interface TimedTag {
  readonly confidence: number;
  readonly startSeconds: number | null;
  readonly endSeconds: number | null;
}

/** 0–1 for a time range, or null when nothing is known about it. */
export type TagScorer = (startSeconds: number, endSeconds: number) => number | null;

export interface FeatureWeights {
  readonly motion: number;
  readonly loudness: number;
  readonly tags: number;
}

export const DEFAULT_WEIGHTS: FeatureWeights = { motion: 1, loudness: 1, tags: 1 };
export const DEFAULT_WINDOW_SECONDS = 2;
const MOTION_FLOOR = 5;
const LOUDNESS_FLOOR = 10;
const SILENCE_LUFS = -70;

export interface AnalysisWindow {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly sceneIndex: number;
}

export interface ScoredWindow extends AnalysisWindow {
  readonly motion: number | null;
  readonly loudness: number | null;
  readonly tags: number | null;
  /** 0–1. */
  readonly score: number;
}

/** Tags with a time range → a scorer (highest confidence overlapping the range, else 0); null without any. */
export function tagScorerFrom(tags: readonly TimedTag[]): TagScorer | null {
  const timed = tags.filter((t) => t.startSeconds !== null && t.endSeconds !== null);
  if (timed.length === 0) return null;
  return (start, end) => timed.reduce((best, t) => (t.startSeconds! < end && start < t.endSeconds! ? Math.max(best, t.confidence) : best), 0);
}

/** Windows of about `windowSeconds` inside each scene; a short remainder joins the window before it. */
export function makeWindows(frames: readonly FrameMetric[], scenes: readonly DetectedScene[], frameSeconds: number, windowSeconds = DEFAULT_WINDOW_SECONDS): (AnalysisWindow & { from: number; to: number })[] {
  const per = Math.max(1, Math.round(windowSeconds / frameSeconds));
  const out: (AnalysisWindow & { from: number; to: number })[] = [];
  for (const scene of scenes) {
    if (scene.endFrame <= scene.startFrame) {
      out.push({ startSeconds: scene.startSeconds, endSeconds: scene.endSeconds, sceneIndex: scene.index, from: scene.startFrame, to: scene.endFrame });
      continue;
    }
    const bounds: number[] = [];
    for (let i = scene.startFrame; i < scene.endFrame; i += per) bounds.push(i);
    if (bounds.length > 1 && scene.endFrame - bounds.at(-1)! < per / 2) bounds.pop();
    bounds.forEach((from, k) => {
      const to = bounds[k + 1] ?? scene.endFrame;
      const startSeconds = k === 0 ? scene.startSeconds : frames[from]!.t;
      const endSeconds = to === scene.endFrame ? scene.endSeconds : frames[to]!.t;
      out.push({ startSeconds, endSeconds, sceneIndex: scene.index, from, to });
    });
  }
  return out;
}

function energyMeanLufs(samples: readonly LoudnessSample[], start: number, end: number): number | null {
  let sum = 0;
  let n = 0;
  for (const s of samples) {
    if (s.t < start || s.t >= end) continue;
    sum += 10 ** (Math.max(SILENCE_LUFS, Math.min(0, s.lufs)) / 10);
    n += 1;
  }
  return n === 0 ? null : Math.max(SILENCE_LUFS, 10 * Math.log10(sum / n));
}

function normaliser(values: readonly (number | null)[], floor: number): (v: number | null) => number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return () => null;
  const min = Math.min(...known);
  const span = Math.max(Math.max(...known) - min, floor);
  return (v) => (v === null ? null : (v - min) / span);
}

export interface ScoringInput {
  readonly frames: readonly FrameMetric[];
  readonly scenes: readonly DetectedScene[];
  readonly frameSeconds: number;
  /** null when the video has no audio. */
  readonly loudness: readonly LoudnessSample[] | null;
  readonly tagScorer?: TagScorer | null;
  readonly windowSeconds?: number;
  readonly weights?: FeatureWeights;
}

export function scoreWindows(input: ScoringInput): ScoredWindow[] {
  const weights = input.weights ?? DEFAULT_WEIGHTS;
  const windows = makeWindows(input.frames, input.scenes, input.frameSeconds, input.windowSeconds);
  const sceneStarts = new Set(input.scenes.map((s) => s.startFrame));
  const raw = windows.map((w) => {
    let sum = 0;
    let n = 0;
    for (let i = w.from; i < w.to; i++) {
      if (sceneStarts.has(i) && i > 0) continue;
      sum += input.frames[i]!.motion;
      n += 1;
    }
    // a window too short to hold samples takes the loudness around it
    const loud = input.loudness ? (energyMeanLufs(input.loudness, w.startSeconds, w.endSeconds) ?? energyMeanLufs(input.loudness, w.startSeconds - 0.5, w.endSeconds + 0.5)) : null;
    return { window: w, motion: n > 0 ? sum / n : null, loudness: loud, tags: input.tagScorer ? input.tagScorer(w.startSeconds, w.endSeconds) : null };
  });
  const motionNorm = normaliser(raw.map((r) => r.motion), MOTION_FLOOR);
  const loudNorm = normaliser(raw.map((r) => r.loudness), LOUDNESS_FLOOR);
  return raw.map(({ window, motion, loudness, tags }) => {
    const parts: [number | null, number][] = [
      [motionNorm(motion), weights.motion],
      [loudNorm(loudness), weights.loudness],
      [tags === null ? null : Math.min(1, Math.max(0, tags)), weights.tags],
    ];
    let total = 0;
    let weight = 0;
    for (const [value, w] of parts) {
      if (value === null || w <= 0) continue;
      total += value * w;
      weight += w;
    }
    return { startSeconds: window.startSeconds, endSeconds: window.endSeconds, sceneIndex: window.sceneIndex, motion, loudness, tags, score: weight > 0 ? total / weight : 0 };
  });
}
