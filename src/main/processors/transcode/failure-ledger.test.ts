/**
 * withFailureLedger (outcomes.ts) on a real SQLite store with processors that stand in for the
 * transcode: one row per failed attempt and no more (an attempt that wrote its own row is not
 * counted twice), none for a success, a cancel or an attempt fenced out by another, and what the
 * row says when the video is not in the library any more.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../core/ports';
import { claimRequest, newJob } from '../../storage/conformance/job-store-conformance';
import { sampleMetadata } from '../../storage/conformance/video-store-conformance';
import { openSqliteStores, type SqliteStores } from '../../storage/sqlite/open-sqlite-stores';
import { JobError, type JobContext, type Processor } from '../processor';
import { HandedToChildren } from '../segments/hand-off';
import { TRANSCODE_FAILURES, TranscodeOutcomes, withFailureLedger } from './outcomes';

let dir: string;
let stores: SqliteStores;
let videoId: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-failure-ledger-'));
  stores = openSqliteStores(join(dir, 'db.sqlite'));
  const [v] = await stores.videos.addVideos([{ id: crypto.randomUUID(), path: 'videos/films/a.mp4', directoryType: 'videos', sizeBytes: 5_000, mtimeMs: 1, at: 1 }]);
  videoId = (await stores.videos.recordProbe(v!.id, { ok: true, metadata: { ...sampleMetadata, videoCodec: 'h264', sizeBytes: 5_000 } }, 2)).id;
});

afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

async function attempt(params: Record<string, unknown>, signal = new AbortController().signal): Promise<JobContext> {
  await stores.jobs.insertJobs([newJob({ type: 'transcode', params })]);
  const job: JobRecord = (await stores.jobs.claimJobs(claimRequest('n1', 2_000))).started[0]!;
  return { job, signal, log() {}, progress() {} } as unknown as JobContext;
}

const failing = (error: Error): Processor => ({ run: () => Promise.reject(error) });
const wrapped = (p: Processor) => withFailureLedger(p, stores.transcode, stores.videos, TRANSCODE_FAILURES);

describe('withFailureLedger', () => {
  it('writes a failed row with the reason and what the library row knows, and rethrows the error', async () => {
    const ctx = await attempt({ videoId, codec: 'hevc', mode: 'replace' });
    const error = new JobError('ffprobe could not read the streams: Invalid data found when processing input', false);
    await expect(wrapped(failing(error)).run(ctx)).rejects.toBe(error);
    expect(await stores.transcode.ledgerOfJob(ctx.job.id)).toMatchObject({
      jobId: ctx.job.id, jobType: 'transcode', videoId, folder: 'videos/films', nodeId: 'n1', mode: 'replace', codecIn: 'h264', codecOut: 'hevc',
      bytesIn: 5_000, bytesOut: null, outcome: 'failed', reason: error.message, encoder: null, checks: [],
    });
    expect(await stores.transcode.savings('codec')).toEqual([{ key: 'hevc', outcome: 'failed', entries: 1, bytesSaved: 0 }]);
  });

  it('a video no longer in the library: 0 bytes in, no folder or codec in', async () => {
    const gone = crypto.randomUUID();
    const ctx = await attempt({ videoId: gone, codec: 'av1', mode: 'copy' });
    await expect(wrapped(failing(new JobError(`Input video ${gone} is not in the library any more.`, false))).run(ctx)).rejects.toThrow(/not in the library/);
    expect(await stores.transcode.ledgerOfJob(ctx.job.id)).toMatchObject({ videoId: gone, folder: '.', codecIn: null, codecOut: 'av1', mode: 'copy', bytesIn: 0, bytesOut: null, outcome: 'failed' });
  });

  it('an attempt that wrote its own row is not counted twice; a later attempt of the same job gets its own row', async () => {
    const ctx = await attempt({ videoId, codec: 'hevc', mode: 'replace' });
    const video = (await stores.videos.getVideo(videoId))!;
    const ownRow: Processor = {
      async run(c) {
        await new TranscodeOutcomes(c, stores.transcode, video, 'replace', Date.now(), 'h264', 5_000, 'hevc').failed('Input file is corrupt: broken audio', { encoder: 'libx265' });
        throw new JobError('Input file is corrupt: broken audio', true);
      },
    };
    await expect(wrapped(ownRow).run(ctx)).rejects.toThrow(/corrupt/);
    expect((await stores.transcode.savings('codec'))[0]!.entries).toBe(1);
    expect(await stores.transcode.ledgerOfJob(ctx.job.id)).toMatchObject({ encoder: 'libx265', reason: 'Input file is corrupt: broken audio' });
    await new Promise((r) => setTimeout(r, 2));
    await expect(wrapped(failing(new JobError('Input file is missing: videos/films/a.mp4', false))).run(ctx)).rejects.toThrow(/missing/);
    expect((await stores.transcode.savings('codec'))[0]!.entries).toBe(2);
    expect(await stores.transcode.ledgerOfJob(ctx.job.id)).toMatchObject({ reason: 'Input file is missing: videos/films/a.mp4', encoder: null });
  });

  it('writes nothing for a success, a cancel, an attempt fenced out by another or a hand-off to child jobs', async () => {
    const ok = await attempt({ videoId, codec: 'hevc', mode: 'replace' });
    await wrapped({ run: async () => {} }).run(ok);
    const controller = new AbortController();
    const cancelled = await attempt({ videoId, codec: 'hevc', mode: 'replace' }, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(wrapped(failing(new JobError('ffmpeg was stopped', true))).run(cancelled)).rejects.toThrow('stopped');
    const fenced = await attempt({ videoId, codec: 'hevc', mode: 'replace' });
    await expect(wrapped(failing(new JobError('Not published: the attempt no longer owns its job', true))).run(fenced)).rejects.toThrow(/^Not published/);
    const handed = await attempt({ videoId, codec: 'hevc', mode: 'replace' });
    await expect(wrapped(failing(new HandedToChildren('Handed to 3 part job(s)'))).run(handed)).rejects.toBeInstanceOf(HandedToChildren);
    expect(await stores.transcode.savings('codec')).toEqual([]);
  });

  it('is the processor itself without a ledger store', () => {
    const p: Processor = { run: async () => {} };
    expect(withFailureLedger(p, undefined, stores.videos, TRANSCODE_FAILURES)).toBe(p);
  });
});
