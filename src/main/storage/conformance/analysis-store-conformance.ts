/**
 * Conformance suite of the AnalysisStore (scenes, segments, tags): every adapter must pass it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnalysisStore, SceneRecord } from '../../core/analysis-ports';

const VIDEO = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function scene(index: number, start: number, end: number, extra: Partial<SceneRecord> = {}): SceneRecord {
  return { index, startSeconds: start, endSeconds: end, score: index === 0 ? 0 : 0.5, motion: 1.25, keyframePath: `thumbnails/scenes/v/scene-${index}.jpg`, clipPath: null, ...extra };
}

export function describeAnalysisStoreConformance(adapterName: string, factory: () => Promise<{ analysis: AnalysisStore; close(): Promise<void> }>): void {
  describe(`AnalysisStore conformance: ${adapterName}`, () => {
    let opened: { analysis: AnalysisStore; close(): Promise<void> };
    let store: AnalysisStore;
    beforeEach(async () => {
      opened = await factory();
      store = opened.analysis;
    });
    afterEach(async () => opened.close());

    it('stores scenes per video in time order; a new run replaces them all', async () => {
      expect(await store.listScenes(VIDEO)).toEqual([]);
      await store.replaceScenes(VIDEO, 'job-1', [scene(1, 2, 4), scene(0, 0, 2), scene(2, 4, 6.5, { clipPath: 'playback/clips/a.mp4', motion: null })], 1_000);
      await store.replaceScenes(OTHER, 'job-2', [scene(0, 0, 9)], 1_100);
      const scenes = await store.listScenes(VIDEO);
      expect(scenes.map((s) => [s.index, s.startSeconds, s.endSeconds, s.jobId, s.createdAt])).toEqual([
        [0, 0, 2, 'job-1', 1_000],
        [1, 2, 4, 'job-1', 1_000],
        [2, 4, 6.5, 'job-1', 1_000],
      ]);
      expect(scenes[2]).toMatchObject({ videoId: VIDEO, clipPath: 'playback/clips/a.mp4', motion: null, score: 0.5, keyframePath: 'thumbnails/scenes/v/scene-2.jpg' });
      await store.replaceScenes(VIDEO, 'job-3', [scene(0, 0, 6.5)], 2_000);
      expect((await store.listScenes(VIDEO)).map((s) => [s.index, s.jobId])).toEqual([[0, 'job-3']]);
      expect(await store.listScenes(OTHER)).toHaveLength(1);
    });

    it('stores the segments of a job, replaced when the job runs again', async () => {
      expect(await store.getSegments('digest-1')).toBeUndefined();
      const segments = [
        { index: 0, startSeconds: 1, endSeconds: 3, score: 0.9, outputVideoId: OTHER },
        { index: 1, startSeconds: 7.5, endSeconds: 9, score: null, outputVideoId: null },
      ];
      await store.saveSegments({ jobId: 'digest-1', videoId: VIDEO, kind: 'digest', segments }, 3_000);
      expect(await store.getSegments('digest-1')).toEqual({ jobId: 'digest-1', videoId: VIDEO, kind: 'digest', createdAt: 3_000, segments });
      await store.saveSegments({ jobId: 'digest-1', videoId: VIDEO, kind: 'digest', segments: segments.slice(1) }, 4_000);
      expect((await store.getSegments('digest-1'))?.segments).toEqual(segments.slice(1));
    });

    it('stores tags with confidence per video and job, most confident first', async () => {
      await store.replaceTags(VIDEO, 'tag-1', [
        { tag: 'dog', confidence: 0.6, startSeconds: 2, endSeconds: 4 },
        { tag: 'beach', confidence: 0.9, startSeconds: null, endSeconds: null },
      ], 5_000);
      await store.replaceTags(VIDEO, 'tag-2', [{ tag: 'car', confidence: 0.7, startSeconds: 0, endSeconds: 1 }], 5_100);
      expect((await store.listTags(VIDEO)).map((t) => [t.tag, t.confidence, t.jobId])).toEqual([
        ['beach', 0.9, 'tag-1'],
        ['car', 0.7, 'tag-2'],
        ['dog', 0.6, 'tag-1'],
      ]);
      await store.replaceTags(OTHER, 'tag-3', [{ tag: 'dog', confidence: 0.8, startSeconds: 1, endSeconds: 2 }, { tag: 'dog', confidence: 0.5, startSeconds: 5, endSeconds: 6 }], 5_200);
      // a page's tags in one call: each tag once with its best confidence, videos without tags left out
      expect(await store.tagsOfVideos([VIDEO, OTHER, 'no-such-video'])).toEqual(
        new Map([
          [VIDEO, [{ tag: 'beach', confidence: 0.9 }, { tag: 'car', confidence: 0.7 }, { tag: 'dog', confidence: 0.6 }]],
          [OTHER, [{ tag: 'dog', confidence: 0.8 }]],
        ]),
      );
      expect(await store.tagsOfVideos([])).toEqual(new Map());
      await store.replaceTags(OTHER, 'tag-3', [], 5_300);
      await store.replaceTags(VIDEO, 'tag-1', [], 6_000);
      expect((await store.listTags(VIDEO)).map((t) => t.tag)).toEqual(['car']);
      expect(await store.listTags(OTHER)).toEqual([]);
    });
  });
}
