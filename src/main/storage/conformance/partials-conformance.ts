/**
 * Conformance of the publishing fence and the partial-file records (issue #14): every adapter must
 * pass it unchanged. The fence is the attempt number (and, on a shared store, the lease): a write
 * of an attempt that no longer owns its job changes nothing, and the partial files of attempts that
 * will not go on are handed to recovery exactly once.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewVideoFile, VideoStore } from '../../core/library-ports';
import type { AttemptFence, JobStore } from '../../core/ports';
import { decideAfterCrash } from '../../core/retry-policy';
import { cancelLiveJob, claimRequest, newJob } from './job-store-conformance';
import { sampleMetadata } from './video-store-conformance';

export interface PartialsStores {
  readonly jobs: JobStore;
  readonly videos: VideoStore;
  close(): Promise<void>;
}

export interface PartialsConformanceOptions {
  /** Shared stores only: makes the job's lease run out now (the attempt is then fenced before any sweep). */
  readonly expireLease?: (stores: PartialsStores, jobId: string) => Promise<void>;
}

const output = (path: string, jobId: string): NewVideoFile & { metadata: typeof sampleMetadata } => ({
  id: randomUUID(),
  path,
  directoryType: 'playback',
  sizeBytes: 4321,
  mtimeMs: 1_500,
  sourceJobId: jobId,
  at: 3_000,
  metadata: sampleMetadata,
});

export function describePartialsConformance(adapterName: string, factory: () => Promise<PartialsStores>, options: PartialsConformanceOptions = {}): void {
  describe(`Publishing fence and partial files: ${adapterName}`, () => {
    let stores: PartialsStores;
    let jobs: JobStore;
    beforeEach(async () => {
      stores = await factory();
      jobs = stores.jobs;
    });
    afterEach(async () => stores.close());

    const running = async (nodeId = 'n'): Promise<AttemptFence> => {
      const [job] = await jobs.insertJobs([newJob()]);
      const started = (await jobs.claimJobs(claimRequest(nodeId, 2_000))).started.find((j) => j.id === job!.id)!;
      return { jobId: started.id, attempt: started.attempt };
    };
    const partial = (fence: AttemptFence, path: string, nodeId = 'n') => ({ ...fence, path, nodeId, createdAt: 2_500 });

    it('an attempt owns its job while it runs (or is suspended) in that attempt, and no longer once cancelled, finished or rescued', async () => {
      const [pending] = await jobs.insertJobs([newJob()]);
      expect(await jobs.attemptOwnsJob({ jobId: pending!.id, attempt: 0 })).toBe(false);
      const fence = await running();
      expect(await jobs.attemptOwnsJob(fence)).toBe(true);
      expect(await jobs.attemptOwnsJob({ ...fence, attempt: fence.attempt + 1 })).toBe(false);
      expect(await jobs.attemptOwnsJob({ jobId: randomUUID(), attempt: 1 })).toBe(false);
      await jobs.suspendJob(fence.jobId, 2_100, 'Suspended');
      expect(await jobs.attemptOwnsJob(fence)).toBe(true);
      await jobs.resumeSuspendedJob(fence.jobId, 2_200, 'Resumed');
      // a cancel asked for: the job still runs (its tool is stopping) but the attempt may publish nothing more
      await jobs.cancelJob({ jobId: fence.jobId, at: 2_300, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
      expect((await jobs.getJob(fence.jobId))?.status).toBe('running');
      expect(await jobs.attemptOwnsJob(fence)).toBe(false);
      await cancelLiveJob(jobs, fence, 2_350);
      expect(await jobs.attemptOwnsJob(fence)).toBe(false);

      const rescuedOne = await running('dead');
      await jobs.rescueJobs('dead', 9_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
      expect(await jobs.attemptOwnsJob(rescuedOne)).toBe(false);
      // claimed again: the new attempt owns it, the old one still does not
      const [again] = (await jobs.claimJobs(claimRequest('alive', 9_001))).started.filter((j) => j.id === rescuedOne.jobId);
      expect(await jobs.attemptOwnsJob({ jobId: again!.id, attempt: again!.attempt })).toBe(true);
      expect(await jobs.attemptOwnsJob(rescuedOne)).toBe(false);

      const done = await running();
      await jobs.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'completed', jobId: done.jobId, attempt: done.attempt, at: 3_000, logLine: 'done' }] });
      expect(await jobs.attemptOwnsJob(done)).toBe(false);
    });

    it('hands the partials of attempts that will not go on to recovery once, never those of a live attempt', async () => {
      const live = await running('n1');
      const dead = await running('n2');
      await jobs.recordPartial(partial(live, 'playback/a.11111111-a1.partial.mp4', 'n1'));
      await jobs.recordPartial(partial(dead, 'playback/b.22222222-a1.partial.mp4', 'n2'));
      await jobs.recordPartial(partial(dead, 'playback/b.22222222-a1.partial.mp4', 'n2')); // twice: one row
      await jobs.recordPartial(partial(dead, 'gifs/c.22222222-a1.partial.gif', 'n2'));
      await jobs.recordPartial(partial(dead, 'gifs/forgotten.partial.gif', 'n2'));
      await jobs.forgetPartial(dead, 'gifs/forgotten.partial.gif');
      expect(await jobs.takeAbandonedPartials({})).toEqual([]);

      // the attempt on n2 failed and its job waits for a retry (the embedded store's rescue would take every running job)
      await jobs.recordReports({
        logs: [],
        progress: new Map(),
        outcomes: [{ kind: 'failed', jobId: dead.jobId, attempt: dead.attempt, at: 9_000, error: 'x', logLine: 'x', decision: { kind: 'retry', retryCount: 1, retryAfter: 99_000, reason: 'r' } }],
      });
      expect(await jobs.takeAbandonedPartials({ nodeId: 'n1' })).toEqual([]);
      expect(await jobs.takeAbandonedPartials({ jobIds: [live.jobId] })).toEqual([]);
      const taken = await jobs.takeAbandonedPartials({ jobIds: [dead.jobId, live.jobId] });
      expect(taken.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
        { ...dead, path: 'gifs/c.22222222-a1.partial.gif', nodeId: 'n2', createdAt: 2_500 },
        { ...dead, path: 'playback/b.22222222-a1.partial.mp4', nodeId: 'n2', createdAt: 2_500 },
      ]);
      expect(await jobs.takeAbandonedPartials({})).toEqual([]);

      // by node, and all: a cancelled attempt's partials too
      await cancelLiveJob(jobs, live, 9_100);
      expect((await jobs.takeAbandonedPartials({ nodeId: 'n2' })).map((p) => p.path)).toEqual([]);
      expect((await jobs.takeAbandonedPartials({ nodeId: 'n1' })).map((p) => p.path)).toEqual(['playback/a.11111111-a1.partial.mp4']);
      const other = await running('n3');
      await jobs.recordPartial(partial(other, 'gifs/d.partial.gif', 'n3'));
      await cancelLiveJob(jobs, other, 9_200);
      expect((await jobs.takeAbandonedPartials({})).map((p) => p.path)).toEqual(['gifs/d.partial.gif']);
    });

    it('commits a published file only while the attempt owns its job', async () => {
      const fence = await running();
      await jobs.recordPartial(partial(fence, 'gifs/x.gif'));
      expect(await jobs.commitPartial(fence, 'gifs/x.gif')).toBe(true);
      const stale = await running();
      await jobs.recordPartial(partial(stale, 'gifs/y.gif'));
      await cancelLiveJob(jobs, stale, 2_600);
      expect(await jobs.commitPartial(stale, 'gifs/y.gif')).toBe(false);
      // the fenced file's record stays for recovery; the committed one is gone
      expect((await jobs.takeAbandonedPartials({})).map((p) => p.path)).toEqual(['gifs/y.gif']);
    });

    it('records a published video in one fenced write, with its partial record, replacing a row whose file had gone missing', async () => {
      const fence = await running();
      await jobs.recordPartial(partial(fence, 'playback/x.mp4'));
      const video = await stores.videos.publishVideo(output('playback/x.mp4', fence.jobId), { ...fence, path: 'playback/x.mp4' });
      expect(video).toMatchObject({ path: 'playback/x.mp4', filename: 'x.mp4', directoryType: 'playback', ...sampleMetadata, sizeBytes: 4321, valid: true, missing: false, sourceJobId: fence.jobId, probedAt: 3_000 });
      expect(await stores.videos.getVideoByPath('playback/x.mp4')).toEqual(video);

      // a row whose file vanished is replaced by the newly published file at that path
      await stores.videos.markMissing('playback', new Set(), 3_500);
      const next = await running();
      const replaced = await stores.videos.publishVideo({ ...output('playback/x.mp4', next.jobId), metadata: { ...sampleMetadata, durationSeconds: 3 } }, { ...next, path: 'playback/x.mp4' });
      expect(replaced).toMatchObject({ id: video!.id, missing: false, durationSeconds: 3, sourceJobId: next.jobId });

      // fenced: no row, and the partial record stays for recovery
      const stale = await running();
      await jobs.recordPartial(partial(stale, 'playback/y.mp4'));
      await cancelLiveJob(jobs, stale, 2_600);
      expect(await stores.videos.publishVideo(output('playback/y.mp4', stale.jobId), { ...stale, path: 'playback/y.mp4' })).toBeNull();
      expect(await stores.videos.getVideoByPath('playback/y.mp4')).toBeUndefined();
      expect((await jobs.takeAbandonedPartials({})).map((p) => p.path)).toEqual(['playback/y.mp4']);
    });

    it('sets a thumbnail in one fenced write and says which one it replaced', async () => {
      const [v] = await stores.videos.addVideos([{ id: randomUUID(), path: 'videos/a.mp4', directoryType: 'videos', sizeBytes: 1, mtimeMs: 1, at: 1_000 }]);
      const first = await running();
      await jobs.recordPartial(partial(first, 'thumbnails/a.jpg'));
      expect(await stores.videos.publishThumbnail(v!.id, { ...first, path: 'thumbnails/a.jpg' }, 2_000)).toMatchObject({ previous: null, video: { thumbnailPath: 'thumbnails/a.jpg' } });
      const second = await running();
      expect(await stores.videos.publishThumbnail(v!.id, { ...second, path: 'thumbnails/a (1).jpg' }, 2_100)).toMatchObject({ previous: 'thumbnails/a.jpg', video: { thumbnailPath: 'thumbnails/a (1).jpg' } });
      await cancelLiveJob(jobs, second, 2_200);
      expect(await stores.videos.publishThumbnail(v!.id, { ...second, path: 'thumbnails/a (2).jpg' }, 2_300)).toBeNull();
      expect((await stores.videos.getVideo(v!.id))?.thumbnailPath).toBe('thumbnails/a (1).jpg');
      expect(await jobs.takeAbandonedPartials({})).toEqual([]);
    });

    if (options.expireLease) {
      it('fences an attempt whose lease ran out, before any node swept it', async () => {
        const fence = await running();
        await jobs.recordPartial(partial(fence, 'playback/z.mp4'));
        await options.expireLease!(stores, fence.jobId);
        expect(await jobs.attemptOwnsJob(fence)).toBe(false);
        expect(await jobs.commitPartial(fence, 'playback/z.mp4')).toBe(false);
        expect(await stores.videos.publishVideo(output('playback/z.mp4', fence.jobId), { ...fence, path: 'playback/z.mp4' })).toBeNull();
        expect((await jobs.getJob(fence.jobId))?.status).toBe('running');
      });
    }
  });
}
