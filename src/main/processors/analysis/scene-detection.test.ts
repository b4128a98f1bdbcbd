import { describe, expect, it } from 'vitest';
import { frameMetrics, frameSeconds, loudnessSamples, parseMetadataPrint, scdetToScene, videoEndSeconds, type FrameMetric } from './frame-metrics';
import { detectScenes, findCuts } from './scene-detection';

const SCDET = `frame:0    pts:0       pts_time:0
lavfi.scd.mafd=0.000
lavfi.scd.score=0.000
frame:1    pts:40000   pts_time:0.04
lavfi.scd.mafd=0.760
lavfi.scd.score=0.760
frame:2    pts:12345678901 pts_time:12345.7
lavfi.scd.mafd=29.927
lavfi.scd.score=29.025
`;

describe('metadata print parsing', () => {
  it('reads blocks of frame headers and key=value lines, skipping junk', () => {
    const blocks = parseMetadataPrint(`${SCDET}garbage\nframe:3 pts:NOPTS pts_time:NOPTS\nlavfi.x=1\nframe:4 pts:NOPTS pts_time:7.5\n`);
    expect(blocks.map((b) => [b.frame, b.t, b.values.get('lavfi.scd.score')])).toEqual([
      [0, 0, 0],
      [1, 0.04, 0.76],
      [2, 12345.678901, 29.025], // from pts in µs: pts_time has 6 significant digits
      [4, 7.5, undefined],
    ]);
  });

  it('puts scdet and select on one scale', () => {
    const scdet = frameMetrics('scdet', SCDET);
    expect(scdet.map((f) => f.t)).toEqual([0, 0.04, 12345.678901]);
    expect(scdet[2]!.scene).toBeCloseTo(0.743, 3); // what select reports for the same frame
    expect(scdet[2]!.motion).toBeCloseTo(29.927, 3);
    expect(scdetToScene(100)).toBe(1);
    const select = frameMetrics(
      'select',
      'frame:0 pts:0 pts_time:0\nlavfi.scene_score=0.000000\nframe:1 pts:40000 pts_time:0.04\nlavfi.scene_score=0.743035\n',
      'frame:0 pts:0 pts_time:0\nlavfi.signalstats.YDIF=0\nframe:1 pts:40000 pts_time:0.04\nlavfi.signalstats.YDIF=76.5\n',
    );
    expect(select[1]).toEqual({ t: 0.04, scene: 0.743035, motion: expect.closeTo(30, 9) });
  });

  it('reads momentary loudness and the frame interval and end of the video', () => {
    expect(loudnessSamples('frame:0 pts:100000 pts_time:0.1\nlavfi.r128.M=-120.691\nframe:1 pts:200000 pts_time:0.2\nlavfi.r128.M=-21.7\n')).toEqual([
      { t: 0.1, lufs: -120.691 },
      { t: 0.2, lufs: -21.7 },
    ]);
    const frames = Array.from({ length: 50 }, (_, i) => ({ t: i * 0.04, scene: 0, motion: 1 }));
    expect(frameSeconds(frames)).toBeCloseTo(0.04, 9);
    expect(videoEndSeconds(frames, 2.1)).toBeCloseTo(2, 9);
    expect(videoEndSeconds(frames, null)).toBeCloseTo(2, 9);
    expect(videoEndSeconds([], 3)).toBe(3);
  });
});

/** 25 fps frames with a steady motion of 3 % and jumps at the given frame indices. */
function clip(seconds: number, cuts: Record<number, number>, noise = 0.02): FrameMetric[] {
  return Array.from({ length: seconds * 25 }, (_, i) => ({ t: i / 25, scene: cuts[i] ?? (i % 7) * noise, motion: cuts[i] ? 40 : 3 }));
}

describe('scene detection', () => {
  it('cuts where the score reaches the threshold, and only there', () => {
    const frames = clip(6, { 50: 0.74, 100: 0.59 });
    expect(findCuts(frames, 0.3, 1)).toEqual([50, 100]);
    const scenes = detectScenes(frames, { threshold: 0.3, minSceneLength: 1, endSeconds: 6 });
    expect(scenes.map((s) => [s.startSeconds, s.endSeconds, s.score])).toEqual([
      [0, 2, 0],
      [2, 4, 0.74],
      [4, 6, 0.59],
    ]);
    expect(scenes[1]!.motion).toBe(3); // the cut frame is not motion
    expect(scenes.map((s) => [s.startFrame, s.endFrame])).toEqual([[0, 50], [50, 100], [100, 150]]);
  });

  it('keeps cuts closer than minSceneLength to the previous one in the same scene', () => {
    const frames = clip(6, { 50: 0.7, 60: 0.8, 100: 0.6 });
    expect(findCuts(frames, 0.3, 1)).toEqual([50, 100]);
    expect(findCuts(frames, 0.3, 0)).toEqual([50, 60, 100]);
    expect(findCuts(frames, 0.65, 1)).toEqual([50]);
    expect(findCuts(frames, 0.3, 5)).toEqual([]);
  });

  it('is one scene for a video without cuts, or without frames', () => {
    expect(detectScenes(clip(3, {}), { threshold: 0.3, minSceneLength: 1, endSeconds: 3 }).map((s) => [s.startSeconds, s.endSeconds])).toEqual([[0, 3]]);
    expect(detectScenes([], { threshold: 0.3, minSceneLength: 1, endSeconds: 3 })).toHaveLength(1);
  });
});
