import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobError } from '../processor';
import { moveToLibraryProcessor } from './move-to-library';
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
});
