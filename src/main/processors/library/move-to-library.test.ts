import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobError } from '../processor';
import { moveToLibraryProcessor } from './move-to-library';
import { moveFs } from './move-file';
import type { AttemptFiles } from '../processor';
import { processorFixture, recordingContext, type ProcessorFixture } from './testing';

let f: ProcessorFixture;
beforeEach(() => {
  f = processorFixture();
});
afterEach(async () => f.dispose());

async function inboxVideo(name: string, content = 'video bytes') {
  writeFileSync(join(f.library.root, 'inbox', name), content);
  const [video] = await f.stores.videos.addVideos([{ id: randomUUID(), path: `inbox/${name}`, directoryType: 'inbox', sizeBytes: content.length, mtimeMs: 0, at: 1 }]);
  return video!;
}

describe('move_to_library', () => {
  it('moves a video from the inbox into the target folder and updates its record', async () => {
    const video = await inboxVideo('clip.mp4');
    const ctx = recordingContext('move_to_library', { videoId: video.id, targetDirectory: 'videos' });
    await moveToLibraryProcessor({ videos: f.stores.videos, library: f.library }).run(ctx);
    expect(existsSync(join(f.library.root, 'inbox', 'clip.mp4'))).toBe(false);
    expect(readFileSync(join(f.library.root, 'videos', 'clip.mp4'), 'utf8')).toBe('video bytes');
    expect(await f.stores.videos.getVideo(video.id)).toMatchObject({ path: 'videos/clip.mp4', directoryType: 'videos' });
    expect(ctx.logs.at(-1)).toMatch(/Moved to videos\/clip\.mp4 \(renamed on the same file system\)/);
  });

  it('never overwrites: a taken name gets a numbered suffix', async () => {
    writeFileSync(join(f.library.root, 'videos', 'clip.mp4'), 'existing');
    const video = await inboxVideo('clip.mp4', 'new');
    await moveToLibraryProcessor({ videos: f.stores.videos, library: f.library }).run(recordingContext('move_to_library', { videoId: video.id, targetDirectory: 'videos' }));
    expect(readFileSync(join(f.library.root, 'videos', 'clip.mp4'), 'utf8')).toBe('existing');
    expect(readFileSync(join(f.library.root, 'videos', 'clip (1).mp4'), 'utf8')).toBe('new');
    expect((await f.stores.videos.getVideo(video.id))?.path).toBe('videos/clip (1).mp4');
  });

  it('fails at once, without retry, when the input file is missing', async () => {
    const video = await inboxVideo('gone.mp4');
    const { rmSync } = await import('node:fs');
    rmSync(join(f.library.root, 'inbox', 'gone.mp4'));
    const run = moveToLibraryProcessor({ videos: f.stores.videos, library: f.library }).run(recordingContext('move_to_library', { videoId: video.id, targetDirectory: 'videos' }));
    await expect(run).rejects.toSatisfy((e) => e instanceof JobError && !e.retryable && /Input file is missing: inbox\/gone\.mp4/.test(e.message));
  });

  describe('across file systems (link answers EXDEV)', () => {
    const realLink = moveFs.link;
    const realCopy = moveFs.copyFile;
    afterEach(() => {
      moveFs.link = realLink;
      moveFs.copyFile = realCopy;
    });
    const recording = () => {
      const events: string[] = [];
      const files: AttemptFiles = {
        fence: { jobId: 'j', attempt: 1 },
        ownsJob: async () => true,
        commit: async () => true,
        recordPartial: async (p) => void events.push(`record ${p}`),
        forgetPartial: async (p) => void events.push(`forget ${p}`),
      } as AttemptFiles;
      return { events, files };
    };
    const crossDevice = () => {
      moveFs.link = (async (from: string, to: string) => {
        if (String(from).includes('/inbox/')) throw Object.assign(new Error('EXDEV: cross-device link'), { code: 'EXDEV' });
        return realLink(from, to);
      }) as typeof realLink;
    };

    it('copies under a recorded partial name, verifies, then gives it its final name', async () => {
      crossDevice();
      const video = await inboxVideo('far.mp4', 'far bytes');
      const { events, files } = recording();
      const ctx = recordingContext('move_to_library', { videoId: video.id, targetDirectory: 'videos' }, {}, files);
      await moveToLibraryProcessor({ videos: f.stores.videos, library: f.library }).run(ctx);
      expect(readFileSync(join(f.library.root, 'videos', 'far.mp4'), 'utf8')).toBe('far bytes');
      expect(existsSync(join(f.library.root, 'inbox', 'far.mp4'))).toBe(false);
      expect(events).toHaveLength(2);
      expect(events[0]).toMatch(/^record videos\/far\.[^/]+\.partial\.mp4$/);
      expect(events[1]).toBe(events[0]!.replace('record', 'forget'));
      expect(ctx.logs.at(-1)).toMatch(/copied, verified and deleted across file systems/);
    });

    it('leaves nothing under a final name when the copy is cut short (disk full), and keeps the source', async () => {
      crossDevice();
      moveFs.copyFile = (async (from: string, to: string) => {
        writeFileSync(String(to), 'half');
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }) as typeof realCopy;
      const video = await inboxVideo('full.mp4', 'all the bytes');
      const { events, files } = recording();
      const run = moveToLibraryProcessor({ videos: f.stores.videos, library: f.library }).run(recordingContext('move_to_library', { videoId: video.id, targetDirectory: 'videos' }, {}, files));
      await expect(run).rejects.toThrow();
      const { readdirSync } = await import('node:fs');
      expect(readdirSync(join(f.library.root, 'videos'))).toEqual([]);
      expect(readFileSync(join(f.library.root, 'inbox', 'full.mp4'), 'utf8')).toBe('all the bytes');
      expect(events.map((e) => e.split(' ')[0])).toEqual(['record', 'forget']);
    });
  });
});
