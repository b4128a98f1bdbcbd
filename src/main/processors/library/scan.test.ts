import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleMetadata } from '../../storage/conformance/video-store-conformance';
import { scanProcessor, type MediaProber } from './scan';
import { processorFixture, recordingContext, type ProcessorFixture } from './testing';

let f: ProcessorFixture;
beforeEach(() => {
  f = processorFixture();
});
afterEach(async () => f.dispose());

/** A prober standing in for ffprobe in this unit test: files whose name contains "corrupt" fail. */
const probed: string[] = [];
const fakeProbe: MediaProber = async (path) => {
  probed.push(path);
  if (path.includes('corrupt')) throw new Error('moov atom not found');
  return sampleMetadata;
};

describe('scan (walk and bookkeeping; ffprobe itself is covered by the media tests)', () => {
  it('adds new videos recursively, probes them, records invalid ones, skips non-videos and partial outputs', async () => {
    const videos = join(f.library.root, 'videos');
    mkdirSync(join(videos, 'sub', 'deeper'), { recursive: true });
    for (const name of ['a.mp4', 'sub/b.MOV', 'sub/deeper/c.mkv', 'sub/corrupt.mp4', 'notes.txt', 'd.partial.mp4', '.hidden.mp4']) writeFileSync(join(videos, name), 'x');
    symlinkSync('/etc', join(videos, 'escape'));
    const ctx = recordingContext('scan', { directoryType: 'videos', skipExisting: true });
    await scanProcessor({ videos: f.stores.videos, library: f.library, probe: fakeProbe, parallelism: 2 }).run(ctx);
    const list = await f.stores.videos.listVideos({}, 0, 100);
    expect(list.rows.map((v) => v.path).sort()).toEqual(['videos/a.mp4', 'videos/sub/b.MOV', 'videos/sub/corrupt.mp4', 'videos/sub/deeper/c.mkv']);
    expect((await f.stores.videos.getVideoByPath('videos/sub/corrupt.mp4'))).toMatchObject({ valid: false, validationError: 'moov atom not found' });
    expect((await f.stores.videos.getVideoByPath('videos/a.mp4'))).toMatchObject({ valid: true, durationSeconds: sampleMetadata.durationSeconds });
    expect(ctx.progressReports.at(-1)).toBe(100);
    expect(ctx.logs.at(-1)).toBe('Scan finished: 4 file(s), 4 new, 3 valid, 1 invalid, 0 missing');
  });

  it('skips known files when asked, and marks vanished ones missing', async () => {
    const videos = join(f.library.root, 'videos');
    writeFileSync(join(videos, 'a.mp4'), 'x');
    writeFileSync(join(videos, 'b.mp4'), 'x');
    const scan = scanProcessor({ videos: f.stores.videos, library: f.library, probe: fakeProbe, parallelism: 2 });
    await scan.run(recordingContext('scan', { directoryType: 'videos', skipExisting: true }));
    probed.length = 0;
    rmSync(join(videos, 'b.mp4'));
    writeFileSync(join(videos, 'c.mp4'), 'x');
    const ctx = recordingContext('scan', { directoryType: 'videos', skipExisting: true });
    await scan.run(ctx);
    expect(probed.map((p) => p.split('/').at(-1))).toEqual(['c.mp4']);
    expect((await f.stores.videos.getVideoByPath('videos/b.mp4'))?.missing).toBe(true);
    expect(ctx.logs.at(-1)).toBe('Scan finished: 2 file(s), 1 new, 1 valid, 0 invalid, 1 missing');
    probed.length = 0;
    await scan.run(recordingContext('scan', { directoryType: 'videos', skipExisting: false }));
    expect(probed).toHaveLength(2);
  });
});
