/**
 * Conformance suite of the PipelineStore: every adapter must pass it unchanged. The factory opens
 * the pipeline store with the job and video stores of the same database (a run's steps are jobs;
 * a step's output is a library video).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/contracts/errors';
import { pipelineDocumentSchema, type PipelineDocument } from '../../../shared/domain/pipeline';
import type { VideoStore } from '../../core/library-ports';
import type { NewRun, PipelineStore } from '../../core/pipeline-ports';
import type { JobStore } from '../../core/ports';

export interface PipelineStores {
  readonly pipelines: PipelineStore;
  readonly jobs: JobStore;
  readonly videos: VideoStore;
  close(): Promise<void>;
}

export function sampleDocument(name = 'Sample', stepType: 'validate' | 'thumbnail_generate' = 'validate'): PipelineDocument {
  return pipelineDocumentSchema.parse({
    name,
    trigger: { type: 'manual' },
    steps: [
      { id: 'first', type: stepType, params: { videoId: '{{video.id}}' } },
      { id: 'second', type: 'thumbnail_generate', params: { videoId: '{{previous.outputVideoId}}' }, after: { step: 'first', on: 'success' } },
    ],
  });
}

const fp = (hash = 'abc', sizeBytes = 1000, mtimeMs = 5000) => ({ sizeBytes, mtimeMs, hash });

export function describePipelineStoreConformance(adapterName: string, factory: () => Promise<PipelineStores>, second?: (first: PipelineStores) => Promise<PipelineStores>): void {
  describe(`PipelineStore conformance: ${adapterName}`, () => {
    let s: PipelineStores;
    let store: PipelineStore;
    beforeEach(async () => {
      s = await factory();
      store = s.pipelines;
    });
    afterEach(async () => s.close());

    const create = (name = 'Sample', enabled = true) => store.createPipeline({ id: randomUUID(), enabled, document: sampleDocument(name), at: 1_000, by: 'alice' });
    const newRun = (pipelineId: string, over: Partial<NewRun> & { runId?: string; at?: number; stepsVersion?: number } = {}): NewRun => ({
      run: {
        id: over.runId ?? randomUUID(),
        pipelineId,
        pipelineVersion: 1,
        stepsVersion: over.stepsVersion ?? 1,
        videoId: randomUUID(),
        trigger: 'manual',
        triggerDetail: 'alice',
        forced: over.force ?? false,
        createdAt: over.at ?? 2_000,
      },
      stepIds: ['first', 'second'],
      fingerprint: over.fingerprint ?? fp(),
      force: over.force ?? false,
      repeatBefore: over.repeatBefore ?? null,
    });

    it('creates, reads and lists pipelines by name; a name is taken case-insensitively', async () => {
      const b = await create('beta');
      const a = await create('Alpha', false);
      expect(a).toMatchObject({ name: 'Alpha', enabled: false, version: 1, stepsVersion: 1, createdAt: 1_000, updatedAt: 1_000, createdBy: 'alice', updatedBy: 'alice' });
      expect(a.document).toEqual(sampleDocument('Alpha'));
      expect(await store.getPipeline(b.id)).toEqual(b);
      expect(await store.getPipeline(randomUUID())).toBeUndefined();
      expect((await store.listPipelines()).map((p) => p.name)).toEqual(['Alpha', 'beta']);
      await expect(create('ALPHA')).rejects.toSatisfy((e) => isAppError(e) && e.code === 'NAME_TAKEN');
      expect(await store.getPipelineVersion(a.id, 1)).toEqual(sampleDocument('Alpha'));
    });

    it('updates with optimistic concurrency; the steps version moves only when the steps change', async () => {
      const p = await create('one');
      const renamed = await store.updatePipeline({ id: p.id, expectedVersion: 1, enabled: false, document: { ...p.document, name: 'One renamed' }, at: 3_000, by: 'bob' });
      expect(renamed).toMatchObject({ kind: 'updated', pipeline: { version: 2, stepsVersion: 1, name: 'One renamed', enabled: false, updatedAt: 3_000, updatedBy: 'bob', createdBy: 'alice' } });
      const stale = await store.updatePipeline({ id: p.id, expectedVersion: 1, enabled: true, document: p.document, at: 4_000, by: 'carol' });
      expect(stale).toMatchObject({ kind: 'conflict', current: { version: 2 } });
      const newSteps = sampleDocument('One renamed', 'thumbnail_generate');
      expect(await store.updatePipeline({ id: p.id, expectedVersion: 2, enabled: true, document: newSteps, at: 5_000, by: 'bob' })).toMatchObject({ kind: 'updated', pipeline: { version: 3, stepsVersion: 3 } });
      expect(await store.getPipelineVersion(p.id, 1)).toEqual(sampleDocument('one'));
      expect(await store.getPipelineVersion(p.id, 3)).toEqual(newSteps);
      expect(await store.updatePipeline({ id: randomUUID(), expectedVersion: 1, enabled: true, document: p.document, at: 1, by: null })).toEqual({ kind: 'not_found' });
      await create('two');
      await expect(store.updatePipeline({ id: p.id, expectedVersion: 3, enabled: true, document: { ...newSteps, name: 'Two' }, at: 6_000, by: null })).rejects.toSatisfy((e) => isAppError(e) && e.code === 'NAME_TAKEN');
    });

    it('starts a run once per content and steps version (the loop breaker), unless forced or expired', async () => {
      const p = await create();
      const first = await store.startRun(newRun(p.id, { runId: 'a5e3c1d2-0000-4000-8000-000000000001' }));
      expect(first.started).toBe(true);
      if (!first.started) return;
      expect(first.run).toMatchObject({ pipelineId: p.id, status: 'running', trigger: 'manual', triggerDetail: 'alice', forced: false, endedAt: null });
      expect(first.run.steps.map((st) => [st.stepId, st.state, st.jobId])).toEqual([['first', 'waiting', null], ['second', 'waiting', null]]);
      expect(await store.startRun(newRun(p.id))).toEqual({ started: false, previousRunId: first.run.id });
      expect((await store.startRun(newRun(p.id, { fingerprint: fp('other') }))).started).toBe(true);
      expect((await store.startRun(newRun(p.id, { stepsVersion: 2 }))).started).toBe(true);
      const forced = await store.startRun(newRun(p.id, { force: true, at: 3_000 }));
      expect(forced).toMatchObject({ started: true, run: { forced: true } });
      expect(await store.startRun(newRun(p.id, { repeatBefore: 2_500 }))).toMatchObject({ started: false });
      expect((await store.startRun(newRun(p.id, { repeatBefore: 3_500, at: 4_000 }))).started).toBe(true);
      const processed = await store.listProcessedContent(p.id, 1, null);
      expect(processed.map((c) => [c.sizeBytes, c.mtimeMs]).sort()).toEqual([[1000, 5000], [1000, 5000]]);
      expect(await store.listProcessedContent(p.id, 1, 4_500)).toEqual([]);
      // outputs: recorded once, never taking over a claim
      await store.recordOutputContent(p.id, 1, fp('out', 77, 88), 'r1', 5_000);
      await store.recordOutputContent(p.id, 1, fp('out', 77, 88), 'r2', 6_000);
      await store.recordOutputContent(p.id, 1, fp(), 'r3', 6_000);
      expect(await store.startRun(newRun(p.id, { fingerprint: fp('out', 77, 88) }))).toEqual({ started: false, previousRunId: 'r1' });
      expect((await store.listProcessedContent(p.id, 1, null)).find((c) => c.sizeBytes === 1000)?.runId).not.toBe('r3');
    });

    it('lets exactly one of many concurrent starts of the same content win', async () => {
      const p = await create();
      const other = second ? await second(s) : s;
      try {
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? store : other.pipelines).startRun(newRun(p.id))));
        expect(results.filter((r) => r.started)).toHaveLength(1);
      } finally {
        if (other !== s) await other.close();
      }
    });

    it('claims a step once, guards step updates by their state, and keeps the run status with its end', async () => {
      const p = await create();
      const started = await store.startRun(newRun(p.id));
      if (!started.started) throw new Error('not started');
      const runId = started.run.id;
      const jobId = randomUUID();
      expect(await store.claimStep(runId, 'first', jobId, { videoId: 'v' }, 3_000)).toBe(true);
      expect(await store.claimStep(runId, 'first', randomUUID(), {}, 3_001)).toBe(false);
      let run = (await store.getRun(runId))!;
      expect(run.steps[0]).toMatchObject({ stepId: 'first', state: 'running', jobId, params: { videoId: 'v' }, startedAt: 3_000, endedAt: null });
      expect(run.updatedAt).toBe(3_000);
      // a stale planner cannot skip a step another advance has started
      expect(await store.updateStep(runId, 'first', ['waiting', 'skipped'], { state: 'skipped', skipKind: 'branch', reason: 'x' }, 3_100)).toBe(false);
      expect(await store.updateStep(runId, 'first', ['running'], { state: 'completed', outputVideoId: 'out', endedAt: 4_000 }, 4_000)).toBe(true);
      expect(await store.updateStep(runId, 'first', ['running', 'completed'], { state: 'completed', outputVideoId: 'out', endedAt: 4_000 }, 4_001)).toBe(false);
      expect(await store.updateStep(runId, 'second', ['waiting'], { state: 'skipped', skipKind: 'branch', reason: 'not reached' }, 4_002)).toBe(true);
      // a branch-skipped step can be claimed again (its parent ran again and now matches)
      expect(await store.claimStep(runId, 'second', randomUUID(), {}, 4_500)).toBe(true);
      run = (await store.getRun(runId))!;
      expect(run.steps.map((st) => [st.stepId, st.state, st.skipKind, st.reason, st.outputVideoId])).toEqual([
        ['first', 'completed', null, null, 'out'],
        ['second', 'running', null, null, null],
      ]);
      expect(await store.setRunStatus(runId, 'failed', 5_000)).toBe(true);
      expect(await store.setRunStatus(runId, 'failed', 5_100)).toBe(false);
      expect(await store.getRun(runId)).toMatchObject({ status: 'failed', endedAt: 5_000 });
      expect(await store.setRunStatus(runId, 'running', 6_000)).toBe(true);
      expect(await store.getRun(runId)).toMatchObject({ status: 'running', endedAt: null, updatedAt: 6_000 });
      expect(await store.pipelinesOfJobs([jobId, randomUUID()])).toEqual(new Map([[jobId, p.id]]));
    });

    it('lists the running runs that need advancing, and only those', async () => {
      const p = await create();
      const job = (id = randomUUID()) => s.jobs.insertJobs([{ id, type: 'validate', params: {}, priority: 5, resourceCategory: 'cpu', vramRequired: 0, maxRetries: 0, createdAt: 1, createdBy: null }]).then(([j]) => j!);
      const start = async (at: number) => {
        const r = await store.startRun(newRun(p.id, { fingerprint: fp(`n${at}`), at }));
        if (!r.started) throw new Error('not started');
        return r.run.id;
      };
      const fresh = await start(1); // no step running yet: to plan
      const waiting = await start(2); // its step's job waits: nothing to do
      const live = await job();
      await store.claimStep(waiting, 'first', live.id, {}, 10);
      const ended = await start(3); // its step's job was cancelled: to advance
      const cancelled = await job();
      await store.claimStep(ended, 'first', cancelled.id, {}, 10);
      await s.jobs.cancelJob({ jobId: cancelled.id, at: 20, logLine: 'x', requestedLogLine: 'y' });
      const lost = await start(4); // claimed, but its job was never inserted (a crash): to advance
      await store.claimStep(lost, 'first', randomUUID(), {}, 10);
      const retried = await start(5); // a step marked completed whose job runs again (a manual retry)
      const again = await job();
      await store.claimStep(retried, 'first', again.id, {}, 10);
      await store.updateStep(retried, 'first', ['running'], { state: 'completed', endedAt: 30 }, 30);
      await store.claimStep(retried, 'second', (await job()).id, {}, 31);
      const done = await start(6);
      await store.setRunStatus(done, 'completed', 40);
      expect(await store.listRunsToAdvance(10)).toEqual([fresh, ended, lost, retried]);
      expect(await store.listRunsToAdvance(2)).toEqual([fresh, ended]);
    });

    it('lists runs newest first with a status filter, and counts them per pipeline', async () => {
      const p = await create('counted');
      const q = await create('empty');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await store.startRun(newRun(p.id, { fingerprint: fp(`h${i}`), at: 10_000 + i }));
        if (r.started) ids.push(r.run.id);
      }
      await store.setRunStatus(ids[0]!, 'completed', 20_000);
      const page = await store.listRuns(p.id, {}, 0, 2);
      expect(page.total).toBe(3);
      expect(page.rows.map((r) => r.id)).toEqual([ids[2], ids[1]]);
      expect(page.rows[0]!.steps.map((st) => st.stepId)).toEqual(['first', 'second']);
      expect((await store.listRuns(p.id, { status: 'completed' }, 0, 10)).rows.map((r) => r.id)).toEqual([ids[0]]);
      const counts = await store.runCounts([p.id, q.id]);
      expect(counts.get(p.id)).toEqual({ running: 2, completed: 1, failed: 0, cancelled: 0, lastRunAt: 10_002, lastRunStatus: 'running' });
      expect(counts.get(q.id)).toEqual({ running: 0, completed: 0, failed: 0, cancelled: 0, lastRunAt: null, lastRunStatus: null });
    });

    it("deletes a pipeline with its fingerprints and slots, keeping its runs and versions", async () => {
      const p = await create();
      const r = await store.startRun(newRun(p.id));
      expect(await store.claimScheduleSlot(p.id, 60_000, 1)).toBe(true);
      expect(await store.deletePipeline(p.id)).toBe(true);
      expect(await store.deletePipeline(p.id)).toBe(false);
      expect(await store.getPipeline(p.id)).toBeUndefined();
      expect(await store.listProcessedContent(p.id, 1, null)).toEqual([]);
      expect(await store.claimScheduleSlot(p.id, 60_000, 2)).toBe(true);
      if (r.started) expect(await store.getRun(r.run.id)).toBeDefined();
      expect(await store.getPipelineVersion(p.id, 1)).toBeDefined();
    });

    it('claims a schedule slot once per pipeline and time', async () => {
      const p = await create();
      expect(await store.claimScheduleSlot(p.id, 3_600_000, 1)).toBe(true);
      expect(await store.claimScheduleSlot(p.id, 3_600_000, 2)).toBe(false);
      expect(await store.claimScheduleSlot(p.id, 7_200_000, 3)).toBe(true);
    });

    it("finds a job's output video, and jobs carry their run and parent job", async () => {
      const jobId = randomUUID();
      expect(await store.outputVideoOf(jobId)).toBeNull();
      const [older] = await s.videos.addVideos([{ id: randomUUID(), path: 'playback/a.mp4', directoryType: 'playback', sizeBytes: 1, mtimeMs: 1, sourceJobId: jobId, at: 1_000 }]);
      expect(await store.outputVideoOf(jobId)).toBe(older!.id);
      const [newer] = await s.videos.addVideos([{ id: randomUUID(), path: 'playback/b.mp4', directoryType: 'playback', sizeBytes: 1, mtimeMs: 1, sourceJobId: jobId, at: 2_000 }]);
      expect(await store.outputVideoOf(jobId)).toBe(newer!.id);
      const runId = randomUUID();
      const parent = randomUUID();
      const [job] = await s.jobs.insertJobs([{ id: randomUUID(), type: 'validate', params: {}, priority: 5, resourceCategory: 'cpu', vramRequired: 0, maxRetries: 0, createdAt: 1, createdBy: null, pipelineRunId: runId, parentJobId: parent }]);
      expect(job).toMatchObject({ pipelineRunId: runId, parentJobId: parent });
      expect(await s.jobs.getJob(job!.id)).toMatchObject({ pipelineRunId: runId, parentJobId: parent });
      const [plain] = await s.jobs.insertJobs([{ id: randomUUID(), type: 'validate', params: {}, priority: 5, resourceCategory: 'cpu', vramRequired: 0, maxRetries: 0, createdAt: 2, createdBy: null }]);
      expect(await s.jobs.getJob(plain!.id)).toMatchObject({ pipelineRunId: null, parentJobId: null });
    });
  });
}
