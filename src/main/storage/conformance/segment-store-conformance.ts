/**
 * Conformance suite of the SegmentStore (#20), run unchanged against every adapter: the hand-off
 * is fenced by the parent's running attempt (and refused once a cancel of it was asked for),
 * inserts the parts and makes the parent wait; claims skip the parent while parts are pending; a
 * part's completion counts down in its own transaction, its failure or cancel releases the parent
 * at once; the parts are listed oldest first, other jobs' children (pipeline steps) left out; a
 * parent's priority reaches every part not ended (running ones too); the analysis store's scene cuts
 * are read for the cut plan; listings hide the parts when asked, searches and date ranges included.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnalysisStore } from '../../core/analysis-ports';
import type { JobStore, NewJob } from '../../core/ports';
import type { SegmentStore } from '../../core/segment-ports';
import { capacityOf, claimRequest, newJob } from './fixtures';

export interface SegmentStores {
  readonly jobs: JobStore;
  readonly segments: SegmentStore;
  readonly analysis: Pick<AnalysisStore, 'replaceScenes'>;
  close(): Promise<void>;
}

const part = (parentJobId: string, type: 'encode_chunk' | 'encode_audio' = 'encode_chunk'): NewJob =>
  newJob({ type, params: { index: 0 }, resourceCategory: 'gpu_encode', vramRequired: 0, parentJobId });

export function describeSegmentStoreConformance(name: string, open: () => Promise<SegmentStores>, shared: boolean): void {
  describe(`${name} segment store`, () => {
    let s: SegmentStores;
    beforeEach(async () => {
      s = await open();
    });
    afterEach(async () => s.close());

    /** The parent claimed by node n1: its running attempt (only gpu_encode slots, one). */
    async function runningParent() {
      const [parent] = await s.jobs.insertJobs([newJob({ type: 'transcode', resourceCategory: 'gpu_encode', vramRequired: 0 })]);
      const capacity = capacityOf({ limits: { cpu: 0, gpu_encode: 1, gpu_ai: 0 } });
      const { started } = await s.jobs.claimJobs(claimRequest('n1', 2_000, capacity));
      expect(started.map((j) => j.id)).toEqual([parent!.id]);
      return started[0]!;
    }
    const claimAll = async (now: number) => (await s.jobs.claimJobs(claimRequest('n1', now, capacityOf({ limits: { cpu: 0, gpu_encode: 8, gpu_ai: 0 } })))).started;
    const hand = (p: { id: string; attempt: number }) => ({ kind: 'interrupted' as const, jobId: p.id, attempt: p.attempt, at: 3_000, logLine: 'Handed to its parts' });

    it('hands off in one transaction: parts inserted, the parent waits without being claimed until they complete', async () => {
      const parent = await runningParent();
      const parts = [part(parent.id), part(parent.id), part(parent.id, 'encode_audio')];
      expect(await s.segments.handOff({ jobId: parent.id, attempt: parent.attempt }, parts, 'Encoding in parts: 0 of 3 done')).toEqual({ applied: true, pending: 3 });
      await s.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [hand(parent)] });
      expect(await s.jobs.getJob(parent.id)).toMatchObject({ status: 'pending', waitingReason: 'Encoding in parts: 0 of 3 done', retryCount: 0 });
      expect((await s.segments.children(parent.id)).map((c) => c.id)).toEqual(parts.map((p) => p.id));

      const started = await claimAll(4_000);
      expect(started.map((j) => j.id).sort(), 'the parts run; the parent is not a candidate').toEqual(parts.map((p) => p.id).sort());
      const done = (j: (typeof started)[number], at: number) => ({ kind: 'completed' as const, jobId: j.id, attempt: j.attempt, at, logLine: 'done' });
      await s.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [done(started[0]!, 5_000), done(started[1]!, 5_000)] });
      expect(await s.jobs.getJob(parent.id)).toMatchObject({ status: 'pending', waitingReason: 'Encoding in parts: 2 of 3 done' });
      expect(await claimAll(5_500)).toEqual([]);
      await s.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [done(started[2]!, 6_000)] });
      expect((await claimAll(6_500)).map((j) => j.id), 'all parts done: the parent runs again').toEqual([parent.id]);
    });

    it('counts the parts apart (partsByStatus), the waiting parent with a live part, and leaves the parts out of the throughput and the average processing time', async () => {
      const parent = await runningParent();
      const parts = [part(parent.id), part(parent.id)];
      await s.segments.handOff({ jobId: parent.id, attempt: parent.attempt }, parts, 'waiting');
      await s.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [hand(parent)] });
      const started = await claimAll(4_000);
      const during = await s.jobs.countJobs();
      expect(during.partsByStatus.running).toBe(2);
      expect(during.byStatus.running).toBe(2);
      expect(during.parentsWithLiveParts).toEqual({ pending: 1 });
      const done = (j: { id: string; attempt: number }, at: number) => ({ kind: 'completed' as const, jobId: j.id, attempt: j.attempt, at, logLine: 'done' });
      // the parts take 60 s and 1 s; the parent's join 1 s
      await s.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [done(started[0]!, 64_000), done(started[1]!, 5_000)] });
      const [again] = await claimAll(70_000);
      expect(again!.id).toBe(parent.id);
      await s.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [done(again!, 71_000)] });
      const ended = (await s.jobs.getJob(parent.id))!;
      const after = await s.jobs.countJobs();
      expect(after.partsByStatus.completed).toBe(2);
      expect(after.byStatus.completed).toBe(3);
      expect(after.parentsWithLiveParts).toEqual({});
      expect(after.averageProcessingSeconds).toBeCloseTo((ended.completedAt! - ended.startedAt!) / 1000, 6);
      const hours = await s.jobs.countEndedPerHour(0);
      expect(hours.reduce((n, h) => n + h.completed, 0), 'the parent once, not its parts').toBe(1);
    });

    it('releases the parent at once when a part fails for good or is cancelled', async () => {
      const parent = await runningParent();
      const parts = [part(parent.id), part(parent.id)];
      await s.segments.handOff({ jobId: parent.id, attempt: parent.attempt }, parts, 'waiting');
      await s.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [hand(parent)] });
      await s.jobs.cancelJob({ jobId: parts[1]!.id, at: 4_000, logLine: 'cancelled', requestedLogLine: 'asked' });
      expect((await s.jobs.getJob(parent.id))!.waitingReason).toBe('A part of its segmented encode ended cancelled; the job reports it');
      const started = await claimAll(5_000);
      expect(started.map((j) => j.id).sort()).toEqual([parent.id, parts[0]!.id].sort());
    });

    it('refuses a hand-off from an attempt that no longer owns the parent, or whose cancel was asked for', async () => {
      const parent = await runningParent();
      expect(await s.segments.handOff({ jobId: parent.id, attempt: parent.attempt + 1 }, [part(parent.id)], 'x')).toEqual({ applied: false, pending: 0 });
      await s.jobs.cancelJob({ jobId: parent.id, at: 2_500, logLine: 'cancelled', requestedLogLine: 'asked' });
      expect(await s.segments.handOff({ jobId: parent.id, attempt: parent.attempt }, [part(parent.id)], 'x')).toEqual({ applied: false, pending: 0 });
      expect(await s.segments.children(parent.id)).toEqual([]);
    });

    it('lists only the parts of a segmented encode, and counts again what is still pending (a hand-off of nothing)', async () => {
      const parent = await runningParent();
      await s.jobs.insertJobs([newJob({ type: 'validate', parentJobId: parent.id, params: { videoId: randomUUID() } })]);
      const parts = [part(parent.id)];
      await s.segments.handOff({ jobId: parent.id, attempt: parent.attempt }, parts, 'x');
      expect((await s.segments.children(parent.id)).map((c) => c.id)).toEqual([parts[0]!.id]);
      expect(await s.segments.handOff({ jobId: parent.id, attempt: parent.attempt }, [], 'y')).toEqual({ applied: true, pending: 1 });
    });
    it('lists the parts of many parents in one call, grouped by parent, oldest first; other children and parents without parts left out', async () => {
      const [a, b, none] = await s.jobs.insertJobs([newJob({ type: 'transcode' }), newJob({ type: 'transcode' }), newJob({ type: 'transcode' })]);
      const parts = [part(a!.id), part(b!.id), part(a!.id, 'encode_audio')];
      await s.jobs.insertJobs([...parts, newJob({ type: 'validate', parentJobId: a!.id, params: { videoId: randomUUID() } })]);
      const grouped = await s.segments.childrenOf([a!.id, b!.id, none!.id]);
      expect([...grouped.keys()].sort()).toEqual([a!.id, b!.id].sort());
      expect(grouped.get(a!.id)!.map((c) => c.id)).toEqual([parts[0]!.id, parts[2]!.id]);
      expect(grouped.get(b!.id)!.map((c) => c.id)).toEqual([parts[1]!.id]);
      expect((await s.segments.childrenOf([])).size).toBe(0);
    });

    it('gives a new priority to every part not ended, the running one included, and none that ended', async () => {
      const parent = await runningParent();
      const parts = [part(parent.id), part(parent.id), part(parent.id), part(parent.id, 'encode_audio')];
      await s.segments.handOff({ jobId: parent.id, attempt: parent.attempt }, parts, 'waiting');
      await s.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [hand(parent)] });
      const [running, done] = (await s.jobs.claimJobs(claimRequest('n1', 4_000, capacityOf({ limits: { cpu: 0, gpu_encode: 2, gpu_ai: 0 } })))).started;
      await s.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'completed', jobId: done!.id, attempt: done!.attempt, at: 5_000, logLine: 'done' }] });
      await s.jobs.cancelJob({ jobId: parts[3]!.id, at: 5_000, logLine: 'cancelled', requestedLogLine: 'asked' });
      const changed = await s.segments.setPartsPriority(parent.id, 1, 6_000);
      const waiting = parts.map((p) => p.id).filter((id) => id !== running!.id && id !== done!.id && id !== parts[3]!.id);
      expect(changed.map((j) => j.id).sort()).toEqual([running!.id, ...waiting].sort());
      expect(await s.jobs.getJob(running!.id)).toMatchObject({ status: 'running', priority: 1 });
      expect((await s.jobs.getJob(done!.id))!.priority).toBe(parts[0]!.priority);
      expect((await s.jobs.getJob(parts[3]!.id))!.priority).toBe(parts[0]!.priority);
      expect(await s.segments.setPartsPriority(parent.id, 1, 7_000), 'nothing to change').toEqual([]);
    });

    it('reads the scene cuts the analysis store holds for a video (not the first scene\'s start), and says whether it is shared', async () => {
      const videoId = randomUUID();
      expect(await s.segments.sceneCuts(videoId)).toEqual([]);
      const scene = (index: number, startSeconds: number, endSeconds: number) => ({ index, startSeconds, endSeconds, score: index === 0 ? 0 : 0.5, motion: null, keyframePath: null, clipPath: null });
      await s.analysis.replaceScenes(videoId, randomUUID(), [scene(0, 0, 12.5), scene(1, 12.5, 70.04), scene(2, 70.04, 90)], 1_000);
      expect(await s.segments.sceneCuts(videoId)).toEqual([12.5, 70.04]);
      expect(s.segments.shared).toBe(shared);
    });

    it('hides the parts from a listing that asks so, a search and a creation-date range included', async () => {
      const parent = await runningParent();
      const parts = [part(parent.id), part(parent.id, 'encode_audio')];
      await s.segments.handOff({ jobId: parent.id, attempt: parent.attempt }, parts, 'waiting');
      const ids = async (filter: Parameters<JobStore['listJobs']>[0]) => {
        const { rows, total } = await s.jobs.listJobs(filter, 0, 50);
        return { ids: rows.map((r) => r.id).sort(), total };
      };
      const everything = { ids: [parent.id, ...parts.map((p) => p.id)].sort(), total: 3 };
      const parentOnly = { ids: [parent.id], total: 1 };
      expect(await ids({})).toEqual(everything);
      expect(await ids({ hideSegmentChildren: true })).toEqual(parentOnly);
      expect(await ids({ createdFrom: 0 })).toEqual(everything);
      expect(await ids({ createdFrom: 0, hideSegmentChildren: true }), 'a date range reads the jobs table, not the buckets').toEqual(parentOnly);
      // a search by job id matches a job's start or end: the parent's own id, and each part's
      expect(await ids({ search: parts[0]!.id })).toEqual({ ids: [parts[0]!.id], total: 1 });
      expect(await ids({ search: parts[0]!.id, hideSegmentChildren: true })).toEqual({ ids: [], total: 0 });
      expect(await ids({ search: parent.id, hideSegmentChildren: true })).toEqual(parentOnly);
    });
  });
}
