/**
 * The analysis pass with real ffmpeg: both detectors find the same cuts on a clip of known
 * content, loudness follows the sound, and a cancel stops ffmpeg.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoRecord } from '../../core/library-ports';
import { makeTempDir, TEST_FFMPEG } from '../media/testing/clips';
import { recordingContext } from '../library/testing';
import type { InputVideo } from '../steps/input-videos';
import { detectScenes } from './scene-detection';
import { cutTimes, makeCutClip, type PictureSegment } from './testing/analysis-clips';
import { analyseVideo, chooseDetector } from './video-analysis';

const PICTURES: PictureSegment[] = [
  { source: 'testsrc2', seconds: 2 },
  { source: 'smptebars', seconds: 2 },
  { source: 'noise', seconds: 2 },
];
let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let clip: InputVideo;
let long: InputVideo;

const input = (absolutePath: string, durationSeconds: number): InputVideo => ({ record: { id: 'v', path: 'videos/x.mp4' } as VideoRecord, absolutePath, durationSeconds, hasAudio: true });

beforeAll(async () => {
  tmp = await makeTempDir('mjc-analysis-pass');
  clip = input(await makeCutClip(tmp.dir, 'cuts.mp4', { pictures: PICTURES, sound: [{ seconds: 3, volume: 0.01 }, { seconds: 3, volume: 0.9 }] }), 6);
  long = input(await makeCutClip(tmp.dir, 'long.mp4', { pictures: [{ source: 'testsrc2', seconds: 40 }], width: 640, height: 360, preset: 'ultrafast' }), 40);
}, 60_000);
afterAll(async () => tmp.cleanup());

describe('analysis pass', () => {
  it('uses scdet on this ffmpeg', async () => {
    expect(await chooseDetector(TEST_FFMPEG)).toBe('scdet');
  });

  it.each(['scdet', 'select'] as const)('%s: cuts within 2 frames, loudness from the sound, progress and log', async (detector) => {
    const ctx = recordingContext('scene_extract', {});
    const analysis = await analyseVideo(ctx, clip, { ffmpegPath: TEST_FFMPEG, loudness: true, progressRange: [0, 50], detector });
    expect(analysis.frames).toHaveLength(150);
    expect(analysis.frameSeconds).toBeCloseTo(0.04, 6);
    expect(analysis.endSeconds).toBeCloseTo(6, 6);
    const scenes = detectScenes(analysis.frames, { threshold: 0.3, minSceneLength: 1, endSeconds: analysis.endSeconds });
    expect(scenes).toHaveLength(3);
    cutTimes(PICTURES).forEach((cut, i) => expect(Math.abs(scenes[i + 1]!.startSeconds - cut)).toBeLessThanOrEqual(0.08 + 1e-6));
    const loud = (from: number, to: number) => analysis.loudness!.filter((s) => s.t >= from && s.t < to).map((s) => s.lufs);
    expect(Math.min(...loud(3.5, 6))).toBeGreaterThan(Math.max(...loud(0.5, 3)) + 30);
    expect(ctx.progressReports.at(-1)).toBe(50);
    expect(ctx.logs.join('\n')).toMatch(new RegExp(`Analysed 150 frames .* detector ${detector}`));
  });

  it('stops ffmpeg on cancel', async () => {
    const ctx = recordingContext('scene_extract', {});
    const running = analyseVideo(ctx, long, { ffmpegPath: TEST_FFMPEG, loudness: true, progressRange: [0, 100] });
    const started = Date.now();
    while (ctx.progressReports.length === 0 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 20));
    ctx.controller.abort(new Error('cancelled by test'));
    await expect(running).rejects.toThrow('cancelled by test');
    expect(ctx.logs.join('\n')).not.toMatch(/software decoding/);
  });
});
