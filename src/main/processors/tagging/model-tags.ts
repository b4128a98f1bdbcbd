/**
 * Per-frame detections → tags. Pure.
 *
 * Each label seen at or above the minimum confidence in at least one sample becomes one tag: its
 * highest confidence, and the time range from the first to the last sample it was seen in, each
 * sample standing for the stretch of video around it (half the sample spacing either side,
 * clamped to the video). `face` comes from the face detector, `person` and the other COCO
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
  const seen = new Map<string, { max: number; first: number; last: number }>();
  for (const s of samples) {
    for (const d of s.detections) {
      if (d.score < o.minConfidence) continue;
      const name = tagName(d.label);
      const known = seen.get(name);
      if (!known) seen.set(name, { max: d.score, first: s.t, last: s.t });
      else {
        known.max = Math.max(known.max, d.score);
        known.first = Math.min(known.first, s.t);
        known.last = Math.max(known.last, s.t);
      }
    }
  }
  const half = o.stepSeconds / 2;
  return [...seen.entries()]
    .map(([tag, v]) => ({
      tag,
      confidence: round3(Math.min(1, v.max)),
      startSeconds: round3(Math.max(0, v.first - half)),
      endSeconds: round3(Math.min(o.durationSeconds, v.last + half)),
    }))
    .sort((a, b) => b.confidence - a.confidence || a.tag.localeCompare(b.tag));
}
