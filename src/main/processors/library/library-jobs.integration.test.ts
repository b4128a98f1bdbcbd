/**
 * Library jobs end to end through the runtime with real ffprobe on clips made at test time:
 * scan the inbox, validate, move into the library; a corrupt file is found invalid with its reason.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../media/testing/clips';
import { startMediaRuntime, type MediaRuntime } from '../testing/media-runtime';

let m: MediaRuntime;
beforeAll(async () => {
  m = await startMediaRuntime();
  const inbox = join(m.root, 'inbox');
  await makeClip(inbox, 'landscape.mp4', { width: 320, height: 240, fps: 25, seconds: 2 });
  await makeClip(inbox, 'portrait-silent.mp4', { width: 240, height: 320, fps: 30, seconds: 1, audio: false });
  writeFileSync(join(inbox, 'broken.mp4'), Buffer.alloc(4096, 7));
});
afterAll(async () => m.dispose());

const video = async (filename: string) => {
  const list = await m.embedded.runtime.execute('listVideos', { search: filename });
  return list.data.find((v) => v.filename === filename)!;
};

describe('library jobs with real ffprobe', () => {
  it('scans the inbox: adds every video, probes it, marks the corrupt one invalid with a reason', async () => {
    const job = await m.runJob('scan', { directoryType: 'inbox' });
    expect(job.status).toBe('completed');
    expect(job.progress).toBe(100);
    expect(job.log).toMatch(/Scan finished: 3 file\(s\), 3 new, 2 valid, 1 invalid, 0 missing/);
    expect(await video('landscape.mp4')).toMatchObject({ valid: true, width: 320, height: 240, fps: 25, videoCodec: 'h264', audioCodec: 'aac', hasAudio: true, orientation: 'landscape', directoryType: 'inbox' });
    expect((await video('landscape.mp4')).durationSeconds).toBeCloseTo(2, 0);
    expect(await video('portrait-silent.mp4')).toMatchObject({ valid: true, width: 240, height: 320, hasAudio: false, audioCodec: null, orientation: 'portrait' });
    const broken = await video('broken.mp4');
    expect(broken.valid).toBe(false);
    expect(broken.validationError).toMatch(/^corrupt: /);
    expect(broken.validationError).not.toContain(m.root);
    // thumbnails made during the scan, for the valid new videos only
    expect(job.log).toMatch(/Scan finished: .*, 2 thumbnail\(s\) made/);
    for (const name of ['landscape.mp4', 'portrait-silent.mp4']) {
      const thumb = (await video(name)).thumbnailPath;
      expect(thumb).toMatch(/^thumbnails\/.+\.jpg$/);
      expect(existsSync(join(m.root, thumb!))).toBe(true);
    }
    expect(broken.thumbnailPath).toBeNull();
  });

  it('makes no thumbnails when a scan is told not to', async () => {
    await makeClip(join(m.root, 'inbox'), 'later.mp4', { width: 160, height: 120, fps: 25, seconds: 1 });
    const job = await m.runJob('scan', { directoryType: 'inbox', thumbnails: false });
    expect(job.status).toBe('completed');
    expect(job.log).toMatch(/Scan finished: 4 file\(s\), 1 new, 1 valid, 0 invalid, 0 missing$/m);
    expect((await video('later.mp4')).thumbnailPath).toBeNull();
  });

  it('validates: refreshes a good video, fails a corrupt one at once with the reason', async () => {
    const good = await m.runJob('validate', { videoId: (await video('landscape.mp4')).id });
    expect(good.status).toBe('completed');
    expect(good.log).toMatch(/Valid: 320x240 h264\/aac, 2\.\d\d s, landscape/);
    const bad = await m.runJob('validate', { videoId: (await video('broken.mp4')).id });
    expect(bad).toMatchObject({ status: 'failed', retryCount: 0 });
    expect(bad.lastError).toMatch(/^Invalid video inbox\/broken\.mp4: corrupt: /);
  });

  it('reports the system: tools, encoders (libx264 here), slots, CPU', async () => {
    const info = await m.embedded.runtime.execute('getSystemInfo', {});
    expect(info.tools.ffmpeg?.path).toMatch(/ffmpeg$/);
    expect(info.encoders.available).toContain('libx264');
    expect(info.slots.cpu).toEqual({ running: 0, limit: 5 });
    expect(info.cpu.cores).toBeGreaterThan(0);
    expect(info.nodeId).toBe('media-node');
  });

  it('moves a video from the inbox into the library', async () => {
    const v = await video('portrait-silent.mp4');
    const job = await m.runJob('move_to_library', { videoId: v.id, targetDirectory: 'videos' });
    expect(job.status).toBe('completed');
    expect(await m.embedded.runtime.execute('getVideo', { id: v.id })).toMatchObject({ path: 'videos/portrait-silent.mp4', directoryType: 'videos' });
    expect(existsSync(join(m.root, 'videos', 'portrait-silent.mp4'))).toBe(true);
    expect(existsSync(join(m.root, 'inbox', 'portrait-silent.mp4'))).toBe(false);
  });
});
