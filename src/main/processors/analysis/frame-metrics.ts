/**
 * Pure reading of what the analysis pass (analysis-args.ts) writes with ffmpeg's `metadata` /
 * `ametadata` filters in `mode=print`: blocks of
 *
 *     frame:50   pts:25600   pts_time:2
 *     lavfi.scd.mafd=29.927
 *     lavfi.scd.score=29.025
 *
 * into per-frame metrics on one scale whatever filter produced them:
 * - `scene`: the cut score on ffmpeg's `scene` scale 0–1 (what `select='gt(scene,T)'` compares).
 *   `select` writes it directly (`lavfi.scene_score`); `scdet` writes the same quantity,
 *   min(mafd, |mafd − previous mafd|), as a percentage of the pixel range (÷256 instead of ÷100),
 *   so scene = score × 2.56 / 100 (measured on ffmpeg 5.1: scdet 29.025 ↔ select 0.743035).
 * - `motion`: mean absolute frame difference, percent of full scale (0–100): scdet's `mafd`, or
 *   signalstats' `YDIF` (0–255) ÷ 2.55 on the `select` path.
 * Loudness comes from `ebur128=metadata=1`: `lavfi.r128.M`, the momentary (400 ms) loudness in
 * LUFS, every 100 ms.
 * Times are kept in ffmpeg's reference: relative to the file's start time, as an input `-ss`
 * counts, so a time found here can be cut at directly (ffprobe's are absolute). They are read
 * from the integer `pts`, which the graph puts in microseconds (`settb=AVTB`): `pts_time` is
 * printed with 6 significant digits only (10 ms steps past 1000 s, 100 ms past 10000 s).
 */

export type Detector = 'scdet' | 'select';

export interface FrameMetric {
  /** Seconds from the file's start (ffmpeg's `-ss` reference). */
  readonly t: number;
  readonly scene: number;
  readonly motion: number;
}

export interface LoudnessSample {
  readonly t: number;
  readonly lufs: number;
}

export interface PrintedBlock {
  readonly frame: number;
  readonly t: number;
  readonly values: ReadonlyMap<string, number>;
}

const HEADER = /^frame:(\d+)\s+pts:(\S+)\s+pts_time:(\S+)/;

/** The blocks of a `metadata=mode=print` file, in file order; unparsable lines are skipped. */
export function parseMetadataPrint(text: string): PrintedBlock[] {
  const blocks: { frame: number; t: number; values: Map<string, number> }[] = [];
  let current: { frame: number; t: number; values: Map<string, number> } | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const header = HEADER.exec(line);
    if (header) {
      // microseconds (settb=AVTB); pts_time only where pts is missing
      const t = /^-?\d+$/.test(header[2]!) ? Number(header[2]) / 1_000_000 : Number(header[3]);
      current = Number.isFinite(t) ? { frame: Number(header[1]), t, values: new Map() } : null;
      if (current) blocks.push(current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq <= 0) continue;
    const value = Number(line.slice(eq + 1));
    if (Number.isFinite(value)) current.values.set(line.slice(0, eq), value);
  }
  return blocks;
}

/** scdet's score (percent of 256) → ffmpeg's `scene` scale (0–1). */
export function scdetToScene(score: number): number {
  return Math.min(1, Math.max(0, (score * 2.56) / 100));
}

const clampScene = (v: number): number => Math.min(1, Math.max(0, v));

/**
 * Per-frame metrics. `scdet`: one file with `lavfi.scd.score` and `lavfi.scd.mafd`. `select`: the
 * scene file (`lavfi.scene_score`) and the motion file (`lavfi.signalstats.YDIF`), joined by frame.
 */
export function frameMetrics(detector: Detector, scoresText: string, motionText?: string): FrameMetric[] {
  const blocks = parseMetadataPrint(scoresText);
  if (detector === 'scdet') {
    return blocks.map((b) => ({ t: b.t, scene: scdetToScene(b.values.get('lavfi.scd.score') ?? 0), motion: b.values.get('lavfi.scd.mafd') ?? 0 }));
  }
  const motionByFrame = new Map(parseMetadataPrint(motionText ?? '').map((b) => [b.frame, (b.values.get('lavfi.signalstats.YDIF') ?? 0) / 2.55]));
  return blocks.map((b) => ({ t: b.t, scene: clampScene(b.values.get('lavfi.scene_score') ?? 0), motion: motionByFrame.get(b.frame) ?? 0 }));
}

/** Momentary loudness samples (each for the 400 ms before `t`). */
export function loudnessSamples(text: string): LoudnessSample[] {
  return parseMetadataPrint(text).flatMap((b) => {
    const lufs = b.values.get('lavfi.r128.M');
    return lufs === undefined ? [] : [{ t: b.t, lufs }];
  });
}

/** The typical frame interval (median of the differences), 1/25 s when unknown. */
export function frameSeconds(frames: readonly FrameMetric[]): number {
  const deltas: number[] = [];
  for (let i = 1; i < frames.length; i++) {
    const d = frames[i]!.t - frames[i - 1]!.t;
    if (d > 0) deltas.push(d);
  }
  if (deltas.length === 0) return 1 / 25;
  deltas.sort((a, b) => a - b);
  return deltas[Math.floor(deltas.length / 2)]!;
}

/** Where the video ends: after its last frame (bounded by the probed duration when that is shorter). */
export function videoEndSeconds(frames: readonly FrameMetric[], probedDuration: number | null): number {
  if (frames.length === 0) return probedDuration ?? 0;
  const afterLast = frames.at(-1)!.t + frameSeconds(frames);
  return probedDuration && probedDuration > 0 ? Math.min(afterLast, Math.max(probedDuration, frames.at(-1)!.t)) : afterLast;
}
