/**
 * Issue #14, "files you can trust", through the real runtime with real ffmpeg on clips made at test
 * time: two jobs with the same output both publish (`x.mp4`, `x (1).mp4`); an attempt that loses its
 * job between the encode and the publish publishes nothing and removes only its own partial; a full
 * disk (injected, and a real tiny tmpfs where this machine allows mounting one) publishes nothing;
 * an output that is not what the job expects never reaches its final name; output paths that can
 * never work are refused at create time.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../shared/contracts/errors';
import { waitFor } from '../../runtime/testing/test-runtime';
import { processorFixture, type ProcessorFixture } from '../library/testing';
import { makeClip, makeTempDir, probeJson, TEST_FFMPEG } from '../media/testing/clips';
import { discoverMediaTools, type MediaTools } from '../media/tool-discovery';
import { stagingFs } from '../media/staged-output';
import { JobError } from '../processor';
import { startMediaRuntime, type MediaRuntime } from '../testing/media-runtime';
import { runFfmpegStep } from './ffmpeg-step';
import { LibraryOutput, publishSeams } from './publish-output';
import { DURATION_TOLERANCE, verifyOutput } from './verify-output';

let m: MediaRuntime;
let clipId = '';
const quiet = { beforePublish: publishSeams.beforePublish, beforeRecord: publishSeams.beforeRecord };

const files = (folder: string) => (existsSync(join(m.root, folder)) ? readdirSync(join(m.root, folder)).sort() : []);
const partials = (folder: string) => files(folder).filter((f) => f.includes('.partial.'));

beforeAll(async () => {
  m = await startMediaRuntime({ limits: { cpu: 4, gpu_encode: 2, gpu_ai: 1 } });
  await makeClip(join(m.root, 'videos'), 'clip.mp4', { width: 320, height: 180, seconds: 2 });
  expect((await m.runJob('scan', { directoryType: 'videos' })).status).toBe('completed');
  clipId = (await m.embedded.runtime.execute('listVideos', { search: 'clip' })).data[0]!.id;
}, 60_000);
afterAll(async () => m.dispose());
afterEach(() => {
  Object.assign(publishSeams, quiet);
  vi.restoreAllMocks();
});

const reencode = (extra: Record<string, unknown> = {}) => ({ videoId: clipId, targetBitrate: 500, preset: 'ultrafast', crf: 30, ...extra });

/** Holds every publish until `n` attempts have reached it: their partials then exist side by side. */
function barrier(n: number): void {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  publishSeams.beforePublish = async () => {
    arrived += 1;
    if (arrived === n) release();
    await all;
  };
}

describe('two jobs, one output', () => {
  it('two re-encodes of one video to the same outputPath at once: both complete, x.mp4 and x (1).mp4, both valid and recorded', async () => {
    barrier(2);
    const [a, b] = await Promise.all([m.runJob('reencode_streaming', reencode({ outputPath: 'playback/same.mp4' })), m.runJob('reencode_streaming', reencode({ outputPath: 'playback/same.mp4' }))]);
    expect(a.status, a.log).toBe('completed');
    expect(b.status, b.log).toBe('completed');
    expect(files('playback').filter((f) => f.startsWith('same'))).toEqual(['same (1).mp4', 'same.mp4']);
    const videos = (await m.embedded.runtime.execute('listVideos', { search: 'same', limit: 10 })).data;
    expect(videos.map((v) => [v.path, v.valid]).sort()).toEqual([['playback/same (1).mp4', true], ['playback/same.mp4', true]]);
    expect(new Set(videos.map((v) => v.sourceJobId))).toEqual(new Set([a.id, b.id]));
    for (const v of videos) {
      const probe = await probeJson(join(m.root, v.path));
      expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
      expect(Number(probe.format.duration)).toBeCloseTo(2, 0);
    }
    expect(partials('playback')).toEqual([]);
  }, 60_000);

  it('two GIFs and two thumbnails of one video at once: every job completes with a whole file, no partial is left', async () => {
    barrier(4);
    const jobs = await Promise.all([
      m.runJob('compile_gif', { videoId: clipId, start: 0, duration: 1, fps: 5, width: 96, outputPath: 'gifs/same.gif' }),
      m.runJob('compile_gif', { videoId: clipId, start: 0, duration: 1, fps: 5, width: 96, outputPath: 'gifs/same.gif' }),
      m.runJob('thumbnail_generate', { videoId: clipId, width: 160 }),
      m.runJob('thumbnail_generate', { videoId: clipId, width: 160 }),
    ]);
    for (const j of jobs) expect(j.status, j.log).toBe('completed');
    expect(files('gifs').filter((f) => f.startsWith('same'))).toEqual(['same (1).gif', 'same.gif']);
    for (const gif of ['same.gif', 'same (1).gif']) expect((await probeJson(join(m.root, 'gifs', gif))).streams[0]).toMatchObject({ codec_name: 'gif', width: 96 });
    // the thumbnail recorded last is the video's; the one it replaced is removed after that fenced record
    const video = await m.embedded.runtime.execute('getVideo', { id: clipId });
    const thumbs = files('thumbnails').filter((f) => f.startsWith('clip-'));
    expect(thumbs).toEqual([video.thumbnailPath!.slice('thumbnails/'.length)]);
    expect((await probeJson(join(m.root, video.thumbnailPath!))).streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 160 });
    expect([...partials('gifs'), ...partials('thumbnails')]).toEqual([]);
  }, 60_000);
});

describe('a fenced attempt publishes nothing', () => {
  const others = () => {
    // another job's published output and another attempt's partial, which a fenced attempt must never touch
    writeFileSync(join(m.root, 'playback', 'fenced.mp4'), 'published by another job');
    writeFileSync(join(m.root, 'playback', 'fenced.deadbeef-a1.partial.mp4'), 'written by another attempt');
  };

  it('cancelled between the encode and the fence check: no final file, no video row, only its own partial removed', async () => {
    others();
    let seen: LibraryOutput | null = null;
    let id = '';
    publishSeams.beforePublish = async (output) => {
      seen = output;
      expect(existsSync(output.partialPath)).toBe(true);
      await m.embedded.runtime.execute('cancelJob', { id });
    };
    id = (await m.embedded.runtime.execute('createJob', { type: 'reencode_streaming', params: reencode({ outputPath: 'playback/fenced.mp4' }) })).id;
    await waitFor(async () => (await m.embedded.runtime.execute('getJob', { id })).status === 'cancelled', 30_000, 'cancelled');
    expect(seen).not.toBeNull();
    expect(files('playback').filter((f) => f.startsWith('fenced'))).toEqual(['fenced.deadbeef-a1.partial.mp4', 'fenced.mp4']);
    expect(readFileSync(join(m.root, 'playback', 'fenced.mp4'), 'utf8')).toBe('published by another job');
    expect((await m.embedded.runtime.execute('listVideos', { search: 'fenced' })).data).toEqual([]);
  }, 60_000);

  it('fenced after the rename, at the fenced record: the just-published file is taken back, the other files stay', async () => {
    others();
    let published = '';
    let id = '';
    publishSeams.beforeRecord = async (file) => {
      published = file.relativePath;
      expect(existsSync(file.path)).toBe(true);
      await m.embedded.runtime.execute('cancelJob', { id });
    };
    id = (await m.embedded.runtime.execute('createJob', { type: 'reencode_streaming', params: reencode({ outputPath: 'playback/fenced.mp4' }) })).id;
    await waitFor(async () => (await m.embedded.runtime.execute('getJob', { id })).status === 'cancelled', 30_000, 'cancelled');
    expect(published).toBe('playback/fenced (1).mp4');
    expect(files('playback').filter((f) => f.startsWith('fenced'))).toEqual(['fenced.deadbeef-a1.partial.mp4', 'fenced.mp4']);
    expect((await m.embedded.runtime.execute('listVideos', { search: 'fenced' })).data).toEqual([]);
  }, 60_000);
});

describe('a full disk publishes nothing', () => {
  it('an injected ENOSPC at the commit: no file published, the partial gone, "Disk full" as the reason, retried later', async () => {
    vi.spyOn(stagingFs, 'link').mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left on device, link'), { code: 'ENOSPC' }));
    const job = await m.runJob('reencode_streaming', reencode({ outputPath: 'playback/nospace.mp4' }));
    expect(job).toMatchObject({ status: 'queued', retryCount: 1 });
    expect(job.retryAfter).not.toBeNull();
    expect(job.lastError).toBe('Disk full: no space left on device while writing playback/nospace.mp4');
    expect(files('playback').filter((f) => f.startsWith('nospace'))).toEqual([]);
    await m.embedded.runtime.execute('cancelJob', { id: job.id });
  }, 60_000);

  const mounted = (() => {
    // a real full disk: a 32 KiB tmpfs over gifs/ (root only; skipped where mounting is not allowed)
    return (dir: string): boolean => {
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32k', 'tmpfs', dir], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
  })();

  it('a real full disk (a tiny tmpfs) while ffmpeg writes: no file published, the partial gone, "Disk full" as the reason', async (t) => {
    const gifs = join(m.root, 'gifs', 'full');
    mkdirSync(gifs, { recursive: true });
    if (!mounted(gifs)) t.skip();
    try {
      const job = await m.runJob('compile_gif', { videoId: clipId, start: 0, duration: 2, fps: 25, width: 320, outputPath: 'gifs/full/big.gif' });
      expect(job.status, job.log).toBe('queued');
      expect(job.lastError).toMatch(/^Disk full: /);
      expect(readdirSync(gifs)).toEqual([]);
      await m.embedded.runtime.execute('cancelJob', { id: job.id });
    } finally {
      execFileSync('umount', [gifs]);
    }
  }, 60_000);
});

describe('verification before publish', () => {
  let f: ProcessorFixture;
  let tools: MediaTools;
  beforeAll(async () => {
    f = processorFixture();
    tools = await discoverMediaTools();
  });
  afterAll(async () => f.dispose());

  it('an output that is not what the job expects (ffmpeg exits 0 with raw frames in x.mp4) never reaches its final name', async () => {
    const ctx = await f.runningContext('reencode_streaming', {});
    const output = join(f.library.root, 'playback', 'garbage.mp4');
    const run = runFfmpegStep(ctx, {
      library: f.library,
      tools,
      outputPath: output,
      durationSeconds: 1,
      check: { kind: 'video', durationSeconds: 1, tolerance: DURATION_TOLERANCE.reencode },
      args: (partial) => ['-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5:duration=1', '-f', 'rawvideo', partial],
    });
    const error = await run.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/^The output playback\/garbage\.mp4 failed verification: corrupt: /);
    expect((error as Error).message).not.toContain('\n');
    expect(readdirSync(join(f.library.root, 'playback'))).toEqual([]);
    expect(await f.stores.jobs.takeAbandonedPartials({})).toEqual([]); // its records are gone too
  });

  it('an output path that cannot heal fails at once with one line, not retried (a file in the way, a folder name too long)', async () => {
    const ctx = await f.runningContext('compile_gif', {});
    writeFileSync(join(f.library.root, 'gifs', 'taken'), 'a file where a folder should be');
    const stage = (path: string) => LibraryOutput.stage(ctx, f.library, f.library.resolve(path)).then(() => null, (e: unknown) => e);
    expect(await stage('gifs/taken/x.gif')).toMatchObject({ retryable: false, message: 'Cannot write gifs/taken/x.gif: a part of the path is a file, not a folder' });
    const long = `gifs/${'d'.repeat(300)}/x.gif`;
    expect(await stage(long)).toMatchObject({ retryable: false, message: `Cannot write ${long}: the name is too long for the file system` });
    // finding 4: "." once made the stale-partial clean-up delete `<root>.partial`, beside the library
    writeFileSync(join(f.dir, 'library.partial'), 'beside the library');
    expect(await stage('.')).toMatchObject({ retryable: false, message: 'Invalid output path ".": the library root is a folder, not a file' });
    expect(readdirSync(join(f.library.root, 'gifs'))).toEqual(['taken']);
    expect(readFileSync(join(f.dir, 'library.partial'), 'utf8')).toBe('beside the library');
  });

  it('a duration far from the expected one fails, within the tolerance passes', async () => {
    const ctx = await f.runningContext('reencode_streaming', {});
    const { dir, cleanup } = await makeTempDir('verify');
    try {
      const clip = await makeClip(dir, 'two.mp4', { seconds: 2 });
      const check = (durationSeconds: number) => verifyOutput(ctx, tools, clip, 'playback/two.mp4', { kind: 'video', durationSeconds, tolerance: DURATION_TOLERANCE.reencode, audio: true });
      await expect(check(2.3)).resolves.toMatchObject({ kind: 'video' });
      await expect(check(3)).rejects.toThrow(/failed verification: duration 2\.\d\d s, expected 3\.00 s \(± 0\.50 s\)/);
      const silent = await makeClip(dir, 'silent.mp4', { seconds: 2, audio: false });
      await expect(verifyOutput(ctx, tools, silent, 'playback/silent.mp4', { kind: 'video', durationSeconds: 2, tolerance: DURATION_TOLERANCE.reencode, audio: true })).rejects.toThrow(/no audio stream/);
    } finally {
      await cleanup();
    }
  });

  it('verify "decode": a file ffprobe reads but whose frames are damaged fails the decode check', async () => {
    const ctx = await f.runningContext('reencode_streaming', {});
    const { dir, cleanup } = await makeTempDir('decode');
    try {
      const path = join(dir, 'damaged.mp4');
      execFileSync(TEST_FFMPEG, ['-v', 'error', '-nostdin', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-movflags', '+faststart', path]);
      const bytes = readFileSync(path);
      bytes.fill(0x55, bytes.length >> 1, (bytes.length >> 1) + 4000);
      writeFileSync(path, bytes);
      const check = { kind: 'video' as const, durationSeconds: 3, tolerance: DURATION_TOLERANCE.reencode };
      await expect(verifyOutput(ctx, tools, path, 'playback/damaged.mp4', check)).resolves.toMatchObject({ kind: 'video' });
      await expect(verifyOutput(ctx, tools, path, 'playback/damaged.mp4', { ...check, decode: true })).rejects.toThrow(/failed verification: the decode check found \d+ error\(s\): /);
    } finally {
      await cleanup();
    }
  });

  it('a re-encode with verify "decode" decodes its output before publishing it', async () => {
    const job = await m.runJob('reencode_streaming', reencode({ outputPath: 'playback/decoded.mp4', verify: 'decode' }));
    expect(job.status, job.log).toBe('completed');
    expect(job.log).toMatch(/Decode check of playback\/decoded\.mp4: no errors/);
  }, 60_000);
});

describe('output paths are checked when the job is created', () => {
  const video = randomUUID();
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['the library root "."', { type: 'reencode_streaming', params: { videoId: video, outputPath: '.' } }, /outputPath: must be a file path, not the library root/],
    ['a ".." segment', { type: 'reencode_streaming', params: { videoId: video, outputPath: 'playback/../x.mp4' } }, /outputPath: must not contain "\.\." segments/],
    ['an absolute path', { type: 'reencode_streaming', params: { videoId: video, outputPath: '/tmp/x.mp4' } }, /outputPath: must be relative to the library root/],
    ['a folder (trailing slash)', { type: 'reencode_streaming', params: { videoId: video, outputPath: 'playback/' } }, /outputPath: must be a file, not a folder/],
    ['a folder (the playback folder itself)', { type: 'reencode_streaming', params: { videoId: video, outputPath: 'playback' } }, /outputPath: must be a file inside playback\//],
    ['no extension', { type: 'reencode_streaming', params: { videoId: video, outputPath: 'playback/movie' } }, /outputPath: must name a file ending with \.mp4, \.m4v or \.mov/],
    ['a wrong extension', { type: 'reencode_streaming', params: { videoId: video, outputPath: 'playback/movie.gif' } }, /outputPath: must end with \.mp4, \.m4v or \.mov/],
    ['a folder the type does not write', { type: 'reencode_streaming', params: { videoId: video, outputPath: 'videos/x.mp4' } }, /outputPath: must be a file inside playback\//],
    ['a name too long', { type: 'compile_quad', params: { videoIds: [video, video, video, video], outputPath: `compilations/${'é'.repeat(110)}.mp4` } }, /outputPath: the file name must be at most 215 bytes/],
    ['a name reserved for partials', { type: 'compile_mega', params: { videoIds: [video, video], outputPath: 'compilations/x.partial.mp4' } }, /outputPath: must not contain "\.partial\."/],
    ['a hidden name', { type: 'compile_random', params: { outputPath: 'compilations/.x.mp4' } }, /outputPath: must not be a hidden file/],
    ['a GIF anywhere but gifs/', { type: 'compile_gif', params: { videoId: video, outputPath: 'playback/x.gif' } }, /outputPath: must be a file inside gifs\//],
    ['a GIF named .mp4', { type: 'compile_gif', params: { videoId: video, outputPath: 'gifs/x.mp4' } }, /outputPath: must end with \.gif/],
    ['an unknown verify mode', { type: 'reencode_streaming', params: { videoId: video, verify: 'probe' } }, /verify/],
  ];
  it.each(cases)('refuses %s with 400 VALIDATION_FAILED naming the field', async (_what, input, message) => {
    const error = await m.embedded.runtime.execute('createJob', input).then(() => null, (e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('VALIDATION_FAILED');
    expect((error as Error).message).toMatch(message);
  });

  it('accepts a file in a sub-folder of the folder the type writes', async () => {
    const job = await m.embedded.runtime.execute('createJob', { type: 'compile_gif', params: { videoId: clipId, outputPath: 'gifs/sub/x.gif' } });
    expect((await m.embedded.runtime.execute('getJob', { id: job.id })).params).toMatchObject({ outputPath: 'gifs/sub/x.gif' });
    await m.embedded.runtime.execute('cancelJob', { id: job.id });
  });
});
