/**
 * Choosing what goes into a digest or a highlight reel from scored windows, pure. Every result is
 * in time order, on frame boundaries, and totals the target length (to the frame) unless the
 * video is shorter, in which case it is the whole video.
 *
 * - Digest, includeHighlights (default): the best-scoring windows first until the target is
 *   reached (the last one cut short), then put back in time order; touching windows merge into
 *   one segment.
 * - Digest without highlights: a representative summary: the timeline is cut into as many equal
 *   parts as the target holds windows, and each part gives its best window (then the best of the
 *   rest fill any gap).
 * - Highlights: `count` moments (default one per 5 s of target) of equal length, each centred on
 *   one of the best windows, never overlapping; each moment stays its own segment.
 */
import type { ScoredWindow } from './window-scoring';

export interface Segment {
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** Duration-weighted mean score of the windows it covers (0–1). */
  readonly score: number;
}

const EPS = 1e-6;
export const DEFAULT_MOMENT_SECONDS = 5;

export function totalSeconds(segments: readonly { startSeconds: number; endSeconds: number }[]): number {
  return segments.reduce((sum, s) => sum + (s.endSeconds - s.startSeconds), 0);
}

/** A length rounded to whole frames. */
function frames(seconds: number, frameSeconds: number): number {
  return Math.round(seconds / frameSeconds) * frameSeconds;
}

/** Duration-weighted mean score of the windows overlapping [start, end). */
export function spanScore(windows: readonly ScoredWindow[], start: number, end: number): number {
  let sum = 0;
  let weight = 0;
  for (const w of windows) {
    const overlap = Math.min(end, w.endSeconds) - Math.max(start, w.startSeconds);
    if (overlap <= EPS) continue;
    sum += w.score * overlap;
    weight += overlap;
  }
  return weight > 0 ? sum / weight : 0;
}

/** Sorted by start; segments that touch become one (score weighted by duration). */
export function mergeTouching(segments: readonly Segment[]): Segment[] {
  const sorted = [...segments].sort((a, b) => a.startSeconds - b.startSeconds);
  const out: Segment[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.startSeconds - last.endSeconds <= EPS) {
      const a = last.endSeconds - last.startSeconds;
      const b = s.endSeconds - s.startSeconds;
      out[out.length - 1] = { startSeconds: last.startSeconds, endSeconds: Math.max(last.endSeconds, s.endSeconds), score: (last.score * a + s.score * b) / Math.max(a + b, EPS) };
    } else out.push(s);
  }
  return out;
}

function wholeVideo(windows: readonly ScoredWindow[]): Segment[] {
  if (windows.length === 0) return [];
  const start = windows[0]!.startSeconds;
  const end = windows.at(-1)!.endSeconds;
  return [{ startSeconds: start, endSeconds: end, score: spanScore(windows, start, end) }];
}

const byScore = (a: ScoredWindow, b: ScoredWindow): number => b.score - a.score || a.startSeconds - b.startSeconds;

/** Takes windows in the given order until `target` seconds are filled (the last one cut short). */
function fill(order: readonly ScoredWindow[], target: number, frameSeconds: number): Segment[] {
  const chosen: Segment[] = [];
  let left = frames(target, frameSeconds);
  for (const w of order) {
    if (left < frameSeconds / 2) break;
    const length = w.endSeconds - w.startSeconds;
    const take = length <= left + EPS ? length : frames(left, frameSeconds);
    if (take < frameSeconds / 2) continue;
    chosen.push({ startSeconds: w.startSeconds, endSeconds: w.startSeconds + take, score: w.score });
    left -= take;
  }
  return chosen;
}

export interface DigestOptions {
  readonly targetSeconds: number;
  readonly includeHighlights: boolean;
  readonly frameSeconds: number;
}

export function selectDigest(windows: readonly ScoredWindow[], options: DigestOptions): Segment[] {
  const { targetSeconds, frameSeconds } = options;
  if (totalSeconds(windows) <= targetSeconds + frameSeconds / 2) return wholeVideo(windows);
  let order: ScoredWindow[];
  if (options.includeHighlights) order = [...windows].sort(byScore);
  else {
    const start = windows[0]!.startSeconds;
    const span = windows.at(-1)!.endSeconds - start;
    const meanLength = totalSeconds(windows) / windows.length;
    const parts = Math.max(1, Math.ceil(targetSeconds / meanLength));
    const picks: ScoredWindow[] = [];
    for (let p = 0; p < parts; p++) {
      const from = start + (span * p) / parts;
      const to = start + (span * (p + 1)) / parts;
      const inPart = windows.filter((w) => {
        const mid = (w.startSeconds + w.endSeconds) / 2;
        return mid >= from && mid < to;
      });
      const best = inPart.sort(byScore)[0];
      if (best && !picks.includes(best)) picks.push(best);
    }
    order = [...picks.sort(byScore), ...windows.filter((w) => !picks.includes(w)).sort(byScore)];
  }
  return mergeTouching(fill(order, targetSeconds, frameSeconds));
}

export interface HighlightOptions {
  readonly targetSeconds: number;
  readonly count?: number;
  readonly frameSeconds: number;
}

export function selectHighlights(windows: readonly ScoredWindow[], options: HighlightOptions): Segment[] {
  const { targetSeconds, frameSeconds } = options;
  if (windows.length === 0) return [];
  const videoStart = windows[0]!.startSeconds;
  const videoEnd = windows.at(-1)!.endSeconds;
  if (videoEnd - videoStart <= targetSeconds + frameSeconds / 2) return wholeVideo(windows);
  const count = options.count ?? Math.max(1, Math.round(targetSeconds / DEFAULT_MOMENT_SECONDS));
  const length = Math.max(frameSeconds, frames(targetSeconds / count, frameSeconds));
  const chosen: Segment[] = [];
  const free = (start: number, end: number) => chosen.every((c) => end <= c.startSeconds + EPS || start >= c.endSeconds - EPS);
  const place = (start: number): boolean => {
    const s = Math.min(Math.max(videoStart, videoStart + frames(start - videoStart, frameSeconds)), videoEnd - length);
    const e = s + length;
    if (s < videoStart - EPS || !free(s, e)) return false;
    chosen.push({ startSeconds: s, endSeconds: e, score: spanScore(windows, s, e) });
    return true;
  };
  const ranked = [...windows].sort(byScore);
  // centred on the best windows first; then, where overlaps left gaps, aligned to a window's start or end
  for (const w of ranked) {
    if (chosen.length >= count) break;
    place((w.startSeconds + w.endSeconds) / 2 - length / 2);
  }
  for (const w of ranked) {
    if (chosen.length >= count) break;
    if (!place(w.startSeconds)) place(w.endSeconds - length);
  }
  return chosen.sort((a, b) => a.startSeconds - b.startSeconds);
}
