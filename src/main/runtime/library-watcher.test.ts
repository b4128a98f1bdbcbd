/**
 * The library watcher on real files, a real SQLite store and the real ffprobe, in both modes
 * (native file events and polling): the stability gate (a 200 MB file written slowly is never
 * registered before it has been quiet for stableSeconds; one renamed into place is registered
 * within stableSeconds + 1 s), ignored names, vanished files marked missing, the start-up pass,
 * symbolic links leading out of the library, and `auto` choosing polling on a network file system.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClip } from '../processors/media/testing/clips';
import { startWatchHarness, type WatchHarness } from './testing/library-watch-harness';

const STABLE_S = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let h: WatchHarness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

describe.each(['native', 'polling'] as const)('the library watcher, %s mode', (mode) => {
  const settings = { mode, stableSeconds: STABLE_S, pollIntervalSeconds: 0.25, folders: ['inbox', 'videos'] };

  it('never registers a 200 MB file being copied in slowly before it has been quiet for stableSeconds', async () => {
    h = await startWatchHarness({ settings });
    const path = join(h.library.root, 'inbox', 'big-upload.mp4');
    const chunk = randomBytes(5 * 1024 * 1024);
    let lastWriteAt = 0;
    await writeFile(path, chunk);
    for (let i = 1; i < 40; i++) {
      await sleep(150); // 200 MB over ~6 s: a pause of 150 ms between writes, far below stableSeconds
      await appendFile(path, chunk);
      lastWriteAt = performance.now();
      expect(await h.stores.videos.getVideoByPath('inbox/big-upload.mp4'), `registered during the copy (chunk ${i})`).toBeUndefined();
    }
    const event = await h.waitForEvent('inbox/big-upload.mp4', 'video.registered', 20_000);
    expect(event.receivedAt - lastWriteAt).toBeGreaterThanOrEqual(STABLE_S * 1000);
    expect(event.video.sizeBytes).toBe(200 * 1024 * 1024);
    expect(event.video.valid).toBe(false); // random bytes: registered like a scan would, as invalid
    expect(h.events.filter((e) => e.video.path === 'inbox/big-upload.mp4')).toHaveLength(1);
  }, 60_000);

  it('registers a real clip renamed into place within stableSeconds + 1 s, probed like a scan', async () => {
    h = await startWatchHarness({ settings });
    const staging = join(h.dir, 'staging');
    mkdirSync(staging);
    await makeClip(staging, 'beach.mp4', { width: 320, height: 180, seconds: 1 });
    mkdirSync(join(h.library.root, 'videos', 'trips'));
    const droppedAt = performance.now();
    renameSync(join(staging, 'beach.mp4'), join(h.library.root, 'videos', 'trips', 'beach.mp4'));
    const event = await h.waitForEvent('videos/trips/beach.mp4');
    expect(event.receivedAt - droppedAt).toBeGreaterThanOrEqual(STABLE_S * 1000);
    expect(event.receivedAt - droppedAt).toBeLessThanOrEqual(STABLE_S * 1000 + 1000);
    expect(event.folder).toBe('videos');
    expect(event.video).toMatchObject({ directoryType: 'videos', valid: true, width: 320, height: 180, videoCodec: 'h264', hasAudio: true, missing: false });
    expect(event.video.durationSeconds).toBeCloseTo(1, 0);
  }, 30_000);

  it('ignores files still being written, hidden folders and files, and other files', async () => {
    h = await startWatchHarness({ settings });
    const inbox = join(h.library.root, 'inbox');
    mkdirSync(join(inbox, '.quarantine'));
    const ignored = ['a.mp4.part', 'b.mp4.crdownload', 'c.mkv.!qB', 'd.tmp', 'e.0123abcd-a1.partial.mp4', '.hidden.mp4', '.quarantine/f.mp4', 'notes.txt'];
    for (const name of ignored) writeFileSync(join(inbox, name), 'x'.repeat(1000));
    writeFileSync(join(inbox, 'control.mp4'), 'not a video'); // a watched name: registered (invalid)
    await h.waitForEvent('inbox/control.mp4');
    await sleep(STABLE_S * 1000 + 500);
    const { rows } = await h.stores.videos.listVideos({}, 0, 100);
    expect(rows.map((r) => r.path)).toEqual(['inbox/control.mp4']);
  }, 30_000);

  it('marks a deleted file missing, and a file that comes back present again', async () => {
    h = await startWatchHarness({ settings });
    const path = join(h.library.root, 'videos', 'gone.mp4');
    writeFileSync(path, 'soon gone');
    const registered = await h.waitForEvent('videos/gone.mp4');
    rmSync(path);
    const missing = await h.waitForEvent('videos/gone.mp4', 'video.missing', 10_000);
    expect(missing.video).toMatchObject({ id: registered.video.id, missing: true });
    expect((await h.stores.videos.getVideo(registered.video.id))?.missing).toBe(true);
    writeFileSync(path, 'back again, longer');
    const back = await h.waitForEvent('videos/gone.mp4', 'video.changed', 10_000);
    expect(back.video).toMatchObject({ id: registered.video.id, missing: false, sizeBytes: 'back again, longer'.length });
  }, 30_000);
});

describe('the library watcher across restarts and boundaries', () => {
  const settings = { stableSeconds: STABLE_S, pollIntervalSeconds: 0.25, folders: ['inbox', 'videos'] };

  it('the start-up pass registers files added while it was stopped and marks vanished ones missing', async () => {
    h = await startWatchHarness({ settings });
    writeFileSync(join(h.library.root, 'videos', 'kept.mp4'), 'kept');
    writeFileSync(join(h.library.root, 'videos', 'removed.mp4'), 'removed');
    await h.waitForEvent('videos/kept.mp4');
    await h.waitForEvent('videos/removed.mp4');
    await h.stop();
    // while nobody watches: one file added (real clip), one removed, one changed
    await makeClip(join(h.library.root, 'inbox'), 'while-stopped.mp4', { seconds: 1 });
    rmSync(join(h.library.root, 'videos', 'removed.mp4'));
    writeFileSync(join(h.library.root, 'videos', 'kept.mp4'), 'kept, and longer now');
    h.events.length = 0;
    const restartedAt = performance.now();
    await h.restart();
    const added = await h.waitForEvent('inbox/while-stopped.mp4');
    expect(added.receivedAt - restartedAt).toBeGreaterThanOrEqual(STABLE_S * 1000);
    expect(added.video).toMatchObject({ valid: true, directoryType: 'inbox' });
    expect((await h.waitForEvent('videos/removed.mp4', 'video.missing')).video.missing).toBe(true);
    expect((await h.waitForEvent('videos/kept.mp4', 'video.changed')).video.sizeBytes).toBe('kept, and longer now'.length);
  }, 40_000);

  it('never follows a symbolic link out of the library', async () => {
    h = await startWatchHarness({ settings });
    const outside = join(h.dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.mp4'), 'outside the library');
    symlinkSync(join(outside, 'secret.mp4'), join(h.library.root, 'inbox', 'link.mp4'));
    symlinkSync(outside, join(h.library.root, 'videos', 'linked-folder'));
    writeFileSync(join(h.library.root, 'inbox', 'inside.mp4'), 'inside');
    await h.waitForEvent('inbox/inside.mp4');
    await sleep(1000);
    await h.restart(); // the start-up pass must not follow them either
    await sleep(STABLE_S * 1000 + 500);
    const { rows } = await h.stores.videos.listVideos({}, 0, 100);
    expect(rows.map((r) => r.path)).toEqual(['inbox/inside.mp4']);
  }, 30_000);

  it('auto polls a folder on a network file system and uses native events elsewhere', async () => {
    let root = '';
    h = await startWatchHarness({ settings: { ...settings, mode: 'auto' }, mounts: () => [{ mountPoint: '/', fsType: 'ext4' }, { mountPoint: join(realpathSync(root), 'videos'), fsType: 'nfs4' }], stopped: true });
    root = h.library.root;
    await h.restart();
    const state = await h.watcher.state();
    expect(state.status.folders).toEqual([
      { folder: 'inbox', mode: 'native', fsType: 'ext4', error: null },
      { folder: 'videos', mode: 'polling', fsType: 'nfs4', error: null },
    ]);
    writeFileSync(join(root, 'videos', 'on-nfs.mp4'), 'polled');
    await h.waitForEvent('videos/on-nfs.mp4');
  }, 30_000);
});
