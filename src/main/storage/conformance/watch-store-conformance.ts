/**
 * Conformance suite of the library watcher's stores (core/watch-ports.ts): the shared settings
 * (settings-store-conformance.ts) and the library's file index. Every adapter must pass it unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VideoStore } from '../../core/library-ports';
import type { SettingsStore, VideoFileIndex } from '../../core/watch-ports';
import { describeSettingsStoreConformance } from './settings-store-conformance';
import { videoFile } from './video-store-conformance';

export interface WatchStores {
  readonly settings: SettingsStore;
  readonly videoFiles: VideoFileIndex;
  readonly videos: VideoStore;
  close(): Promise<void>;
}

export function describeWatchStoreConformance(adapterName: string, factory: () => Promise<WatchStores>): void {
  describeSettingsStoreConformance(adapterName, factory);
  describe(`watch stores conformance: ${adapterName}`, () => {
    let s: WatchStores;
    beforeEach(async () => {
      s = await factory();
    });
    afterEach(async () => s.close());

    it('lists the videos at a folder or under it, never a sibling whose name merely starts the same (nor % or _ as wildcards)', async () => {
      await s.videos.addVideos(['videos/a.mp4', 'videos/sub/b.mp4', 'videos2/c.mp4', 'videos_x/d.mp4', 'inbox/e.mp4'].map((p) => videoFile(p, p.startsWith('inbox') ? 'inbox' : 'videos')));
      const under = async (folder: string) => (await s.videoFiles.listVideoFiles(folder)).map((e) => e.path).sort();
      expect(await under('videos')).toEqual(['videos/a.mp4', 'videos/sub/b.mp4']);
      expect(await under('videos/sub')).toEqual(['videos/sub/b.mp4']);
      expect(await under('video_')).toEqual([]);
      const [entry] = await s.videoFiles.listVideoFiles('inbox');
      expect(entry).toMatchObject({ path: 'inbox/e.mp4', sizeBytes: 1234, mtimeMs: 500, missing: false, probedAt: null });
    });

    it('marks paths, or everything under folders, missing once; returns the ones that went missing now', async () => {
      await s.videos.addVideos(['videos/a.mp4', 'videos/sub/b.mp4', 'videos/sub/c.mp4', 'videos/subway.mp4'].map((p) => videoFile(p)));
      expect((await s.videoFiles.markPathsMissing(['videos/a.mp4', 'videos/none.mp4'], 5_000)).map((v) => [v.path, v.missing, v.updatedAt])).toEqual([['videos/a.mp4', true, 5_000]]);
      expect(await s.videoFiles.markPathsMissing(['videos/a.mp4'], 6_000)).toEqual([]);
      expect((await s.videoFiles.markPathsMissing(['videos/sub'], 7_000, true)).map((v) => v.path).sort()).toEqual(['videos/sub/b.mp4', 'videos/sub/c.mp4']);
      expect((await s.videos.getVideoByPath('videos/subway.mp4'))?.missing).toBe(false);
      expect(await s.videoFiles.markPathsMissing([], 8_000)).toEqual([]);
    });

    it('records a changed file: new size and mtime, present again, to be probed again', async () => {
      const [v] = await s.videos.addVideos([videoFile('videos/a.mp4')]);
      await s.videos.recordProbe(v!.id, { ok: false, error: 'corrupt' }, 2_000);
      await s.videoFiles.markPathsMissing(['videos/a.mp4'], 3_000);
      const changed = await s.videoFiles.recordFileChange(v!.id, 99_999, 4_500, 4_000);
      expect(changed).toMatchObject({ id: v!.id, sizeBytes: 99_999, mtimeMs: 4_500, missing: false, probedAt: null, updatedAt: 4_000 });
    });
  });
}
