/**
 * `validate` with `decode: true`, the thorough health check, on clips made at test time with real
 * ffprobe and ffmpeg: a truncated file and one with damaged bytes probe as valid (ffprobe reads the
 * headers), and the full decode finds them invalid with the first error; a sound clip stays valid.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../media/testing/clips';
import { startMediaRuntime, type MediaRuntime } from '../testing/media-runtime';
import { damagedClip, truncatedClip } from '../transcode/testing/fault-clips';

let m: MediaRuntime;
beforeAll(async () => {
  m = await startMediaRuntime();
  const inbox = join(m.root, 'inbox');
  await makeClip(inbox, 'sound.mp4', { width: 320, height: 240, fps: 25, seconds: 2 });
  await truncatedClip(inbox, 'truncated.mp4');
  await damagedClip(inbox, 'damaged.ts');
  expect((await m.runJob('scan', { directoryType: 'inbox' })).status).toBe('completed');
});
afterAll(async () => m.dispose());

const video = async (filename: string) => {
  const list = await m.embedded.runtime.execute('listVideos', { search: filename });
  return list.data.find((v) => v.filename === filename)!;
};

describe('validate with decode: true', () => {
  it('passes a sound clip, decoding every frame', async () => {
    const job = await m.runJob('validate', { videoId: (await video('sound.mp4')).id, decode: true });
    expect(job.status).toBe('completed');
    expect(job.log).toMatch(/Decoded in full without an error: 50 video frames/);
    expect(await video('sound.mp4')).toMatchObject({ valid: true, validationError: null });
  });

  it.each(['truncated.mp4', 'damaged.ts'])('finds %s valid by its headers, and invalid by a full decode (not retried)', async (name) => {
    const probed = await m.runJob('validate', { videoId: (await video(name)).id });
    expect(probed.status).toBe('completed');
    expect(await video(name)).toMatchObject({ valid: true });
    const decoded = await m.runJob('validate', { videoId: (await video(name)).id, decode: true });
    expect(decoded).toMatchObject({ status: 'failed', retryCount: 0 });
    expect(decoded.lastError).toMatch(new RegExp(`^Invalid video inbox/${name.replace('.', '\\.')}: the full decode printed \\d+ error line\\(s\\), the first: .+`));
    expect(await video(name)).toMatchObject({ valid: false, validationError: expect.stringMatching(/^the full decode printed/) });
  });
});
