/**
 * Content-based cut detection over per-frame metrics, pure (the idea of PySceneDetect's content
 * detector, on ffmpeg's frame difference):
 *
 * - The cut score of a frame is ffmpeg's `scene` value, min(mafd, |mafd − previous mafd|): a
 *   cut makes the frame difference jump, while steady motion (a pan, testsrc2's moving pattern)
 *   keeps it high but flat, so the jump term stays small and steady motion is never a cut.
 * - A frame whose score reaches `threshold` opens a new scene, unless the current scene is
 *   shorter than `minSceneLength` seconds (a flash or a burst of cuts then stays in one scene).
 * - Scenes tile the video: the first starts at 0, the last ends at the end of the video; each
 *   scene starts on a frame time, so a cut is reported exactly where the new picture begins.
 */
import type { FrameMetric } from './frame-metrics';

export interface DetectOptions {
  /** ffmpeg `scene` scale, 0–1 (0.3 by default in the job params). */
  readonly threshold: number;
  /** Seconds. */
  readonly minSceneLength: number;
  /** End of the video (seconds from the first frame). */
  readonly endSeconds: number;
}

export interface DetectedScene {
  readonly index: number;
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** Score of the cut that opened it (0 for the first scene). */
  readonly score: number;
  /** Mean motion of its frames after the first (percent of full scale). */
  readonly motion: number | null;
  /** Frame indices [startFrame, endFrame) into the metrics. */
  readonly startFrame: number;
  readonly endFrame: number;
}

/** Indices of the frames that open a new scene (never frame 0). */
export function findCuts(frames: readonly FrameMetric[], threshold: number, minSceneLength: number): number[] {
  const cuts: number[] = [];
  let sceneStart = frames[0]?.t ?? 0;
  for (let i = 1; i < frames.length; i++) {
    const f = frames[i]!;
    // a small tolerance: 2.0 − 1.0 must count as a 1-s scene in floating point
    if (f.scene >= threshold && f.t - sceneStart >= minSceneLength - 1e-6) {
      cuts.push(i);
      sceneStart = f.t;
    }
  }
  return cuts;
}

function meanMotion(frames: readonly FrameMetric[], from: number, to: number): number | null {
  // the first frame's difference is the cut itself, not motion inside the scene
  const first = from + 1 < to ? from + 1 : from;
  if (first >= to) return null;
  let sum = 0;
  for (let i = first; i < to; i++) sum += frames[i]!.motion;
  return sum / (to - first);
}

export function detectScenes(frames: readonly FrameMetric[], options: DetectOptions): DetectedScene[] {
  if (frames.length === 0) {
    return options.endSeconds > 0 ? [{ index: 0, startSeconds: 0, endSeconds: options.endSeconds, score: 0, motion: null, startFrame: 0, endFrame: 0 }] : [];
  }
  const starts = [0, ...findCuts(frames, options.threshold, options.minSceneLength)];
  return starts.map((startFrame, index) => {
    const endFrame = starts[index + 1] ?? frames.length;
    const startSeconds = index === 0 ? 0 : frames[startFrame]!.t;
    const endSeconds = endFrame < frames.length ? frames[endFrame]!.t : Math.max(options.endSeconds, frames.at(-1)!.t);
    return {
      index,
      startSeconds,
      endSeconds,
      score: index === 0 ? 0 : frames[startFrame]!.scene,
      motion: meanMotion(frames, startFrame, endFrame),
      startFrame,
      endFrame,
    };
  });
}
