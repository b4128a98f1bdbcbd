/**
 * The swap protocols on real files and a real SQLite store, without ffmpeg (the kill tests cover the
 * same-name replace with real encodes): a replace that changes the extension, interrupted after each
 * step and recovered; two replaces of one file at once (the second waits its turn, then keeps the
 * original that changed under it); a restore interrupted after its move and rolled forward; the
 * quarantine sweep.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../shared/contracts/errors';
import type { JobRecord } from '../../core/ports';
import { decideAfterCrash } from '../../core/retry-policy';
import { LibraryPaths } from '../../library/library-paths';
import { claimRequest, newJob } from '../../storage/conformance/job-store-conformance';
import { sampleMetadata } from '../../storage/conformance/video-store-conformance';
import { openSqliteStores, type SqliteStores } from '../../storage/sqlite/open-sqlite-stores';
import { JobError, type JobContext } from '../processor';
import { attemptToken } from '../steps/publish-output';
import { restoreSeams } from './restore';
import { replaceOriginal } from './swap';
import { identityOf, swapSeams, type SwapStep } from './swap-files';
import type { SwapJournal } from '../../core/transcode-ports';
import { TranscodeService } from './transcode-service';

const DAY = 86_400_000;
let dir: string;
let stores: SqliteStores;
let library: LibraryPaths;
let service: TranscodeService;
let videoId: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-swap-'));
  stores = openSqliteStores(join(dir, 'db.sqlite'));
  library = new LibraryPaths(join(dir, 'library'));
  library.ensureDirectories();
  writeFileSync(join(library.root, 'videos', 'a.mp4'), 'ORIGINAL');
  const [v] = await stores.videos.addVideos([{ id: crypto.randomUUID(), path: 'videos/a.mp4', directoryType: 'videos', sizeBytes: 8, mtimeMs: 1, at: 1 }]);
  videoId = (await stores.videos.recordProbe(v!.id, { ok: true, metadata: { ...sampleMetadata, sizeBytes: 8 } }, 2)).id;
  service = new TranscodeService({ store: stores.transcode, videos: stores.videos, library, nodeId: 'n1', quarantineDays: 7, sharedStore: false });
});

afterEach(async () => {
  swapSeams.reached = async () => {};
  restoreSeams.moved = async () => {};
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A running attempt and the little of a JobContext the swap uses. */
async function attempt(): Promise<{ ctx: JobContext; job: JobRecord; lines: string[]; cancel: AbortController }> {
  await stores.jobs.insertJobs([newJob({ type: 'validate' })]);
  const job = (await stores.jobs.claimJobs(claimRequest('n1', 2_000))).started[0]!;
  const fence = { jobId: job.id, attempt: job.attempt };
  const lines: string[] = [];
  const cancel = new AbortController();
  const ctx = {
    job, signal: cancel.signal, log: (line: string) => lines.push(line), heartbeat() {}, files: { fence, ownsJob: () => stores.jobs.attemptOwnsJob(fence) },
  } as unknown as JobContext;
  return { ctx, job, lines, cancel };
}

/** Replaces videos/a.mp4 by a verified "output" that takes the name videos/a.mkv (a container change). */
async function replace(ctx: JobContext, turnWaitMs?: number) {
  const partial = `videos/a.${attemptToken(ctx.job)}.partial.mkv`;
  writeFileSync(library.resolve(partial), 'NEW');
  const video = (await stores.videos.getVideo(videoId))!;
  const { stat } = await import('node:fs/promises');
  const info = await stat(library.resolve('videos/a.mp4'));
  return replaceOriginal({
    ctx, library, store: stores.transcode, video, expected: { sizeBytes: info.size, mtimeMs: Math.round(info.mtimeMs) }, finalPath: 'videos/a.mkv', partialPath: partial,
    nodeId: 'n1', quarantineDays: 7, now: Date.now, turnWaitMs,
    commit: (file) => ({
      video: { videoId, path: file.path, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs, at: Date.now(), metadata: { ...sampleMetadata, videoCodec: 'hevc', sizeBytes: file.sizeBytes } },
      history: { videoId, action: 'replaced', jobId: ctx.job.id, at: Date.now(), previousPath: 'videos/a.mp4', previousCodec: 'h264', previousSizeBytes: 8, newPath: file.path, newCodec: 'hevc', newSizeBytes: 3 },
      ledger: { at: Date.now(), jobId: ctx.job.id, jobType: 'transcode', videoId, folder: 'videos', nodeId: 'n1', gpu: null, encoder: 'libx265', mode: 'replace', codecIn: 'h264', codecOut: 'hevc', bytesIn: 8, bytesOut: 3, wallMs: 1, outcome: 'replaced', reason: null, checks: [] },
      marks: [],
      fingerprint: { videoId, sizeBytes: 3, mtimeMs: file.mtimeMs, fingerprint: 'v1:3:x' },
    }),
  });
}

const videosFolder = () => readdirSync(join(library.root, 'videos')).sort();
const quarantined = () => (existsSync(join(library.root, '.quarantine')) ? readdirSync(join(library.root, '.quarantine'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')) : []);

describe('a replace that changes the extension', () => {
  it('commits: the new name holds the output, the old one is gone, the original is in quarantine, the row has the new path', async () => {
    const { ctx } = await attempt();
    const done = await replace(ctx);
    expect(done).toMatchObject({ kind: 'replaced', video: { id: videoId, path: 'videos/a.mkv', videoCodec: 'hevc' } });
    expect(videosFolder()).toEqual(['a.mkv']);
    expect(quarantined()).toEqual(['ORIGINAL']);
    expect(await stores.transcode.abandonedSwaps({})).toEqual([]);
  });

  it.each<SwapStep>(['journaled', 'quarantined', 'renamed'])('interrupted after "%s" (its attempt dead), is rolled back by recovery: the original under its name, nothing else', async (step) => {
    const { ctx } = await attempt();
    swapSeams.reached = async (reached) => {
      if (reached === step) throw new Error('the node died here');
    };
    await expect(replace(ctx)).rejects.toThrow('the node died here');
    expect(videosFolder()).toContain(step === 'renamed' ? 'a.mkv' : 'a.mp4');
    await stores.jobs.rescueJobs('n1', Date.now(), (j) => decideAfterCrash(j.retryCount, j.maxRetries));
    await service.recover();
    expect(videosFolder()).toEqual(['a.mp4']);
    expect(readFileSync(join(library.root, 'videos', 'a.mp4'), 'utf8')).toBe('ORIGINAL');
    expect(existsSync(join(library.root, '.quarantine')) ? readdirSync(join(library.root, '.quarantine')) : []).toEqual([]);
    expect(await stores.transcode.abandonedSwaps({})).toEqual([]);
    expect((await stores.videos.getVideo(videoId))?.path).toBe('videos/a.mp4');
  });

  it('is not recovered while its attempt still owns the job', async () => {
    const { ctx } = await attempt();
    swapSeams.reached = async (reached) => {
      if (reached === 'renamed') throw new Error('stalled');
    };
    await expect(replace(ctx)).rejects.toThrow('stalled');
    await service.recover();
    expect(videosFolder()).toEqual(['a.mkv']);
    expect(await stores.transcode.abandonedSwaps({})).toHaveLength(0);
  });
});

describe('two replaces of one file at once (twins forced to run together)', () => {
  /** Holds the first replace that reaches "journaled" until `release` is called. */
  function holdFirstSwap(): { held: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = new Promise<void>((resolve) => (reached = resolve));
    let first = true;
    swapSeams.reached = async (step) => {
      if (step !== 'journaled' || !first) return;
      first = false;
      reached();
      await gate;
    };
    return { held, release };
  }

  /** Two running attempts on the video; the first's replace is under way and held at "journaled". */
  async function firstTwinHeld() {
    const { held, release } = holdFirstSwap();
    const one = await attempt();
    const two = await attempt();
    const first = replace(one.ctx);
    await held;
    return { one, two, first, release };
  }

  const WAITING_LINE = 'Another replace or restore of videos/a.mp4 is in progress; waiting for it to end';

  it('the second waits for the first to end, then keeps the original that changed under it (no retry, no second swap)', async () => {
    const { one, two, first, release } = await firstTwinHeld();
    const second = replace(two.ctx);
    await vi.waitFor(() => expect(two.lines).toContain(WAITING_LINE), { timeout: 10_000 });
    release();
    expect(await first).toMatchObject({ kind: 'replaced' });
    expect(await second).toEqual({ kind: 'kept', reason: 'videos/a.mp4 changed while it was being transcoded (another replace or restore of it ended first)' });
    expect(quarantined()).toEqual(['ORIGINAL']);
    expect((await stores.transcode.historyOf(videoId)).map((h) => [h.action, h.jobId])).toEqual([['replaced', one.job.id]]);
    expect(await swapIsFree()).toBe(true);
  });

  it('gives up for a later retry when the other swap does not end in time (a node that died mid-swap, until recovery)', async () => {
    const { two, first, release } = await firstTwinHeld();
    const error = await replace(two.ctx, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    expect(error).toMatchObject({ retryable: true, message: 'Another replace or restore of videos/a.mp4 is in progress; this one is tried again later' });
    release();
    expect(await first).toMatchObject({ kind: 'replaced' });
    expect(quarantined()).toEqual(['ORIGINAL']);
  });

  it('stops waiting at once when its job is cancelled, and leaves nothing journaled', async () => {
    const { two, first, release } = await firstTwinHeld();
    const second = replace(two.ctx).catch((e: unknown) => e);
    await vi.waitFor(() => expect(two.lines).toContain(WAITING_LINE), { timeout: 10_000 });
    const cancelledAt = performance.now();
    two.cancel.abort();
    expect(await second).toMatchObject({ name: 'AbortError' });
    expect(performance.now() - cancelledAt).toBeLessThan(5_000); // not the 30-s wait
    release();
    expect(await first).toMatchObject({ kind: 'replaced' });
    expect(await swapIsFree()).toBe(true);
  });

  it('keeps the original when it changed while the output was made ready, and frees the swap it had begun', async () => {
    const { ctx } = await attempt();
    swapSeams.reached = async (step) => {
      // between the checks and the journal row (the output's fsync): another writer changes the original in place
      if (step === 'verified') writeFileSync(join(library.root, 'videos', 'a.mp4'), 'ORIGINAL, EDITED');
    };
    expect(await replace(ctx)).toEqual({ kind: 'kept', reason: 'videos/a.mp4 changed while it was being transcoded' });
    expect(readFileSync(join(library.root, 'videos', 'a.mp4'), 'utf8')).toBe('ORIGINAL, EDITED');
    expect(quarantined()).toEqual([]);
    expect(await swapIsFree()).toBe(true);
  });
});

describe('recovery of a replace that had found the original changed', () => {
  it('frees the row of a replace stopped before freeing it: nothing was moved, the new file stays, the output goes', async () => {
    const { ctx, job } = await attempt();
    const partial = `videos/a.${attemptToken(ctx.job)}.partial.mp4`;
    writeFileSync(library.resolve(partial), 'NEW');
    const identity = async (rel: string) => (await identityOf(library.resolve(rel)))!;
    const journal: SwapJournal = {
      videoId, kind: 'replace', jobId: job.id, attempt: job.attempt, nodeId: 'n1', originalPath: 'videos/a.mp4', finalPath: 'videos/a.mp4',
      quarantinePath: `.quarantine/${attemptToken(ctx.job)}/videos/a.mp4`, incomingPath: partial, originalIdentity: await identity('videos/a.mp4'), incomingIdentity: await identity(partial),
      payload: '{}', createdAt: Date.now(),
    };
    expect(await stores.transcode.beginReplace(journal, { jobId: job.id, attempt: job.attempt })).toBe(true);
    // another writer puts a new file under the name (a new inode), and the node dies before the row is freed
    writeFileSync(join(library.root, 'videos', 'a.tmp'), 'SOMEONE ELSE');
    renameSync(join(library.root, 'videos', 'a.tmp'), join(library.root, 'videos', 'a.mp4'));
    await stores.jobs.rescueJobs('n1', Date.now(), (j) => decideAfterCrash(j.retryCount, j.maxRetries));
    await service.recover();
    expect(await swapIsFree()).toBe(true);
    expect(videosFolder()).toEqual(['a.mp4']);
    expect(readFileSync(join(library.root, 'videos', 'a.mp4'), 'utf8')).toBe('SOMEONE ELSE');
    expect(quarantined()).toEqual([]);
  });
});

/** Whether no swap of the video is journaled: a fresh attempt can begin one (abandonedSwaps leaves out rows whose attempt is live). */
async function swapIsFree(): Promise<boolean> {
  const { job } = await attempt();
  const fence = { jobId: job.id, attempt: job.attempt };
  const journal: SwapJournal = {
    videoId, kind: 'replace', jobId: job.id, attempt: job.attempt, nodeId: 'n1', originalPath: 'videos/a.mp4', finalPath: 'videos/a.mp4',
    quarantinePath: '.quarantine/x/videos/a.mp4', incomingPath: 'videos/a.x.partial.mp4', originalIdentity: '1:1', incomingIdentity: '1:2', payload: '{}', createdAt: Date.now(),
  };
  if (!(await stores.transcode.beginReplace(journal, fence))) return false;
  await stores.transcode.endSwap(journal);
  return true;
}

describe('restore', () => {
  it('puts the original back under its old name and the row back to it; a second restore finds nothing', async () => {
    await replace((await attempt()).ctx);
    expect(await service.restore(videoId)).toEqual({ videoId, path: 'videos/a.mp4', sizeBytes: 8, videoCodec: 'h264' });
    expect(videosFolder()).toEqual(['a.mp4']);
    expect(readFileSync(join(library.root, 'videos', 'a.mp4'), 'utf8')).toBe('ORIGINAL');
    expect(quarantined()).toEqual([]);
    expect((await service.savings('day')).total).toMatchObject({ bytesSaved: 0, grossBytesSaved: 5, filesReplaced: 0 });
    await expect(service.restore(videoId)).rejects.toSatisfy((e) => isAppError(e) && e.code === 'NOT_FOUND');
  });

  it('interrupted after its move, is rolled forward at the next start (the original is already back)', async () => {
    await replace((await attempt()).ctx);
    restoreSeams.moved = () => new Promise<never>(() => {}); // the node dies here
    void service.restore(videoId);
    await new Promise((r) => setTimeout(r, 100));
    expect(videosFolder()).toEqual(['a.mp4']);
    expect((await stores.videos.getVideo(videoId))?.path).toBe('videos/a.mkv');
    const restarted = new TranscodeService({ store: stores.transcode, videos: stores.videos, library, nodeId: 'n1', quarantineDays: 7, sharedStore: false });
    await restarted.recover({});
    expect(await stores.videos.getVideo(videoId)).toMatchObject({ path: 'videos/a.mp4', videoCodec: 'h264', sizeBytes: 8 });
    expect(quarantined()).toEqual([]);
    expect((await stores.transcode.historyOf(videoId)).map((h) => h.action)).toEqual(['restored', 'replaced']);
  });

  it('refuses when the old name was taken meanwhile', async () => {
    await replace((await attempt()).ctx);
    writeFileSync(join(library.root, 'videos', 'a.mp4'), 'SOMEONE ELSE');
    await expect(service.restore(videoId)).rejects.toSatisfy((e) => isAppError(e) && e.code === 'INVALID_TRANSITION');
    expect(quarantined()).toEqual(['ORIGINAL']);
  });
});

describe('the quarantine sweep', () => {
  it('deletes originals past MEDIA_QUARANTINE_DAYS (only the very file quarantined), after which nothing can be restored', async () => {
    await replace((await attempt()).ctx);
    expect(await service.sweepQuarantine()).toBe(0);
    const later = new TranscodeService({ store: stores.transcode, videos: stores.videos, library, nodeId: 'n1', quarantineDays: 7, sharedStore: false, now: () => Date.now() + 7 * DAY + 1 });
    expect(await later.sweepQuarantine()).toBe(1);
    expect(existsSync(join(library.root, '.quarantine')) ? readdirSync(join(library.root, '.quarantine')) : []).toEqual([]);
    expect(videosFolder()).toEqual(['a.mkv']);
    await expect(service.restore(videoId)).rejects.toSatisfy((e) => isAppError(e) && e.code === 'NOT_FOUND');
  });
});
