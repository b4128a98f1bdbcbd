import { describe, expect, it } from 'vitest';
import { frameTimesOf, planCuts } from './cut-plan';

/** 25 fps, a keyframe every `gop` frames, `seconds` long. */
function clip(seconds: number, gop: number, startTime = 0) {
  const frames = Array.from({ length: seconds * 25 }, (_, i) => startTime + i / 25);
  return { frames, keyframes: frames.filter((_, i) => i % gop === 0), startTime };
}

describe('planCuts', () => {
  it('cuts at the keyframe nearest each multiple of the chunk length, every frame in exactly one chunk', () => {
    const chunks = planCuts(clip(100, 50), 15);
    expect(chunks.map((c) => c.startSeconds)).toEqual([0, 14, 30, 44, 60, 74, 90]);
    expect(chunks.reduce((n, c) => n + c.frames, 0)).toBe(2500);
    expect(chunks[1]).toMatchObject({ frames: 400, durationSeconds: 16 });
    // half a frame before its keyframe: a printed time rounded either way still keeps it and drops the frame before
    expect(chunks[1]!.seekSeconds).toBeCloseTo(14 - 0.02, 6);
    expect(chunks.at(-1)).toMatchObject({ frames: 250 });
    expect(chunks.at(-1)!.durationSeconds).toBeCloseTo(10, 6);
  });

  it('never makes a chunk shorter than half the length, and keeps one chunk when there is nowhere to cut', () => {
    expect(planCuts(clip(20, 500), 15)).toEqual([{ index: 0, startSeconds: 0, seekSeconds: 0, frames: 500, durationSeconds: 20 }]);
    for (const c of planCuts(clip(61, 25), 20)) expect(c.durationSeconds).toBeGreaterThanOrEqual(10);
  });

  it('cuts at a stored scene cut within ±25 % of the chunk length of a planned cut, on the keyframe it falls on or nearest to', () => {
    // a keyframe every second, cuts planned at 15, 30 and 45 s, a window of ±3.75 s: the scene cut at 33.2 s
    // (keyframe 33) is in it; those at 18.9 s and 41 s are 3.9 s and 4 s away from a planned cut
    const plain = planCuts(clip(60, 25), 15).map((c) => c.startSeconds);
    expect(plain).toEqual([0, 15, 30, 45]);
    const withScenes = planCuts(clip(60, 25), 15, [18.9, 33.2, 41]).map((c) => c.startSeconds);
    expect(withScenes).toEqual([0, 15, 33, 45]);
    // several in the window: the one nearest the plan (18.6 s → keyframe 19, nearer 17 than 14); a scene time counts from the first frame
    expect(planCuts(clip(60, 25, 2), 15, [12, 16.6, 28.7]).map((c) => c.startSeconds)).toEqual([2, 19, 31, 47]);
    // the minimum chunk length still holds: a scene cut too close to the previous cut is passed over
    expect(planCuts(clip(60, 25), 20, [7]).map((c) => c.startSeconds)).toEqual([0, 20, 40]);
  });

  it('seeks relative to the container start time', () => {
    const chunks = planCuts(clip(40, 25, 1.4), 20);
    expect(chunks[1]!.startSeconds).toBeCloseTo(21.4, 6);
    expect(chunks[1]!.seekSeconds).toBeCloseTo(20 - 0.02, 6);
  });

  it('reads ffprobe packets in presentation order (B-frames come out of order)', () => {
    const t = frameTimesOf({ packets: [{ pts_time: '0.000000', flags: 'K__' }, { pts_time: '0.080000', flags: '___' }, { pts_time: '0.040000', flags: '___' }, { pts_time: 'N/A' }], format: { start_time: '0.000000' } });
    expect(t).toEqual({ frames: [0, 0.04, 0.08], keyframes: [0], startTime: 0 });
  });
});
