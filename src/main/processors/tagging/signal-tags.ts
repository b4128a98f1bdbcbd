/**
 * Tags read from the signal alone, no model: what the tag pass (tag-pass.ts) measured with ffmpeg
 * and what the probe stored. Pure; the thresholds are here, each with its reason.
 *
 * - resolution class `sd` / `hd` / `fhd` / `4k`: the higher of the class of the short side
 *   (720 / 1080 / 2160) and of the long side (1280 / 1920 / 3840), so a portrait 1080×1920 is
 *   `fhd` and a 1920×800 film crop is too. Confidence 1.
 * - orientation `landscape` / `portrait` / `square` (within 2 %). Confidence 1.
 * - duration class `short` (< 1 min) / `medium` (< 20 min) / `long`. Confidence 1.
 * - `silent`: no audio stream (1), or a mean volume (volumedetect) at or under −50 dBFS, 0.5 there
 *   rising to 1 at −80 dBFS (digital silence reads −91).
 * - `dark` / `bright`: the mean of signalstats' YAVG (8-bit, limited range: black 16, white 235)
 *   over the sampled frames; `dark` at or under 50 (1 at 16), `bright` at or over 180 (1 at 235).
 * - `static` / `high-motion`: the median of signalstats' YDIF (mean absolute luma difference to
 *   the previous frame, 0–255) at 10 frames a second on a 160-pixel-wide picture, so the scale
 *   does not depend on the source's frame rate or size. A still encoded as video reads 0–0.01,
 *   lavfi's testsrc2 (moving shapes) 2.8, its mandelbrot zoom 3.6, noise ~80. `static` at or under
 *   0.5 (1 at 0), `high-motion` at or over 12 (1 at 24). The median keeps cuts out of it.
 * - `fast-cut`: frames whose `scene` score (select's, 0–1, on luma) is over 0.3 (scene_extract's
 *   default), at least 0.5 s apart, per minute: at least 3 cuts and 20 a minute (one every
 *   3 s), 1 at 40 a minute.
 */
import type { TagRecord } from '../../core/analysis-ports';

export interface SignalMeasures {
  readonly width: number | null;
  readonly height: number | null;
  readonly durationSeconds: number;
  readonly hasAudio: boolean;
  /** volumedetect's mean volume in dBFS; null without audio or when it printed none. */
  readonly meanVolumeDb: number | null;
  /** Per analysed frame (10 a second at most): time, cut score 0–1, YDIF and YAVG (0–255). */
  readonly frames: readonly FrameSignal[];
}

export interface FrameSignal {
  readonly t: number;
  readonly scene: number;
  readonly ydif: number;
  readonly yavg: number;
}

/** scene_extract's default threshold on the same scale. */
export const CUT_SCORE = 0.3;
const MIN_CUT_GAP_S = 0.5;

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));
/** 0.5 at `from`, 1 at `to` (either direction), rounded to 3 decimals. */
const ramp = (value: number, from: number, to: number): number => Math.round((0.5 + 0.5 * clamp01((value - from) / (to - from))) * 1000) / 1000;

const whole = (tag: string, confidence: number): TagRecord => ({ tag, confidence, startSeconds: null, endSeconds: null });

export function resolutionClass(width: number, height: number): 'sd' | 'hd' | 'fhd' | '4k' {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const byShort = short >= 2160 ? 3 : short >= 1080 ? 2 : short >= 720 ? 1 : 0;
  const byLong = long >= 3840 ? 3 : long >= 1920 ? 2 : long >= 1280 ? 1 : 0;
  return (['sd', 'hd', 'fhd', '4k'] as const)[Math.max(byShort, byLong)]!;
}

export function orientationOf(width: number, height: number): 'landscape' | 'portrait' | 'square' {
  if (Math.abs(width - height) <= 0.02 * Math.max(width, height)) return 'square';
  return width > height ? 'landscape' : 'portrait';
}

export function durationClass(seconds: number): 'short' | 'medium' | 'long' {
  return seconds < 60 ? 'short' : seconds < 1200 ? 'medium' : 'long';
}

/** Cut times: frames over CUT_SCORE, at least MIN_CUT_GAP_S after the previous cut (and the start). */
export function cutTimesOf(frames: readonly FrameSignal[]): number[] {
  const cuts: number[] = [];
  let last = frames[0]?.t ?? 0;
  for (const f of frames.slice(1)) {
    if (f.scene > CUT_SCORE && f.t - last >= MIN_CUT_GAP_S) {
      cuts.push(f.t);
      last = f.t;
    }
  }
  return cuts;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface SignalSummary {
  readonly meanLuma: number | null;
  readonly medianMotion: number | null;
  readonly cuts: number;
  readonly cutsPerMinute: number;
}

export function summarise(m: SignalMeasures): SignalSummary {
  const frames = m.frames;
  const cuts = cutTimesOf(frames).length;
  return {
    meanLuma: frames.length ? frames.reduce((s, f) => s + f.yavg, 0) / frames.length : null,
    // the first frame has no previous one (YDIF 0)
    medianMotion: frames.length > 1 ? median(frames.slice(1).map((f) => f.ydif)) : null,
    cuts,
    cutsPerMinute: m.durationSeconds > 0 ? (cuts * 60) / m.durationSeconds : 0,
  };
}

/** Every signal tag that applies, before the job's minimum confidence. */
export function signalTags(m: SignalMeasures): TagRecord[] {
  const tags: TagRecord[] = [];
  if (m.width && m.height) {
    tags.push(whole(resolutionClass(m.width, m.height), 1), whole(orientationOf(m.width, m.height), 1));
  }
  if (m.durationSeconds > 0) tags.push(whole(durationClass(m.durationSeconds), 1));
  if (!m.hasAudio) tags.push(whole('silent', 1));
  else if (m.meanVolumeDb !== null && m.meanVolumeDb <= -50) tags.push(whole('silent', ramp(m.meanVolumeDb, -50, -80)));
  const s = summarise(m);
  if (s.meanLuma !== null) {
    if (s.meanLuma <= 50) tags.push(whole('dark', ramp(s.meanLuma, 50, 16)));
    else if (s.meanLuma >= 180) tags.push(whole('bright', ramp(s.meanLuma, 180, 235)));
  }
  if (s.medianMotion !== null) {
    if (s.medianMotion <= 0.5) tags.push(whole('static', ramp(s.medianMotion, 0.5, 0)));
    else if (s.medianMotion >= 12) tags.push(whole('high-motion', ramp(s.medianMotion, 12, 24)));
  }
  if (s.cuts >= 3 && s.cutsPerMinute >= 20) tags.push(whole('fast-cut', ramp(s.cutsPerMinute, 20, 40)));
  return tags;
}

/** volumedetect's `mean_volume: -21.1 dB` (the last one printed); null when absent. */
export function parseMeanVolume(lines: readonly string[]): number | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /mean_volume:\s*(-?[\d.]+|-inf)\s*dB/.exec(lines[i]!);
    if (m) return m[1] === '-inf' ? -Infinity : Number(m[1]);
  }
  return null;
}

/**
 * The values of one key in a `metadata=mode=print:key=K` file, by frame time:
 * `frame:3 pts:300000 pts_time:0.3` then `K=value`. Times come from the integer pts in
 * microseconds (the pass sets `settb=AVTB`). Unparsable lines are skipped.
 */
export function parsePrintedKey(text: string, key: string): Map<number, number> {
  const out = new Map<number, number>();
  let t: number | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^frame:\d+\s+pts:(-?\d+)\s/.exec(line);
    if (header) {
      t = Number(header[1]) / 1_000_000;
      continue;
    }
    if (t !== null && line.startsWith(`${key}=`)) {
      const value = Number(line.slice(key.length + 1));
      if (Number.isFinite(value)) out.set(t, value);
    }
  }
  return out;
}

/** Joins the three printed files by frame time (frames missing from the scene file are left out). */
export function frameSignals(sceneText: string, ydifText: string, yavgText: string): FrameSignal[] {
  const scene = parsePrintedKey(sceneText, 'lavfi.scene_score');
  const ydif = parsePrintedKey(ydifText, 'lavfi.signalstats.YDIF');
  const yavg = parsePrintedKey(yavgText, 'lavfi.signalstats.YAVG');
  return [...scene.entries()]
    .filter(([t]) => yavg.has(t))
    .map(([t, s]) => ({ t, scene: s, ydif: ydif.get(t) ?? 0, yavg: yavg.get(t)! }))
    .sort((a, b) => a.t - b.t);
}
