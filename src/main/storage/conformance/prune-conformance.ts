/**
 * Conformance suite of retention (JobStore.pruneJobs): every adapter must pass it. Ended jobs past
 * their window go with their log lines and analysis segments; every other job, the library's
 * videos, scenes and tags stay; the counts equal a recount of the rows after each batch.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOB_STATUSES } from '../../../shared/domain/statuses';
import type { AnalysisStore } from '../../core/analysis-ports';
import type { VideoStore } from '../../core/library-ports';
import type { AttemptOutcome, JobRecord, JobStore, PruneRequest } from '../../core/ports';
import { decideAfterFailure } from '../../core/retry-policy';
import { retentionCutoffs } from '../../core/retention';
import { capacityOf, claimRequest, newJob } from './job-store-conformance';

export interface PruneFixture {
  readonly jobs: JobStore;
  readonly videos: VideoStore;
  readonly analysis: AnalysisStore;
  /** Rows of a table (job_logs, analysis_segments …), read directly: what the port cannot show. */
  countRows(table: string): Promise<number>;
  /** Folds appended count deltas in (stores that count by deltas), so counts are checked after it too. */
  compact?(): Promise<void>;
  close(): Promise<void>;
}

const DAY = 86_400_000;
const NOW = 100 * DAY;
const WINDOWS = { completedDays: 30, failedDays: 90 };
const POLICY = { baseDelayMs: 1_000, maxDelayMs: 8_000 };
const capacity = capacityOf({ limits: { cpu: 100, gpu_encode: 100, gpu_ai: 100 } });

/** Every pass of the cleaner: batches of `limit` until the store says the pass is done. */
async function prunePass(store: JobStore, cutoffs: Pick<PruneRequest, 'completedBefore' | 'failedBefore'>, limit: number, each?: (deleted: number) => Promise<void>): Promise<number> {
  let after: number | null = 0;
  let total = 0;
  while (after !== null) {
    const result = await store.pruneJobs({ ...cutoffs, after, limit });
    expect(result.deleted).toBeLessThanOrEqual(limit);
    total += result.deleted;
    await each?.(result.deleted);
    after = result.next;
  }
  return total;
}

/** The counts by status and type equal a recount of the rows. */
async function expectExactCounts(store: JobStore): Promise<JobRecord[]> {
  const { rows, total } = await store.listJobs({}, 0, 10_000);
  expect(total).toBe(rows.length);
  const counts = await store.countJobs();
  expect(counts.byStatus).toEqual(Object.fromEntries(JOB_STATUSES.map((s) => [s, rows.filter((j) => j.status === s).length])));
  const byType: Record<string, number> = {};
  for (const job of rows) byType[job.type] = (byType[job.type] ?? 0) + 1;
  expect(Object.fromEntries(Object.entries(counts.byType).filter(([, n]) => n !== 0))).toEqual(byType);
  for (const status of JOB_STATUSES) expect((await store.listJobs({ status }, 0, 1)).total).toBe(counts.byStatus[status]);
  return rows;
}

export function describePruneConformance(adapterName: string, factory: () => Promise<PruneFixture>): void {
  describe(`Retention (pruneJobs) conformance: ${adapterName}`, () => {
    let fx: PruneFixture;
    let store: JobStore;
    beforeEach(async () => {
      fx = await factory();
      store = fx.jobs;
    });
    afterEach(async () => fx.close());

    /** A job created at day 0 that runs and ends with `kind` at `at` (a failure is fatal unless `retryable`). */
    const ended = async (kind: 'completed' | 'failed' | 'retry', at: number, type: 'validate' | 'reencode_streaming' = 'validate'): Promise<JobRecord> => {
      const [job] = await store.insertJobs([newJob({ type, createdAt: 0, maxRetries: kind === 'retry' ? 3 : 0 })]);
      const { started } = await store.claimJobs(claimRequest('node-a', at - 1_000, capacity));
      expect(started.map((j) => j.id)).toEqual([job!.id]);
      const attempt = started[0]!.attempt;
      await store.appendLogs([{ jobId: job!.id, at: at - 500, text: 'working' }]);
      const outcome: AttemptOutcome =
        kind === 'completed'
          ? { kind: 'completed', jobId: job!.id, attempt, at, logLine: 'done' }
          : { kind: 'failed', jobId: job!.id, attempt, at, error: 'boom', logLine: 'ERROR', decision: decideAfterFailure({ retryCount: 0, maxRetries: kind === 'retry' ? 3 : 0, retryable: kind === 'retry', now: at }, POLICY) };
      const [after] = await store.recordReports({ logs: [], progress: new Map(), outcomes: [outcome] });
      expect(after!.status).toBe(kind === 'retry' ? 'queued' : kind);
      return after!;
    };
    const cancelled = async (at: number): Promise<JobRecord> => {
      const [job] = await store.insertJobs([newJob({ createdAt: 0 })]);
      const { job: after } = await store.cancelJob({ jobId: job!.id, at, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
      expect(after.status).toBe('cancelled');
      return after;
    };

    it('deletes ended jobs past their window with their log lines and segments; keeps newer and unfinished jobs, videos, scenes and tags; counts stay exact', async () => {
      const gone = [await ended('completed', 2 * DAY), await ended('completed', 5 * DAY, 'reencode_streaming'), await cancelled(3 * DAY), await ended('failed', 5 * DAY)];
      const kept = [
        await ended('completed', 80 * DAY), // 20 days ago
        await cancelled(90 * DAY),
        await ended('failed', 40 * DAY), // 60 days ago: past the completed window, within the failed one
        await ended('retry', 1 * DAY), // failed, waiting for its retry (queued with retry_after): not final
      ];
      // jobs that never ended, all created at day 0
      const [running, pending, paused] = await store.insertJobs([newJob({ createdAt: 0 }), newJob({ createdAt: 0 }), newJob({ createdAt: 0 })]);
      await store.transitionJob({ jobId: paused!.id, action: 'pause', at: DAY });
      await store.transitionJob({ jobId: pending!.id, action: 'pause', at: DAY });
      const { started } = await store.claimJobs(claimRequest('node-a', DAY, capacity));
      expect(started.map((j) => j.id)).toEqual([running!.id]);
      await store.transitionJob({ jobId: pending!.id, action: 'resume', at: DAY });
      kept.push((await store.getJob(running!.id))!, (await store.getJob(pending!.id))!, (await store.getJob(paused!.id))!);
      expect(kept.map((j) => j.status).sort()).toEqual(['cancelled', 'completed', 'failed', 'paused', 'pending', 'queued', 'running']);

      const video = randomUUID();
      await fx.videos.addVideos([{ id: video, path: 'videos/a.mp4', directoryType: 'videos', sizeBytes: 1, mtimeMs: 1, sourceJobId: gone[0]!.id, at: DAY }]);
      await fx.analysis.replaceScenes(video, gone[0]!.id, [{ index: 0, startSeconds: 0, endSeconds: 2, score: 0, motion: null, keyframePath: null, clipPath: null }], DAY);
      await fx.analysis.replaceTags(video, gone[1]!.id, [{ tag: 'dog', confidence: 0.5, startSeconds: null, endSeconds: null }], DAY);
      const segment = { index: 0, startSeconds: 0, endSeconds: 1, score: null, outputVideoId: null };
      await fx.analysis.saveSegments({ jobId: gone[0]!.id, videoId: video, kind: 'digest', segments: [segment] }, DAY);
      await fx.analysis.saveSegments({ jobId: kept[0]!.id, videoId: video, kind: 'digest', segments: [segment] }, DAY);
      const logsBefore = await fx.countRows('job_logs');
      const keptLogs = await Promise.all(kept.map(async (j) => (await store.readLog(j.id, 0, 100)).lines));
      await expectExactCounts(store);

      const deleted = await prunePass(store, retentionCutoffs(NOW, WINDOWS), 3, async () => void (await expectExactCounts(store)));
      expect(deleted).toBe(gone.length);

      const rows = await expectExactCounts(store);
      expect(rows.map((j) => j.id).sort()).toEqual(kept.map((j) => j.id).sort());
      for (const job of gone) {
        expect(await store.getJob(job.id)).toBeUndefined();
        await expect(store.readLog(job.id, 0, 10)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
      // the kept jobs' log lines are whole; the pruned jobs' lines are gone (2 or more each)
      expect(await Promise.all(kept.map(async (j) => (await store.readLog(j.id, 0, 100)).lines))).toEqual(keptLogs);
      expect(await fx.countRows('job_logs')).toBe(keptLogs.reduce((n, lines) => n + lines.length, 0));
      expect(logsBefore - (await fx.countRows('job_logs'))).toBeGreaterThanOrEqual(2 * gone.length);
      expect(await fx.analysis.getSegments(gone[0]!.id)).toBeUndefined();
      expect(await fx.analysis.getSegments(kept[0]!.id)).toBeDefined();
      expect(await fx.videos.getVideo(video)).toMatchObject({ id: video, sourceJobId: gone[0]!.id });
      expect(await fx.analysis.listScenes(video)).toHaveLength(1);
      expect(await fx.analysis.listTags(video)).toHaveLength(1);
      expect((await store.countJobs()).averageProcessingSeconds).toBeGreaterThan(0);

      if (fx.compact) {
        await fx.compact();
        await expectExactCounts(store);
      }
      // a second pass finds nothing more; the jobs left still work (the running one completes)
      expect(await prunePass(store, retentionCutoffs(NOW, WINDOWS), 3)).toBe(0);
      await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'completed', jobId: running!.id, attempt: started[0]!.attempt, at: NOW, logLine: 'done' }] });
      await expectExactCounts(store);
    });

    it('keeps a kind forever when its window is 0, and deletes in batches of at most `limit` jobs, oldest first', async () => {
      const completed = [];
      for (let day = 1; day <= 5; day++) completed.push(await ended('completed', day * DAY));
      const failed = await ended('failed', DAY);
      const keepAll = retentionCutoffs(NOW, { completedDays: 0, failedDays: 0 });
      expect(await store.pruneJobs({ ...keepAll, after: 0, limit: 100 })).toEqual({ deleted: 0, next: null });
      expect(await prunePass(store, retentionCutoffs(NOW, { completedDays: 0, failedDays: 90 }), 2)).toBe(1);
      expect(await store.getJob(failed.id)).toBeUndefined();
      expect((await expectExactCounts(store)).length).toBe(5);

      const cutoffs = retentionCutoffs(NOW, { completedDays: 30, failedDays: 0 });
      const first = await store.pruneJobs({ ...cutoffs, after: 0, limit: 2 });
      expect(first.deleted).toBe(2);
      expect(first.next).not.toBeNull();
      expect((await expectExactCounts(store)).map((j) => j.id).sort()).toEqual(completed.slice(2).map((j) => j.id).sort());
      let after = first.next;
      while (after !== null) after = (await store.pruneJobs({ ...cutoffs, after, limit: 2 })).next;
      expect(await expectExactCounts(store)).toEqual([]);
    });

    it('keeps the ended parts of a parent that has not ended (a segmented encode waiting for its join); deletes those of an ended parent', async () => {
      const [waiting, gone] = await store.insertJobs([newJob({ type: 'transcode', createdAt: 0 }), newJob({ type: 'transcode', createdAt: 0 })]);
      await store.transitionJob({ jobId: waiting!.id, action: 'pause', at: DAY });
      await store.cancelJob({ jobId: gone!.id, at: DAY, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
      const parts = await store.insertJobs([newJob({ type: 'encode_chunk', createdAt: 0, parentJobId: waiting!.id }), newJob({ type: 'encode_chunk', createdAt: 0, parentJobId: gone!.id })]);
      const { started } = await store.claimJobs(claimRequest('node-a', DAY, capacity));
      expect(started.map((j) => j.id).sort()).toEqual(parts.map((j) => j.id).sort());
      await store.recordReports({ logs: [], progress: new Map(), outcomes: started.map((j) => ({ kind: 'completed' as const, jobId: j.id, attempt: j.attempt, at: 2 * DAY, logLine: 'done' })) });

      expect(await prunePass(store, retentionCutoffs(NOW, WINDOWS), 10)).toBe(2);
      expect(await store.getJob(parts[0]!.id), 'the waiting parent keeps its finished part').toMatchObject({ status: 'completed' });
      expect(await store.getJob(parts[1]!.id)).toBeUndefined();
      expect(await store.getJob(gone!.id)).toBeUndefined();
      await expectExactCounts(store);
    });

    it('ends a pass at the first job created after the later cutoff', async () => {
      const [young] = await store.insertJobs([newJob({ createdAt: NOW - DAY })]);
      await store.cancelJob({ jobId: young!.id, at: NOW - DAY, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
      await store.insertJobs([newJob({ createdAt: NOW - DAY }), newJob({ createdAt: NOW - DAY })]);
      expect(await store.pruneJobs({ ...retentionCutoffs(NOW, WINDOWS), after: 0, limit: 1 })).toEqual({ deleted: 0, next: null });
    });
  });
}
