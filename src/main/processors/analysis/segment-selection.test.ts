import { describe, expect, it } from 'vitest';
import type { FrameMetric, LoudnessSample } from './frame-metrics';
import { detectScenes } from './scene-detection';
import { mergeTouching, selectDigest, selectHighlights, totalSeconds } from './segment-selection';
import { makeWindows, scoreWindows, tagScorerFrom, type ScoredWindow } from './window-scoring';

const FS = 1 / 25;
const frames = (seconds: number, motion: (t: number) => number = () => 3): FrameMetric[] => Array.from({ length: seconds * 25 }, (_, i) => ({ t: i * FS, scene: 0, motion: motion(i * FS) }));
const loud = (seconds: number, lufs: (t: number) => number): LoudnessSample[] => Array.from({ length: seconds * 10 }, (_, i) => ({ t: i / 10, lufs: lufs(i / 10) }));
const win = (start: number, end: number, score: number): ScoredWindow => ({ startSeconds: start, endSeconds: end, sceneIndex: 0, motion: null, loudness: null, tags: null, score });
const seq = (scores: readonly number[], length = 2) => scores.map((s, i) => win(i * length, (i + 1) * length, s));

describe('windows and their scores', () => {
  it('splits scenes into ~2-s windows on frame boundaries, never across a cut', () => {
    const f = frames(7);
    f[75] = { ...f[75]!, scene: 0.8 };
    const scenes = detectScenes(f, { threshold: 0.3, minSceneLength: 1, endSeconds: 7 });
    expect(makeWindows(f, scenes, FS).map((w) => [w.startSeconds, w.endSeconds, w.sceneIndex])).toEqual([
      [0, 2, 0],
      [2, 3, 0], // a 1-s remainder (half a window or more) stays a window
      [3, 5, 1],
      [5, 7, 1],
    ]);
    expect(makeWindows(f, scenes, FS, 2.4).map((w) => [w.startSeconds, w.endSeconds])).toEqual([[0, 3], [3, expect.closeTo(5.4, 9)], [expect.closeTo(5.4, 9), 7]]);
  });

  it('prefers the loud part when the picture is the same, and the moving part when the sound is', () => {
    const f = frames(8, (t) => 3 + (t % 1) * 0.3); // steady motion with a little jitter
    const scenes = detectScenes(f, { threshold: 0.3, minSceneLength: 1, endSeconds: 8 });
    const quietThenLoud = scoreWindows({ frames: f, scenes, frameSeconds: FS, loudness: loud(8, (t) => (t < 4 ? -45 : -12)) });
    // equal motion counts for nothing; loudness decides (the other half of the weight)
    expect(quietThenLoud.map((w) => w.score)).toEqual([0, 0, 0.5, 0.5].map((x) => expect.closeTo(x, 2)));
    const moving = frames(8, (t) => (t >= 2 && t < 4 ? 20 : 2));
    const s2 = scoreWindows({ frames: moving, scenes, frameSeconds: FS, loudness: loud(8, () => -20) });
    expect(s2.map((w) => w.score)).toEqual([0, 1, 0, 0].map((x) => expect.closeTo(x * 0.5, 3)));
    const noAudio = scoreWindows({ frames: moving, scenes, frameSeconds: FS, loudness: null });
    expect(noAudio[1]!.score).toBeCloseTo(1, 6);
  });

  it('adds detected objects through the tags hook', () => {
    const f = frames(8);
    const scenes = detectScenes(f, { threshold: 0.3, minSceneLength: 1, endSeconds: 8 });
    const tagScorer = tagScorerFrom([
      { confidence: 0.9, startSeconds: 6.5, endSeconds: 7 },
      { confidence: 1, startSeconds: null, endSeconds: null },
    ]);
    const scored = scoreWindows({ frames: f, scenes, frameSeconds: FS, loudness: null, tagScorer });
    expect(scored.map((w) => w.tags)).toEqual([0, 0, 0, 0.9]);
    expect(scored[3]!.score).toBeGreaterThan(scored[0]!.score);
    expect(tagScorerFrom([{ confidence: 1, startSeconds: null, endSeconds: null }])).toBeNull();
  });
});

describe('digest selection', () => {
  it('takes the best windows up to the target, cuts the last one short, and keeps time order', () => {
    const chosen = selectDigest(seq([0.1, 0.9, 0.2, 0.8, 0.7]), { targetSeconds: 5, includeHighlights: true, frameSeconds: FS });
    expect(chosen.map((s) => [s.startSeconds, s.endSeconds])).toEqual([[2, 4], [6, 9]]);
    expect(totalSeconds(chosen)).toBeCloseTo(5, 9);
    expect(chosen[1]!.score).toBeCloseTo((0.8 * 2 + 0.7 * 1) / 3, 9);
  });

  it('covers the timeline when highlights are not wanted', () => {
    const chosen = selectDigest(seq([0.9, 0.8, 0.1, 0.2, 0.3, 0.1]), { targetSeconds: 4, includeHighlights: false, frameSeconds: FS });
    expect(chosen.map((s) => [s.startSeconds, s.endSeconds])).toEqual([[0, 2], [8, 10]]);
  });

  it('is the whole video when that is not longer than the target', () => {
    expect(selectDigest(seq([0.1, 0.2]), { targetSeconds: 10, includeHighlights: true, frameSeconds: FS })).toEqual([{ startSeconds: 0, endSeconds: 4, score: expect.closeTo(0.15, 9) }]);
  });

  it('merges touching segments', () => {
    expect(mergeTouching([win(2, 4, 1), win(0, 2, 0), win(5, 6, 1)].map((w) => ({ startSeconds: w.startSeconds, endSeconds: w.endSeconds, score: w.score })))).toEqual([
      { startSeconds: 0, endSeconds: 4, score: 0.5 },
      { startSeconds: 5, endSeconds: 6, score: 1 },
    ]);
  });
});

describe('highlight selection', () => {
  it('centres count equal moments on the best windows without overlaps, in time order', () => {
    const windows = seq([0.1, 0.2, 0.9, 0.1, 0.1, 0.8, 0.85, 0.1, 0.1, 0.1]);
    const moments = selectHighlights(windows, { targetSeconds: 8, count: 2, frameSeconds: FS });
    expect(moments.map((m) => [m.startSeconds, m.endSeconds])).toEqual([[3, 7], [11, 15]].map((r) => r.map((x) => expect.closeTo(x, 9))));
    expect(totalSeconds(moments)).toBeCloseTo(8, 9);
  });

  it('defaults to one 5-s moment per 5 s of target and fills gaps overlaps left', () => {
    const windows = seq([0.1, 0.9, 0.8, 0.7, 0.1, 0.1]);
    const moments = selectHighlights(windows, { targetSeconds: 10, frameSeconds: FS });
    expect(moments).toHaveLength(2);
    expect(totalSeconds(moments)).toBeCloseTo(10, 9);
    for (let i = 1; i < moments.length; i++) expect(moments[i]!.startSeconds).toBeGreaterThanOrEqual(moments[i - 1]!.endSeconds - 1e-9);
  });
});
