/**
 * `transcode` end to end through the runtime with real ffmpeg on the generated fault set of issue
 * #17: each clip gets the right outcome (replaced / kept_original with its reason / skipped), an
 * original that is kept stays byte-identical, a replaced one keeps its streams, its id, its mtime
 * and mode, and goes to .quarantine/; every ending writes the ledger row the savings are computed
 * from; the same settings on the same content are refused (409 ALREADY_PROCESSED) unless forced;
 * a restore brings the original back.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/contracts/errors';
import type { JobResult } from '../../../shared/contracts/transcode';
import { probeJson } from '../media/testing/clips';
import { damagedClip, hdr10Clip, hevcClip, multiTrackClip, replaceableClip, truncatedClip, unshrinkableClip, vfrClip } from './testing/fault-clips';
import { openTranscodeRuntime, type TranscodeRuntime } from './testing/transcode-runtime';

let dir: string;
let t: TranscodeRuntime;
let ids: Record<string, string> = {};
const originals: Record<string, Buffer> = {};
const MTIME = new Date('2024-03-01T12:00:00Z');
const videos = () => join(t.root, 'videos');
const result = (id: string) => t.embedded.runtime.execute('getJobResult', { id });
const fast = { preset: 'veryfast' } as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-transcode-'));
  t = await openTranscodeRuntime(dir);
  const v = join(dir, 'library', 'videos');
  await Promise.all([replaceableClip(v, 'plain.mp4'), truncatedClip(v, 'truncated.mp4'), damagedClip(v, 'damaged.ts'), damagedClip(v, 'broken.ts', { audio: true }), vfrClip(v, 'vfr.mp4')]);
  await Promise.all([hdr10Clip(v, 'hdr10.mkv'), multiTrackClip(v, 'tracks.mkv'), hevcClip(v, 'already.mkv'), unshrinkableClip(v, 'squeezed.mp4'), replaceableClip(v, 'copy.mp4')]);
  chmodSync(join(v, 'plain.mp4'), 0o640);
  for (const name of ['plain.mp4', 'truncated.mp4', 'damaged.ts', 'broken.ts', 'vfr.mp4', 'hdr10.mkv', 'tracks.mkv', 'already.mkv', 'squeezed.mp4', 'copy.mp4']) {
    utimesSync(join(v, name), MTIME, MTIME);
    originals[name] = readFileSync(join(v, name));
  }
  ids = await t.scan();
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectUntouched(name: string): void {
  expect(readFileSync(join(videos(), name)).equals(originals[name]!), `${name} is byte-identical`).toBe(true);
  expect(statSync(join(videos(), name)).mtime.getTime()).toBe(MTIME.getTime());
}

function expectResult(r: JobResult, outcome: JobResult['outcome'], reason: RegExp | null): void {
  expect(r.outcome).toBe(outcome);
  if (reason) expect(r.reason).toMatch(reason);
  else expect(r.reason).toBeNull();
}

describe('transcode on the generated fault set', () => {
  it('replaces a plain H.264 clip with a verified HEVC one: same id and name, mtime and mode kept, original quarantined, ledger and history written', async () => {
    const job = await t.runJob('transcode', { videoId: ids['plain.mp4'], codec: 'hevc', mode: 'replace', crf: 28, ...fast });
    expect(job.status, job.log).toBe('completed');
    const r = await result(job.id);
    expectResult(r, 'replaced', null);
    expect(r).toMatchObject({ codecIn: 'h264', codecOut: 'hevc', encoder: 'libx265', bytesIn: originals['plain.mp4']!.length, mode: 'replace' });
    expect(r.savedPercent!).toBeGreaterThanOrEqual(10);
    expect(r.checks.map((c) => [c.name, c.passed])).toEqual([['streams', true], ['duration', true], ['savings', true], ['decode', true], ['frames', true]]);
    const path = join(videos(), 'plain.mp4');
    const probe = await probeJson(path);
    expect(probe.streams.map((s) => s.codec_name)).toEqual(['hevc', 'aac']);
    expect(statSync(path).mtime.getTime()).toBe(MTIME.getTime());
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(statSync(path).size).toBe(r.bytesOut);
    const video = await t.embedded.runtime.execute('getVideo', { id: ids['plain.mp4']! });
    expect(video).toMatchObject({ path: 'videos/plain.mp4', videoCodec: 'hevc', sizeBytes: r.bytesOut, valid: true });
    const history = await t.embedded.runtime.execute('getVideoTranscodes', { id: ids['plain.mp4']! });
    expect(history.history).toMatchObject([{ action: 'replaced', jobId: job.id, previousCodec: 'h264', previousSizeBytes: originals['plain.mp4']!.length, newCodec: 'hevc' }]);
    expect(history.quarantined).toMatchObject({ originalPath: 'videos/plain.mp4', videoCodec: 'h264' });
    expect(readFileSync(join(t.root, history.quarantined!.path)).equals(originals['plain.mp4']!)).toBe(true);
    expect(Date.parse(history.quarantined!.expiresAt) - Date.parse(history.quarantined!.quarantinedAt)).toBe(7 * 86_400_000);
  });

  it('keeps a truncated original byte-identical, with the reason', async () => {
    // the live guard would stop it first (the cut file is small for its length): off, to reach the read errors
    const job = await t.runJob('transcode', { videoId: ids['truncated.mp4'], codec: 'hevc', mode: 'replace', liveGuard: false, ...fast });
    expect(job.status, job.log).toBe('completed');
    expectResult(await result(job.id), 'kept_original', /error\(s\) while reading the original/);
    expectUntouched('truncated.mp4');
    const guarded = await t.runJob('transcode', { videoId: ids['truncated.mp4'], codec: 'hevc', mode: 'replace', ...fast });
    expectResult(await result(guarded.id), 'kept_original', /^live guard: at \d+ % the output is projected at/);
  });

  it('keeps an original with decode errors byte-identical, saying it is damaged', async () => {
    const job = await t.runJob('transcode', { videoId: ids['damaged.ts'], codec: 'hevc', mode: 'replace', ...fast });
    expect(job.status, job.log).toBe('completed');
    expectResult(await result(job.id), 'kept_original', /error\(s\) while reading the original/);
    expectUntouched('damaged.ts');
    expect(existsSync(join(videos(), 'damaged.mkv'))).toBe(false);
  });

  it('fails a broken encode (damaged audio ffmpeg cannot remux) for good, the original untouched, counted in the ledger', async () => {
    const job = await t.runJob('transcode', { videoId: ids['broken.ts'], codec: 'hevc', mode: 'replace', ...fast });
    expect(job.status, job.log).toBe('failed');
    expect(job.lastError).toMatch(/^Input file is corrupt/);
    expectResult(await result(job.id), 'failed', /^Input file is corrupt/);
    expectUntouched('broken.ts');
    expect(readdirSync(videos()).filter((f) => f.startsWith('broken') && f !== 'broken.ts')).toEqual([]);
  });

  it('replaces a variable-frame-rate clip frame for frame', async () => {
    const job = await t.runJob('transcode', { videoId: ids['vfr.mp4'], codec: 'hevc', mode: 'replace', crf: 28, ...fast });
    expect(job.status, job.log).toBe('completed');
    const r = await result(job.id);
    expectResult(r, 'replaced', null);
    expect(r.checks.find((c) => c.name === 'frames')!.detail).toMatch(/^50 frames vs 50/);
    const probe = await probeJson(join(videos(), 'vfr.mp4'));
    expect(probe.streams[0]).toMatchObject({ codec_name: 'hevc', nb_frames: '50' });
  });

  it('keeps 10 bits and the HDR10 metadata (AV1 from 10-bit HEVC)', async () => {
    const job = await t.runJob('transcode', { videoId: ids['hdr10.mkv'], codec: 'av1', mode: 'replace', ...fast });
    expect(job.status, job.log).toBe('completed');
    expectResult(await result(job.id), 'replaced', null);
    expect(job.log).toMatch(/10-bit HDR10/);
    // an MKV output: decoded while it was written, not again after (decode-while-encoding.ts)
    expect(job.log).toMatch(/Check decode: passed — full decode while encoding \(\d+ frames: every video packet of the written file\), no errors/);
    const probe = await probeJson(join(videos(), 'hdr10.mkv'));
    expect(probe.streams[0]).toMatchObject({ codec_name: 'av1', pix_fmt: 'yuv420p10le', color_transfer: 'smpte2084', color_primaries: 'bt2020', color_space: 'bt2020nc' });
    const { execFileSync } = await import('node:child_process');
    const frames = execFileSync('ffprobe', ['-v', 'error', '-select_streams', '0', '-show_frames', '-read_intervals', '%+#1', '-show_entries', 'frame=side_data_list', '-of', 'json', join(videos(), 'hdr10.mkv')]).toString();
    expect(frames).toMatch(/Mastering display metadata/);
    expect(frames).toMatch(/"max_content": 1000/);
  });

  it('keeps both audio tracks and the subtitle track, with their languages', async () => {
    const job = await t.runJob('transcode', { videoId: ids['tracks.mkv'], codec: 'hevc', mode: 'replace', crf: 28, ...fast });
    expect(job.status, job.log).toBe('completed');
    const r = await result(job.id);
    expectResult(r, 'replaced', null);
    expect(r.checks[0]!.detail).toBe('every kept stream present (video 1, audio 2, subtitles 1)');
    expect(r.checks.find((c) => c.name === 'decode')!.detail).toMatch(/^full decode while encoding \(\d+ frames: every video packet of the written file\), no errors$/);
    expect(job.log).not.toMatch(/Verification: the decode while encoding/);
    const probe = await probeJson(join(videos(), 'tracks.mkv'));
    expect(probe.streams.map((s) => [s.codec_type, s.codec_name, (s.tags as Record<string, string> | undefined)?.language])).toEqual([
      ['video', 'hevc', undefined],
      ['audio', 'aac', 'eng'],
      ['audio', 'aac', 'fra'],
      ['subtitle', 'subrip', 'eng'],
    ]);
  });

  it('skips a clip already in HEVC, in milliseconds, and leaves it untouched', async () => {
    const job = await t.runJob('transcode', { videoId: ids['already.mkv'], codec: 'hevc', mode: 'replace' });
    expect(job.status, job.log).toBe('completed');
    const r = await result(job.id);
    expectResult(r, 'skipped', /^already hevc$/);
    // decided from the library row: no tool ran (the bench times it: media.transcode.skip_ms)
    expect(job.log).not.toMatch(/FFmpeg command|Streams:/);
    expect(r.wallMs).toBeLessThan(1000);
    expectUntouched('already.mkv');
  });

  it('keeps a clip that cannot shrink (live guard or saving check), byte-identical', async () => {
    const job = await t.runJob('transcode', { videoId: ids['squeezed.mp4'], codec: 'hevc', mode: 'replace', ...fast });
    expect(job.status, job.log).toBe('completed');
    expectResult(await result(job.id), 'kept_original', /live guard|savings check failed/);
    expectUntouched('squeezed.mp4');
    expect(statSync(join(videos())).isDirectory()).toBe(true);
  });

  it('writes a copy beside the original in copy mode, with the quality check', async () => {
    const job = await t.runJob('transcode', { videoId: ids['copy.mp4'], codec: 'hevc', crf: 28, verifyQuality: { metric: 'ssim', min: 0.9 }, ...fast });
    expect(job.status, job.log).toBe('completed');
    const r = await result(job.id);
    expectResult(r, 'copied', null);
    expect(r.checks.find((c) => c.name === 'ssim')).toMatchObject({ passed: true, detail: expect.stringMatching(/^SSIM 0\.9\d+/) });
    expectUntouched('copy.mp4');
    const list = await t.embedded.runtime.execute('listVideos', { limit: 100 });
    expect(list.data.find((v) => v.path === 'videos/copy.hevc.mp4')).toMatchObject({ videoCodec: 'hevc', sourceJobId: job.id });
    // a quality bar the encode cannot reach keeps nothing
    const strict = await t.runJob('transcode', { videoId: ids['copy.mp4'], codec: 'hevc', crf: 40, verifyQuality: { metric: 'psnr', min: 99 }, ...fast });
    expectResult(await result(strict.id), 'kept_original', /^psnr check failed: PSNR [\d.]+ dB/);
  });

  it('refuses the same settings on the same content with 409 ALREADY_PROCESSED, unless forced', async () => {
    const again = { type: 'transcode', params: { videoId: ids['squeezed.mp4'], codec: 'hevc', mode: 'replace', ...fast } };
    const refused = await t.embedded.runtime.execute('createJob', again).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('ALREADY_PROCESSED');
    expect(isAppError(refused) && refused.httpStatus).toBe(409);
    // the replaced file's new content carries the mark of the settings that made it
    const onOutput = await t.embedded.runtime.execute('createJob', { type: 'transcode', params: { videoId: ids['plain.mp4'], codec: 'hevc', mode: 'replace', crf: 28, ...fast } }).catch((e: unknown) => e);
    expect(isAppError(onOutput) && onOutput.code).toBe('ALREADY_PROCESSED');
    // other settings are other work
    const other = await t.runJob('transcode', { videoId: ids['squeezed.mp4'], codec: 'hevc', mode: 'copy', crf: 45, ...fast });
    expectResult(await result(other.id), 'copied', null);
    const forced = await t.runJob('transcode', { ...again.params, force: true });
    expectResult(await result(forced.id), 'kept_original', /live guard|savings check failed/);
  });

  it('restores a quarantined original under its name, same id, and the savings give the saving back', async () => {
    const before = await t.embedded.runtime.execute('getSavings', { groupBy: 'codec' });
    const restored = await t.embedded.runtime.execute('restoreVideo', { id: ids['vfr.mp4']! });
    expect(restored).toMatchObject({ videoId: ids['vfr.mp4'], path: 'videos/vfr.mp4', videoCodec: 'h264', sizeBytes: originals['vfr.mp4']!.length });
    expectUntouched('vfr.mp4');
    expect(await t.embedded.runtime.execute('getVideo', { id: ids['vfr.mp4']! })).toMatchObject({ videoCodec: 'h264', sizeBytes: originals['vfr.mp4']!.length });
    const history = await t.embedded.runtime.execute('getVideoTranscodes', { id: ids['vfr.mp4']! });
    expect(history.quarantined).toBeNull();
    expect(history.history.map((h) => h.action)).toEqual(['restored', 'replaced']);
    const after = await t.embedded.runtime.execute('getSavings', { groupBy: 'codec' });
    expect(after.total.outcomes.restored).toBe(1);
    expect(after.total.filesReplaced).toBe(before.total.filesReplaced - 1);
    expect(after.total.grossBytesSaved).toBe(before.total.grossBytesSaved);
    const again = await t.embedded.runtime.execute('restoreVideo', { id: ids['vfr.mp4']! }).catch((e: unknown) => e);
    expect(isAppError(again) && again.code).toBe('NOT_FOUND');
  });

  it('computes every total from the ledger: net saving = what the replaced files lost, less the restored', async () => {
    const savings = await t.embedded.runtime.execute('getSavings', { groupBy: 'folder' });
    let expected = 0;
    for (const name of ['plain.mp4', 'hdr10.mkv', 'tracks.mkv']) expected += originals[name]!.length - statSync(join(videos(), name)).size;
    expect(savings.total.bytesSaved).toBe(expected);
    expect(savings.groups).toEqual([expect.objectContaining({ key: 'videos', bytesSaved: expected })]);
    expect(savings.total.outcomes).toMatchObject({ replaced: 4, restored: 1, skipped: 1 });
    const byDay = await t.embedded.runtime.execute('getSavings', { groupBy: 'day' });
    expect(byDay.groups.reduce((sum, g) => sum + g.bytesSaved, 0)).toBe(expected);
  });

  it('re-encodes write their ledger row too', async () => {
    const job = await t.runJob('reencode_streaming', { videoId: ids['copy.mp4'], preset: 'ultrafast', crf: 30 });
    expect(job.status, job.log).toBe('completed');
    expect(await result(job.id)).toMatchObject({ jobType: 'reencode_streaming', outcome: 'copied', codecOut: 'h264', encoder: 'libx264', bytesIn: originals['copy.mp4']!.length });
  });
});
