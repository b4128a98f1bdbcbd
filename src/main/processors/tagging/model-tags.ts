/**
 * Per-frame detections → tags. Pure.
 *
 * A label seen at or above the minimum confidence becomes a tag for each run of consecutive samples
 * it was seen in: the run's highest confidence and its time range, each sample standing for the
 * stretch of video around it (half the sample spacing either side, clamped to the video). A face
 * in the first and the last minute of a video is two records, not one spanning it all (the digest
 * scorer reads the ranges); lists and the video view show each tag once, at its highest. `face` comes from the face detector, `person` and the other COCO
 * classes from the object detector; class names with spaces get hyphens (`traffic-light`), like
 * the signal tags (`high-motion`).
 */
import type { TagRecord } from '../../core/analysis-ports';
import type { Detection } from './detector';

export interface SampleDetections {
  readonly t: number;
  readonly detections: readonly Detection[];
}

export const tagName = (label: string): string => label.trim().toLowerCase().replace(/\s+/g, '-');

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

export function modelTags(samples: readonly SampleDetections[], o: { minConfidence: number; durationSeconds: number; stepSeconds: number }): TagRecord[] {
  type Run = { tag: string; max: number; first: number; last: number; lastIndex: number };
  const open = new Map<string, Run>();
  const runs: Run[] = [];
  const ordered = [...samples].sort((a, b) => a.t - b.t);
  ordered.forEach((s, i) => {
    for (const d of s.detections) {
      if (d.score < o.minConfidence) continue;
      const tag = tagName(d.label);
      const run = open.get(tag);
      if (run && run.lastIndex >= i - 1) {
        run.max = Math.max(run.max, d.score);
        run.last = s.t;
        run.lastIndex = i;
      } else {
        const fresh = { tag, max: d.score, first: s.t, last: s.t, lastIndex: i };
        open.set(tag, fresh);
        runs.push(fresh);
      }
    }
  });
  const half = o.stepSeconds / 2;
  return runs
    .map((r) => ({
      tag: r.tag,
      confidence: round3(Math.min(1, r.max)),
      startSeconds: round3(Math.max(0, r.first - half)),
      endSeconds: round3(Math.min(o.durationSeconds, r.last + half)),
    }))
    .sort((a, b) => b.confidence - a.confidence || a.tag.localeCompare(b.tag) || a.startSeconds - b.startSeconds);
}
