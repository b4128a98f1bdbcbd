/**
 * Where a segmented encode cuts its input, pure: at the keyframe nearest each multiple of the chunk
 * length, or at a scene cut near it where the video's scenes are known (a chunk never shorter than
 * half of it), each chunk described by the frames it must hold.
 *
 * Frame-exact seams rest on two facts of ffmpeg's input seeking: `-ss X` before `-i` starts decoding
 * at the keyframe at or before X and drops every frame whose time is below X; `-frames:v N` stops
 * after N frames. So a chunk seeks to half a frame before its first keyframe (no rounding of a
 * printed time can drop that keyframe or keep the frame before it) and encodes exactly the frames
 * whose presentation times fall between its keyframe and the next chunk's.
 */

export interface FrameTimes {
  /** Presentation time (s, as ffprobe prints it) of every video frame, ascending. */
  readonly frames: readonly number[];
  /** Those of the keyframes, ascending. */
  readonly keyframes: readonly number[];
  /** The container's start time: ffmpeg's -ss counts from it. */
  readonly startTime: number;
}

export interface Chunk {
  readonly index: number;
  /** Presentation time of the chunk's first frame (a keyframe). */
  readonly startSeconds: number;
  /** -ss for it, relative to the container's start time. */
  readonly seekSeconds: number;
  readonly frames: number;
  /** Until the next chunk's first frame (or the last frame's time plus one frame). */
  readonly durationSeconds: number;
}

/** The frame interval to assume at the end (the median of the last few intervals; 1/25 s for a single frame). */
function lastInterval(frames: readonly number[]): number {
  const gaps = frames.slice(-9).map((t, i, a) => (i === 0 ? NaN : t - a[i - 1]!)).filter((g) => Number.isFinite(g) && g > 0).sort((a, b) => a - b);
  return gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)]! : 0.04;
}

/** The first frame index at or after `t` (binary search). */
function firstAtOrAfter(frames: readonly number[], t: number): number {
  let lo = 0;
  let hi = frames.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How far from a planned cut a scene cut may be and still win over the keyframe nearest the plan (a fraction of the chunk length). */
export const SCENE_WINDOW = 0.25;

/** The element of the ascending `sorted` nearest `t`, or null when empty. */
function nearest(sorted: readonly number[], t: number): number | null {
  const i = firstAtOrAfter(sorted, t);
  const after = sorted[i];
  const before = sorted[i - 1];
  if (before === undefined) return after ?? null;
  if (after === undefined) return before;
  return t - before <= after - t ? before : after;
}

/**
 * The chunks of a video cut near every `chunkSeconds`; one chunk when it has no usable keyframe to cut at.
 * `sceneCuts` (s from the first frame, the analysis store's scene starts): a scene cut within
 * ±SCENE_WINDOW of a chunk length of a planned cut wins over the plain keyframe nearest the plan, cut
 * at the keyframe nearest the scene cut (an encoder puts one there: a seam there costs no bits and no
 * visible change of quality mid-shot); the one nearest the planned time when several qualify.
 */
export function planCuts(times: FrameTimes, chunkSeconds: number, sceneCuts: readonly number[] = []): Chunk[] {
  const { frames } = times;
  if (frames.length === 0) return [];
  const first = frames[0]!;
  const end = frames.at(-1)! + lastInterval(frames);
  const cuts = [first];
  const keys = times.keyframes.filter((k) => k > first);
  // each scene cut as the keyframe it falls on (or nearest to), in the frames' time base
  const sceneKeys = [...new Set(sceneCuts.map((t) => nearest(keys, first + t)).filter((k): k is number => k !== null))].sort((a, b) => a - b);
  const window = chunkSeconds * SCENE_WINDOW;
  for (let target = first + chunkSeconds; end - target > chunkSeconds / 2; target += chunkSeconds) {
    const last = cuts.at(-1)!;
    const usable = (k: number) => k - last >= chunkSeconds / 2 && end - k >= chunkSeconds / 2;
    let best: number | null = null;
    for (const k of sceneKeys) {
      if (!usable(k) || Math.abs(k - target) > window) continue;
      if (best === null || Math.abs(k - target) < Math.abs(best - target)) best = k;
    }
    if (best === null) {
      for (const k of keys) {
        if (!usable(k)) continue;
        if (best === null || Math.abs(k - target) < Math.abs(best - target)) best = k;
      }
    }
    if (best !== null && best !== last) cuts.push(best);
  }
  return cuts.map((start, index) => {
    const from = firstAtOrAfter(frames, start);
    const next = cuts[index + 1];
    const to = next === undefined ? frames.length : firstAtOrAfter(frames, next);
    const before = from > 0 ? frames[from - 1]! : null;
    const seek = before === null ? 0 : (before + start) / 2 - times.startTime;
    return { index, startSeconds: start, seekSeconds: Math.max(0, seek), frames: to - from, durationSeconds: (next ?? end) - start };
  });
}

/** Parses ffprobe's `-show_entries packet=pts_time,flags:format=start_time -of json` output. */
export function frameTimesOf(json: { packets?: { pts_time?: string; flags?: string }[]; format?: { start_time?: string } }): FrameTimes {
  const frames: number[] = [];
  const keyframes: number[] = [];
  for (const p of json.packets ?? []) {
    const t = Number(p.pts_time);
    if (p.pts_time === undefined || !Number.isFinite(t)) continue;
    frames.push(t);
    if (p.flags?.startsWith('K')) keyframes.push(t);
  }
  frames.sort((a, b) => a - b);
  keyframes.sort((a, b) => a - b);
  const start = Number(json.format?.start_time);
  return { frames, keyframes, startTime: Number.isFinite(start) ? start : 0 };
}
