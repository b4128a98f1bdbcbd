/**
 * Issue #17 item 5, "every transcode and re-encode writes … outcome into a ledger table", for the
 * jobs that fail before they read their input: through the runtime with real ffmpeg and SQLite, a
 * transcode whose file is gone, one whose file ffprobe cannot read and a re-encode whose file is
 * gone each end `failed` with a ledger row (the reason, the bytes in the library row knew, no bytes
 * out), and the savings count them as failures that saved nothing.
 */
import { mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceableClip } from './testing/fault-clips';
import { openTranscodeRuntime, type TranscodeRuntime } from './testing/transcode-runtime';

let dir: string;
let t: TranscodeRuntime;
let ids: Record<string, string> = {};
const sizes: Record<string, number> = {};
const NAMES = ['gone.mp4', 'garbage.mp4', 'reencode-gone.mp4'] as const;
const result = (id: string) => t.embedded.runtime.execute('getJobResult', { id });
const savings = () => t.embedded.runtime.execute('getSavings', { groupBy: 'folder' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-transcode-fail-'));
  t = await openTranscodeRuntime(dir);
  const v = join(dir, 'library', 'videos');
  await Promise.all(NAMES.map((name) => replaceableClip(v, name, 1)));
  for (const name of NAMES) sizes[name] = statSync(join(v, name)).size;
  ids = await t.scan();
  // after the scan: the library rows say valid H.264 clips, the files say otherwise
  unlinkSync(join(v, 'gone.mp4'));
  unlinkSync(join(v, 'reencode-gone.mp4'));
  writeFileSync(join(v, 'garbage.mp4'), Buffer.alloc(sizes['garbage.mp4']!, 0x5a));
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a job that fails before reading its input still writes its ledger row', () => {
  it('a transcode whose file is gone: failed, with the reason and the bytes the library row knew', async () => {
    const before = await savings();
    const job = await t.runJob('transcode', { videoId: ids['gone.mp4'], codec: 'hevc', mode: 'replace' });
    expect(job.status, job.log).toBe('failed');
    expect(job.lastError).toMatch(/^Input file is missing: videos\/gone\.mp4/);
    expect(await result(job.id)).toMatchObject({
      jobType: 'transcode', videoId: ids['gone.mp4'], outcome: 'failed', reason: job.lastError, mode: 'replace',
      codecIn: 'h264', codecOut: 'hevc', bytesIn: sizes['gone.mp4'], bytesOut: null, savedPercent: null,
    });
    const after = await savings();
    expect(after.total.outcomes.failed).toBe(before.total.outcomes.failed + 1);
    expect(after.total.bytesSaved).toBe(before.total.bytesSaved);
    expect(after.total.filesReplaced).toBe(before.total.filesReplaced);
  });

  it('a transcode whose file ffprobe cannot read: failed, with the probe failure as the reason', async () => {
    const job = await t.runJob('transcode', { videoId: ids['garbage.mp4'], codec: 'hevc', mode: 'replace' });
    expect(job.status, job.log).toBe('failed');
    expect(await result(job.id)).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/ffprobe could not read the streams/), bytesIn: sizes['garbage.mp4'], bytesOut: null });
  });

  it('a re-encode whose file is gone: failed, one row', async () => {
    const job = await t.runJob('reencode_streaming', { videoId: ids['reencode-gone.mp4'], preset: 'ultrafast', crf: 30 });
    expect(job.status, job.log).toBe('failed');
    expect(await result(job.id)).toMatchObject({
      jobType: 'reencode_streaming', outcome: 'failed', reason: expect.stringMatching(/^Input file is missing/), mode: 'copy', codecOut: 'h264', bytesIn: sizes['reencode-gone.mp4'], bytesOut: null,
    });
    const totals = await savings();
    expect(totals.total.outcomes.failed).toBe(3);
    expect(totals.total.bytesSaved).toBe(0);
  });
});
