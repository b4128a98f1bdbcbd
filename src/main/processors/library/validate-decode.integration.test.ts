/**
 * `validate` with `decode: true`, the thorough health check, on clips made at test time with real
 * ffprobe and ffmpeg: a truncated file and one with damaged bytes probe as valid (ffprobe reads the
 * headers), and the full decode finds them invalid with the first error; a sound clip stays valid.
 * A later plain validate keeps that verdict while the file is unchanged, and probes it afresh once
 * it has changed.
 * A decoder killed from outside (the OOM killer) says nothing about the file: the job is retried and
 * the video stays valid (ffmpeg here is a wrapper that kills its decode runs while a marker exists).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../media/testing/clips';
import { startMediaRuntime, type MediaRuntime } from '../testing/media-runtime';
import { damagedClip, truncatedClip } from '../transcode/testing/fault-clips';

let m: MediaRuntime;
const wrapperDir = mkdtempSync(join(tmpdir(), 'mjc-ffmpeg-wrapper-'));
const killMarker = join(wrapperDir, 'kill-decodes');
const touchMarker = join(wrapperDir, 'touch-inputs');
beforeAll(async () => {
  const ffmpeg = execFileSync('sh', ['-c', 'command -v ffmpeg'], { encoding: 'utf8' }).trim();
  const wrapper = join(wrapperDir, 'ffmpeg');
  // a decode to the null muxer kills itself with SIGKILL while the kill marker exists, and changes its input's mtime
  // first (a file rewritten during the decode) while the touch marker exists; anything else is the real ffmpeg
  writeFileSync(
    wrapper,
    `#!/bin/sh\nprev=; input=\nfor a in "$@"; do\n  if [ "$prev" = -i ]; then input="$a"; fi; prev="$a"\n` +
      `  if [ "$a" = null ] && [ -e '${killMarker}' ]; then kill -9 $$; fi\n` +
      `  if [ "$a" = null ] && [ -e '${touchMarker}' ]; then touch -m "$input"; fi\ndone\nexec '${ffmpeg}' "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  process.env.MEDIA_FFMPEG_PATH = wrapper;
  m = await startMediaRuntime();
  const inbox = join(m.root, 'inbox');
  await makeClip(inbox, 'sound.mp4', { width: 320, height: 240, fps: 25, seconds: 2 });
  await truncatedClip(inbox, 'truncated.mp4');
  await damagedClip(inbox, 'damaged.ts');
  await damagedClip(inbox, 'rewritten.ts');
  expect((await m.runJob('scan', { directoryType: 'inbox' })).status).toBe('completed');
});
afterAll(async () => {
  await m.dispose();
  delete process.env.MEDIA_FFMPEG_PATH;
  rmSync(wrapperDir, { recursive: true, force: true });
});

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

  it("keeps a full decode's verdict on a later plain validate while the file is unchanged; a changed file is probed afresh", async () => {
    const id = (await video('truncated.mp4')).id;
    const decoded = await m.runJob('validate', { videoId: id, decode: true });
    expect(decoded).toMatchObject({ status: 'failed', retryCount: 0 });
    const verdict = (await video('truncated.mp4')).validationError!;
    expect(verdict).toMatch(/^the full decode printed/);

    const plain = await m.runJob('validate', { videoId: id });
    expect(plain).toMatchObject({ status: 'failed', retryCount: 0 });
    expect(plain.lastError).toBe(
      `Invalid video inbox/truncated.mp4: ${verdict} (found by a full decode; the file has not changed since, and a probe reads only its headers: validate with decode: true checks it again)`,
    );
    expect(await video('truncated.mp4')).toMatchObject({ valid: false, validationError: verdict });
    // a scan that probes every file again keeps it too
    expect((await m.runJob('scan', { directoryType: 'inbox', skipExisting: false })).status).toBe('completed');
    expect(await video('truncated.mp4')).toMatchObject({ valid: false, validationError: verdict });

    const path = join(m.root, 'inbox', 'truncated.mp4');
    const later = new Date(statSync(path).mtimeMs + 60_000);
    utimesSync(path, later, later); // the file changed (a new copy of it, say): the verdict is no longer about it
    const afresh = await m.runJob('validate', { videoId: id });
    expect(afresh.status).toBe('completed');
    expect(await video('truncated.mp4')).toMatchObject({ valid: true, validationError: null });
  });

  it('records no verdict when the file changed during the decode: retried, the video left as it was', async () => {
    const id = (await video('rewritten.ts')).id;
    expect(await video('rewritten.ts')).toMatchObject({ valid: true }); // the scan read its headers
    writeFileSync(touchMarker, '');
    try {
      const job = await m.runJob('validate', { videoId: id, decode: true });
      expect(job).toMatchObject({ status: 'queued', retryCount: 1 });
      expect(job.lastError).toBe('inbox/rewritten.ts changed during the full decode; it is decoded again later');
      expect(await video('rewritten.ts')).toMatchObject({ valid: true, validationError: null });
      await m.embedded.runtime.execute('cancelJob', { id: job.id });
    } finally {
      rmSync(touchMarker, { force: true });
    }
  });

  it('leaves the video valid and retries when the decoder is killed from outside', async () => {
    writeFileSync(killMarker, '');
    try {
      const job = await m.runJob('validate', { videoId: (await video('sound.mp4')).id, decode: true });
      expect(job).toMatchObject({ status: 'queued', retryCount: 1 });
      expect(job.lastError).toMatch(/^The full decode did not finish: ffmpeg exited with SIGKILL without an error line/);
      expect(await video('sound.mp4')).toMatchObject({ valid: true, validationError: null });
      await m.embedded.runtime.execute('cancelJob', { id: job.id });
    } finally {
      rmSync(killMarker, { force: true });
    }
  });
});
