/**
 * Conformance suite of the library's VideoStore: every adapter must pass it unchanged.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/contracts/errors';
import type { VideoDirectory } from '../../../shared/domain/library';
import type { AnalysisStore } from '../../core/analysis-ports';
import type { NewVideoFile, VideoMetadata, VideoStore } from '../../core/library-ports';

export function videoFile(path: string, directoryType: VideoDirectory = 'videos', at = 1_000): NewVideoFile {
  return { id: randomUUID(), path, directoryType, sizeBytes: 1234, mtimeMs: 500, at };
}

export const sampleMetadata: VideoMetadata = { durationSeconds: 12.5, width: 1920, height: 1080, fps: 25, videoCodec: 'h264', audioCodec: 'aac', bitrate: 2_000_000, orientation: 'landscape', hasAudio: true, sizeBytes: 4321 };

/** `analysis` is the analysis store on the same database: the tag filter reads its tags table. */
export function describeVideoStoreConformance(adapterName: string, factory: () => Promise<{ videos: VideoStore; analysis: AnalysisStore; close(): Promise<void> }>): void {
  describe(`VideoStore conformance: ${adapterName}`, () => {
    let opened: { videos: VideoStore; analysis: AnalysisStore; close(): Promise<void> };
    let store: VideoStore;
    beforeEach(async () => {
      opened = await factory();
      store = opened.videos;
    });
    afterEach(async () => opened.close());

    it('adds new files once by path, with a title from the file name', async () => {
      const added = await store.addVideos([videoFile('videos/My_Holiday.2024.mp4'), videoFile('videos/b.mov')]);
      expect(added.map((v) => [v.path, v.filename, v.title, v.directoryType, v.valid, v.missing])).toEqual([
        ['videos/My_Holiday.2024.mp4', 'My_Holiday.2024.mp4', 'My Holiday 2024', 'videos', null, false],
        ['videos/b.mov', 'b.mov', 'b', 'videos', null, false],
      ]);
      expect(await store.addVideos([videoFile('videos/b.mov'), videoFile('videos/c.mkv')])).toHaveLength(1);
      expect((await store.getVideoByPath('videos/b.mov'))?.id).toBe(added[1]!.id);
      expect(await store.getVideo(randomUUID())).toBeUndefined();
    });

    it('records probe results: metadata and validity, or the reason it is invalid', async () => {
      const [v] = await store.addVideos([videoFile('videos/a.mp4')]);
      const ok = await store.recordProbe(v!.id, { ok: true, metadata: sampleMetadata }, 2_000);
      expect(ok).toMatchObject({ ...sampleMetadata, valid: true, validationError: null, probedAt: 2_000 });
      const bad = await store.recordProbe(v!.id, { ok: false, error: 'moov atom not found' }, 3_000);
      expect(bad).toMatchObject({ valid: false, validationError: 'moov atom not found', durationSeconds: 12.5 });
      // an invalid verdict about the file as it is now: the row's size and mtime follow it; without one they stay
      const found = await store.recordProbe(v!.id, { ok: false, error: 'decode errors', file: { sizeBytes: 777, mtimeMs: 123_456 } }, 4_000);
      expect(found).toMatchObject({ valid: false, validationError: 'decode errors', sizeBytes: 777, mtimeMs: 123_456, probedAt: 4_000 });
      expect(await store.recordProbe(v!.id, { ok: false, error: 'again' }, 5_000)).toMatchObject({ validationError: 'again', sizeBytes: 777, mtimeMs: 123_456 });
      await expect(store.recordProbe(randomUUID(), { ok: false, error: 'x' }, 1)).rejects.toSatisfy((e) => isAppError(e) && e.code === 'NOT_FOUND');
    });

    it('lists files added together (one scan, one timestamp) by path', async () => {
      await store.addVideos(['videos/m.mp4', 'inbox/z.mp4', 'videos/B.mp4', 'videos/a.mp4'].map((p) => videoFile(p, p.startsWith('inbox') ? 'inbox' : 'videos', 5_000)));
      await store.addVideos([videoFile('videos/older.mp4', 'videos', 1_000)]);
      expect((await store.listVideos({}, 0, 10)).rows.map((v) => v.path)).toEqual(['inbox/z.mp4', 'videos/B.mp4', 'videos/a.mp4', 'videos/m.mp4', 'videos/older.mp4']);
      expect((await store.listVideos({}, 1, 2)).rows.map((v) => v.path)).toEqual(['videos/B.mp4', 'videos/a.mp4']);
    });

    it('lists with search, filters and pagination, newest first', async () => {
      await store.addVideos([videoFile('videos/Beach Day.mp4', 'videos', 1_000), videoFile('inbox/beach_night.mp4', 'inbox', 2_000), videoFile('videos/city.mp4', 'videos', 3_000)]);
      const city = await store.getVideoByPath('videos/city.mp4');
      await store.recordProbe(city!.id, { ok: true, metadata: { ...sampleMetadata, orientation: 'portrait', width: 1080, height: 1920 } }, 4_000);
      expect((await store.listVideos({}, 0, 10)).rows.map((v) => v.path)).toEqual(['videos/city.mp4', 'inbox/beach_night.mp4', 'videos/Beach Day.mp4']);
      expect((await store.listVideos({ search: 'BEACH' }, 0, 10)).total).toBe(2);
      expect((await store.listVideos({ search: '100%_' }, 0, 10)).total).toBe(0);
      expect((await store.listVideos({ directoryType: 'inbox' }, 0, 10)).rows.map((v) => v.path)).toEqual(['inbox/beach_night.mp4']);
      expect((await store.listVideos({ orientation: 'portrait', valid: true }, 0, 10)).rows.map((v) => v.path)).toEqual(['videos/city.mp4']);
      expect((await store.listVideos({ minDuration: 10, maxDuration: 20 }, 0, 10)).total).toBe(1);
      const page = await store.listVideos({}, 1, 1);
      expect(page).toMatchObject({ total: 3, rows: [{ path: 'inbox/beach_night.mp4' }] });
      expect(await store.listVideoIds({ directoryType: 'videos' }, 10)).toHaveLength(2);
    });

    it('filters by tag (any job, any time range), alone and with other filters', async () => {
      const [a, b, c] = await store.addVideos([videoFile('videos/a.mp4', 'videos', 1_000), videoFile('inbox/b.mp4', 'inbox', 2_000), videoFile('videos/c.mp4', 'videos', 3_000)]);
      const whole = { startSeconds: null, endSeconds: null };
      await opened.analysis.replaceTags(a!.id, randomUUID(), [{ tag: 'face', confidence: 0.9, startSeconds: 1, endSeconds: 2 }, { tag: 'dark', confidence: 0.7, ...whole }], 5_000);
      await opened.analysis.replaceTags(b!.id, randomUUID(), [{ tag: 'dark', confidence: 0.6, ...whole }], 5_000);
      await opened.analysis.replaceTags(b!.id, randomUUID(), [{ tag: 'dark', confidence: 0.8, ...whole }], 6_000);
      expect((await store.listVideos({ tag: 'face' }, 0, 10)).rows.map((v) => v.id)).toEqual([a!.id]);
      expect(await store.listVideos({ tag: 'dark' }, 0, 10)).toMatchObject({ total: 2, rows: [{ id: b!.id }, { id: a!.id }] });
      expect((await store.listVideos({ tag: 'dark', directoryType: 'videos' }, 0, 10)).rows.map((v) => v.id)).toEqual([a!.id]);
      expect((await store.listVideos({ tag: 'Dark' }, 0, 10)).total).toBe(0);
      expect((await store.listVideos({ tag: 'person' }, 0, 10)).total).toBe(0);
      expect(await store.listVideoIds({ tag: 'dark' }, 10)).toEqual([a!.id, b!.id]);
      expect((await store.listVideos({}, 0, 10)).rows.map((v) => v.id)).toEqual([c!.id, b!.id, a!.id]);
    });

    it('marks files that vanished from a folder as missing, and back when they return', async () => {
      await store.addVideos([videoFile('videos/a.mp4'), videoFile('videos/b.mp4'), videoFile('inbox/c.mp4', 'inbox')]);
      expect(await store.markMissing('videos', new Set(['videos/a.mp4']), 2_000)).toBe(1);
      expect((await store.getVideoByPath('videos/b.mp4'))?.missing).toBe(true);
      expect((await store.getVideoByPath('inbox/c.mp4'))?.missing).toBe(false);
      expect(await store.addVideos([videoFile('videos/b.mp4')])).toHaveLength(0);
      expect((await store.getVideoByPath('videos/b.mp4'))?.missing).toBe(false);
    });

    it('records thumbnails, re-encode jobs and moves', async () => {
      const [v] = await store.addVideos([videoFile('inbox/a.mp4', 'inbox')]);
      expect((await store.setThumbnail(v!.id, 'thumbnails/a.jpg', 2_000)).thumbnailPath).toBe('thumbnails/a.jpg');
      const job = randomUUID();
      expect((await store.setReencodeJob(v!.id, job, 2_000)).reencodeJobId).toBe(job);
      const moved = await store.moveVideo(v!.id, 'videos/a (1).mp4', 'videos', 3_000);
      expect(moved).toMatchObject({ path: 'videos/a (1).mp4', filename: 'a (1).mp4', directoryType: 'videos', updatedAt: 3_000 });
      expect(await store.getVideoByPath('inbox/a.mp4')).toBeUndefined();
    });
  });
}
