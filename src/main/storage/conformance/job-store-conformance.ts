/**
 * The storage conformance suite: every JobStore adapter (SQLite now, PostgreSQL in fleet mode)
 * must pass it unchanged. It drives the store through the port only, with the real scheduler.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/contracts/errors';
import type { JobStore } from '../../core/ports';
import { decideAfterCrash } from '../../core/retry-policy';
import { capacityOf, claimRequest, newJob, type StoreFactory, type StoreFactoryOptions } from './fixtures';

// the fixtures, from here too: other suites, tests and the benchmarks import them from this module
export { cancelLiveJob, capacityOf, claimRequest, newJob, STARVATION_GUARD_MS, type StoreFactory, type StoreFactoryOptions } from './fixtures';

export function describeJobStoreConformance(adapterName: string, factory: StoreFactory): void {
  describe(`JobStore conformance: ${adapterName}`, () => {
    let store: JobStore;
    const open = async (options: StoreFactoryOptions = {}) => {
      store = await factory(options);
      return store;
    };
    beforeEach(async () => {
      await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('inserts jobs as pending and reads them back with every field', async () => {
      const input = newJob({ priority: 2, params: { videoId: 'x', nested: { a: [1, 2] } } });
      const [job] = await store.insertJobs([input]);
      expect(job).toMatchObject({ id: input.id, type: 'validate', status: 'pending', priority: 2, progress: 0, retryCount: 0, maxRetries: 3, attempt: 0, createdAt: 1_000, startedAt: null, completedAt: null, retryAfter: null, nodeId: null });
      expect(await store.getJob(input.id)).toEqual(job);
      expect((await store.getJob(input.id))?.params).toEqual({ videoId: 'x', nested: { a: [1, 2] } });
      expect(await store.getJob(randomUUID())).toBeUndefined();
    });

    it('records who created each job (a token name), and nothing for jobs without one', async () => {
      const [byToken, anonymous] = await store.insertJobs([newJob({ createdBy: 'grafana-ci' }), newJob()]);
      expect(byToken?.createdBy).toBe('grafana-ci');
      expect(anonymous?.createdBy).toBeNull();
      expect((await store.getJob(byToken!.id))?.createdBy).toBe('grafana-ci');
      const listed = await store.listJobs({}, 0, 10);
      expect(listed.rows.find((j) => j.id === byToken!.id)?.createdBy).toBe('grafana-ci');
    });

    it('lists newest first with the spec filters, pagination and exact totals', async () => {
      const jobs = await store.insertJobs([
        newJob({ type: 'validate' }),
        newJob({ type: 'reencode_streaming' }),
        newJob({ type: 'scene_extract' }),
        newJob({ type: 'validate' }),
      ]);
      const all = await store.listJobs({}, 0, 10);
      expect(all.total).toBe(4);
      expect(all.rows.map((r) => r.id)).toEqual(jobs.map((j) => j.id).reverse());
      const page2 = await store.listJobs({}, 2, 2);
      expect(page2.rows.map((r) => r.id)).toEqual([jobs[1]!.id, jobs[0]!.id]);
      expect((await store.listJobs({ type: 'validate' }, 0, 10)).total).toBe(2);
      expect((await store.listJobs({ resourceCategory: 'gpu_ai' }, 0, 10)).rows.map((r) => r.id)).toEqual([jobs[2]!.id]);
      expect((await store.listJobs({ status: 'running' }, 0, 10)).total).toBe(0);
      expect((await store.listJobs({ status: 'pending', type: 'validate', resourceCategory: 'cpu' }, 0, 10)).total).toBe(2);
    });

    it('claims within the category limits and records why the others wait', async () => {
      await store.insertJobs(Array.from({ length: 7 }, () => newJob({ type: 'validate' })));
      await store.insertJobs(Array.from({ length: 3 }, () => newJob({ type: 'reencode_streaming' })));
      const { started, waitingChanged } = await store.claimJobs(claimRequest('node-a', 2_000));
      expect(waitingChanged.map((j) => j.status)).toEqual(['queued', 'queued', 'queued']);
      const byCat = (cat: string) => started.filter((j) => j.resourceCategory === cat).length;
      expect(byCat('cpu')).toBe(5);
      expect(byCat('gpu_encode')).toBe(2);
      for (const j of started) expect(j).toMatchObject({ status: 'running', nodeId: 'node-a', attempt: 1, startedAt: 2_000 });
      expect(started.filter((j) => j.resourceCategory === 'gpu_encode').every((j) => j.vramReserved === 4000)).toBe(true);
      const queued = await store.listJobs({ status: 'queued' }, 0, 10);
      expect(queued.total).toBe(3);
      expect(queued.rows.map((r) => r.waitingReason).sort()).toEqual(['cpu: 5 of 5 slots busy', 'cpu: 5 of 5 slots busy', 'gpu_encode: 2 of 2 slots busy']);
      // a second claim finds no free capacity: nothing more starts, and unchanged reasons are not rewritten
      expect(await store.claimJobs(claimRequest('node-a', 2_001))).toEqual({ started: [], waitingChanged: [], reported: [] });
      expect((await store.countJobs()).vramReservedMb).toBe(8000);
    });

    it('counts capacity per node', async () => {
      await store.insertJobs(Array.from({ length: 12 }, () => newJob()));
      expect((await store.claimJobs(claimRequest('node-a', 2_000))).started).toHaveLength(5);
      const b = await store.claimJobs(claimRequest('node-b', 2_000));
      expect(b.started).toHaveLength(5);
      expect(b.started.every((j) => j.nodeId === 'node-b')).toBe(true);
    });

    it('starts by priority, then first in first out', async () => {
      const [low, high, mid1, mid2] = await store.insertJobs([
        newJob({ priority: 9 }),
        newJob({ priority: 1 }),
        newJob({ priority: 5 }),
        newJob({ priority: 5 }),
      ]);
      const capacity = capacityOf({ limits: { cpu: 3, gpu_encode: 2, gpu_ai: 1 } });
      const { started } = await store.claimJobs(claimRequest('n', 2_000, capacity));
      expect(started.map((j) => j.id)).toEqual([high!.id, mid1!.id, mid2!.id]);
      expect(await store.queuePosition(low!.id)).toBe(1);
      expect(await store.queuePosition(high!.id)).toBeNull();
    });

    it('does not start a job before its retry time', async () => {
      const [job] = await store.insertJobs([newJob()]);
      const [started] = (await store.claimJobs(claimRequest('n', 2_000))).started;
      const changed = await store.recordReports({
        logs: [],
        progress: new Map(),
        outcomes: [{ kind: 'failed', jobId: job!.id, attempt: started!.attempt, at: 3_000, error: 'boom', logLine: 'ERROR: boom', decision: { kind: 'retry', retryCount: 1, retryAfter: 120_000, reason: 'retry 1 of 3' } }],
      });
      expect(changed[0]).toMatchObject({ status: 'queued', retryCount: 1, retryAfter: 120_000, lastError: 'boom', vramReserved: 0 });
      expect(changed[0]!.waitingReason).toContain('retry 1 of 3');
      expect(await store.nextRetryAt(3_000)).toBe(120_000);
      expect(await store.nextRetryAt(120_000)).toBeNull();
      expect((await store.claimJobs(claimRequest('n', 119_999))).started).toHaveLength(0);
      const again = (await store.claimJobs(claimRequest('n', 120_000))).started;
      expect(again.map((j) => [j.id, j.attempt])).toEqual([[job!.id, 2]]);
    });

    it('applies outcomes only for the current attempt (fencing)', async () => {
      const [job] = await store.insertJobs([newJob()]);
      const [started] = (await store.claimJobs(claimRequest('n', 2_000))).started;
      const stale = await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'completed', jobId: job!.id, attempt: started!.attempt + 1, at: 3_000, logLine: 'done' }] });
      expect(stale).toHaveLength(0);
      expect((await store.getJob(job!.id))?.status).toBe('running');
      const done = await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'completed', jobId: job!.id, attempt: started!.attempt, at: 4_000, logLine: 'done' }] });
      expect(done[0]).toMatchObject({ status: 'completed', progress: 100, completedAt: 4_000, vramReserved: 0 });
      expect((await store.countJobs()).averageProcessingSeconds).toBeCloseTo(2, 5);
      const late = await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'failed', jobId: job!.id, attempt: started!.attempt, at: 5_000, error: 'x', logLine: 'x', decision: { kind: 'fail', reason: 'r' } }] });
      expect(late).toHaveLength(0);
    });

    it('keeps the log lines and progress of an attempt that is no longer current out of its job (fencing)', async () => {
      const [job] = await store.insertJobs([newJob()]);
      const id = job!.id;
      await store.claimJobs(claimRequest('n', 2_000)); // attempt 1 (line 1)
      const report = (attempt: number, text: string, progress: number) =>
        store.recordReports({ logs: [{ jobId: id, at: 2_100, text, attempt }], progress: new Map([[id, { attempt, progress }]]), outcomes: [] });
      await report(1, 'current', 30);
      await report(2, 'not yet', 60);
      expect((await store.getJob(id))?.progress).toBe(30);
      await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'interrupted', jobId: id, attempt: 1, at: 2_200, logLine: 'interrupted' }] });
      await report(1, 'after its end', 90); // re-queued: attempt 1 no longer runs
      await store.claimJobs(claimRequest('n', 2_300)); // attempt 2
      await report(1, 'from the replaced attempt', 95);
      await report(2, 'second attempt', 10);
      expect((await store.getJob(id))?.progress).toBe(10);
      await store.appendLogs([{ jobId: id, at: 2_400, text: 'outside any attempt' }]);
      const log = await store.readLog(id, 0, 100);
      expect(log.lines.map((l) => l.text)).toEqual(['Started attempt 1 on node n', 'current', 'interrupted', 'Started attempt 2 on node n', 'second attempt', 'outside any attempt']);
    });

    it('records final failures, interruptions and progress of running jobs only', async () => {
      const [a, b, c] = await store.insertJobs([newJob(), newJob(), newJob()]);
      const started = (await store.claimJobs(claimRequest('n', 2_000))).started;
      const attemptOf = (id: string) => started.find((j) => j.id === id)!.attempt;
      await store.recordReports({ logs: [], progress: new Map([[c!.id, { attempt: attemptOf(c!.id), progress: 42 }]]), outcomes: [] });
      const changed = await store.recordReports({
        logs: [],
        progress: new Map(),
        outcomes: [
          { kind: 'failed', jobId: a!.id, attempt: attemptOf(a!.id), at: 3_000, error: 'input missing', logLine: 'ERROR', decision: { kind: 'fail', reason: 'cannot heal' } },
          { kind: 'interrupted', jobId: b!.id, attempt: attemptOf(b!.id), at: 3_000, logLine: 'interrupted' },
        ],
      });
      expect(changed.find((j) => j.id === a!.id)).toMatchObject({ status: 'failed', lastError: 'input missing', completedAt: 3_000 });
      expect(changed.find((j) => j.id === b!.id)).toMatchObject({ status: 'pending', retryCount: 0 });
      expect((await store.getJob(c!.id))?.progress).toBe(42);
      await store.recordReports({ logs: [], progress: new Map([[a!.id, { attempt: attemptOf(a!.id), progress: 77 }]]), outcomes: [] });
      expect((await store.getJob(a!.id))?.progress).toBe(0);
      const counts = await store.countJobs();
      expect(counts.byStatus).toMatchObject({ failed: 1, pending: 1, running: 1 });
      expect(counts.runningByCategory).toEqual({ cpu: 1, gpu_encode: 0, gpu_ai: 0 });
      expect(counts.byType).toEqual({ validate: 3 });
    });

    it('bounds the lines that starts and outcomes write too (claims and their reports)', async () => {
      await store.close();
      await open({ logBounds: { headLines: 2, tailLines: 2 } });
      const [job] = await store.insertJobs([newJob()]);
      const id = job!.id;
      expect((await store.claimJobs(claimRequest('node-a', 2_000))).started.map((j) => j.id)).toEqual([id]); // line 1
      await store.recordReports({ logs: ['two', 'three', 'four'].map((text, i) => ({ jobId: id, at: 2_100 + i, text })), progress: new Map(), outcomes: [] });
      await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'interrupted', jobId: id, attempt: 1, at: 2_200, logLine: 'five' }] }); // drops 3
      expect((await store.claimJobs(claimRequest('node-a', 2_300))).started.map((j) => j.attempt)).toEqual([2]); // line 6, drops 4
      const completion = { kind: 'completed', jobId: id, attempt: 2, at: 2_400, logLine: 'seven' } as const;
      const { reported } = await store.claimJobs({ ...claimRequest('node-a', 2_400), reports: { logs: [], progress: new Map(), outcomes: [completion] } }); // drops 5
      expect(reported).toMatchObject([{ id, status: 'completed', logLines: 7 }]);
      const log = await store.readLog(id, 0, 100);
      expect({ total: log.total, dropped: log.dropped }).toEqual({ total: 7, dropped: 3 });
      expect(log.lines.map((l) => l.line)).toEqual([1, 2, 6, 7]);
      expect(log.lines.map((l) => l.text)).toEqual(['Started attempt 1 on node node-a', 'two', 'Started attempt 2 on node node-a', 'seven']);
    });

    it('keeps logs append-only, ordered, timestamped and bounded (head and tail kept)', async () => {
      await store.close();
      await open({ logBounds: { headLines: 3, tailLines: 4 } });
      const [job] = await store.insertJobs([newJob()]);
      await store.recordReports({ logs: Array.from({ length: 20 }, (_, i) => ({ jobId: job!.id, at: 5_000 + i, text: `line ${i + 1}` })), progress: new Map(), outcomes: [] });
      const log = await store.readLog(job!.id, 0, 100);
      expect(log.total).toBe(20);
      expect(log.dropped).toBe(13);
      expect(log.lines.map((l) => l.text)).toEqual(['line 1', 'line 2', 'line 3', 'line 17', 'line 18', 'line 19', 'line 20']);
      expect(log.lines[0]).toEqual({ line: 1, at: 5_000, text: 'line 1' });
      const tail = await store.readLog(job!.id, 18, 100);
      expect(tail.lines.map((l) => l.line)).toEqual([19, 20]);
      await expect(store.readLog(randomUUID(), 0, 10)).rejects.toSatisfy((e) => isAppError(e) && e.code === 'NOT_FOUND');
    });

    it('applies manual transitions only from allowed statuses', async () => {
      const [job] = await store.insertJobs([newJob()]);
      const paused = await store.transitionJob({ jobId: job!.id, action: 'pause', at: 2_000, logLine: 'Paused' });
      expect(paused).toMatchObject({ applied: true, job: { status: 'paused' } });
      const refused = await store.transitionJob({ jobId: job!.id, action: 'pause', at: 2_001 });
      expect(refused).toMatchObject({ applied: false, job: { status: 'paused' } });
      expect((await store.claimJobs(claimRequest('n', 2_002))).started).toHaveLength(0);
      const prio = await store.setPriority(job!.id, 1, 2_003);
      expect(prio).toMatchObject({ applied: true, job: { priority: 1 } });
      await store.transitionJob({ jobId: job!.id, action: 'resume', at: 3_000 });
      const cancelled = await store.cancelJob({ jobId: job!.id, at: 4_000, logLine: 'cancelled', requestedLogLine: 'Cancel requested' });
      expect(cancelled.job).toMatchObject({ status: 'cancelled', completedAt: 4_000 });
      expect((await store.setPriority(job!.id, 2, 4_001)).applied).toBe(false);
      const retried = await store.transitionJob({ jobId: job!.id, action: 'retry', at: 5_000 });
      expect(retried.job).toMatchObject({ status: 'pending', retryCount: 1, completedAt: null, retryAfter: null, enqueuedAt: 5_000 });
      expect((await store.readLog(job!.id, 0, 10)).lines.map((l) => l.text)).toEqual(['Paused', 'cancelled']);
      await expect(store.transitionJob({ jobId: randomUUID(), action: 'pause', at: 1 })).rejects.toSatisfy((e) => isAppError(e) && e.code === 'NOT_FOUND');
    });

    it('cancel of a running job marks it cancelling; its slot stays held until its attempt reports cancelled', async () => {
      const [job] = await store.insertJobs([newJob({ type: 'reencode_streaming' })]);
      const [started] = (await store.claimJobs(claimRequest('n', 2_000))).started;
      const cancel = (at: number) => store.cancelJob({ jobId: job!.id, at, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
      const asked = await cancel(2_500);
      expect(asked).toMatchObject({ applied: true, job: { status: 'running', cancelRequestedAt: 2_500, vramReserved: 4000 } });
      expect(await cancel(2_600)).toMatchObject({ applied: true, job: { status: 'running', cancelRequestedAt: 2_500 } }); // once
      expect((await store.countJobs()).vramReservedMb).toBe(4000); // the tool still runs: its slot and VRAM stay taken
      expect((await store.countJobs()).byStatus).toMatchObject({ running: 1, cancelled: 0 });
      const stale = await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'cancelled', jobId: job!.id, attempt: started!.attempt - 1, at: 2_900, logLine: 'stale' }] });
      expect(stale).toHaveLength(0);
      const [ended] = await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'cancelled', jobId: job!.id, attempt: started!.attempt, at: 3_000, logLine: 'Cancelled: the tool has exited' }] });
      expect(ended).toMatchObject({ status: 'cancelled', vramReserved: 0, completedAt: 3_000 });
      expect((await store.countJobs()).byStatus).toMatchObject({ running: 0, cancelled: 1 });
      expect((await store.readLog(job!.id, 0, 10)).lines.map((l) => l.text)).toEqual(['Started attempt 1 on node n (4000 MB VRAM reserved)', 'Cancel requested', 'Cancelled: the tool has exited']);
      expect(await cancel(3_100)).toMatchObject({ applied: false, job: { status: 'cancelled' } });
      // a retry starts afresh: no cancel carried over
      const retried = await store.transitionJob({ jobId: job!.id, action: 'retry', at: 3_200 });
      expect(retried.job).toMatchObject({ status: 'pending', cancelRequestedAt: null });
    });

    it('cancel of a waiting job is at once; an attempt asked to cancel ends cancelled unless it completed first; a rescue cancels it', async () => {
      const [waiting, failing, interrupted, completing, crashed, suspended] = await store.insertJobs([newJob(), newJob(), newJob(), newJob(), newJob(), newJob()]);
      const cancel = (id: string, at: number) => store.cancelJob({ jobId: id, at, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
      const paused = await store.transitionJob({ jobId: waiting!.id, action: 'pause', at: 1_900 });
      expect(paused.job.status).toBe('paused');
      const started = (await store.claimJobs(claimRequest('n', 2_000, capacityOf({ limits: { cpu: 5, gpu_encode: 1, gpu_ai: 1 } })))).started;
      const attemptOf = (id: string) => started.find((j) => j.id === id)!.attempt;
      expect(started.map((j) => j.id).sort()).toEqual([failing!.id, interrupted!.id, completing!.id, crashed!.id, suspended!.id].sort());
      // paused without a process: cancelled at once
      expect(await cancel(waiting!.id, 2_100)).toMatchObject({ applied: true, job: { status: 'cancelled', completedAt: 2_100 } });
      // suspended (its process stopped): asked, it stays suspended until its attempt ends
      await store.suspendJob(suspended!.id, 2_150, 'Suspended');
      expect(await cancel(suspended!.id, 2_200)).toMatchObject({ applied: true, job: { status: 'suspended', cancelRequestedAt: 2_200 } });
      for (const j of [failing, interrupted, completing, crashed]) await cancel(j!.id, 2_200);
      const decision = { kind: 'retry' as const, retryCount: 1, retryAfter: 9_000, reason: 'attempt 1 of 3' };
      const ended = await store.recordReports({
        logs: [],
        progress: new Map(),
        outcomes: [
          { kind: 'failed', jobId: failing!.id, attempt: attemptOf(failing!.id), at: 3_000, error: 'boom', decision, logLine: 'ERROR: boom' },
          { kind: 'interrupted', jobId: interrupted!.id, attempt: attemptOf(interrupted!.id), at: 3_000, logLine: 'Interrupted by shutdown' },
          { kind: 'completed', jobId: completing!.id, attempt: attemptOf(completing!.id), at: 3_000, logLine: 'done' },
          { kind: 'cancelled', jobId: suspended!.id, attempt: attemptOf(suspended!.id), at: 3_000, logLine: 'Cancelled: the tool has exited' },
        ],
      });
      expect(new Map(ended.map((j) => [j.id, j.status]))).toEqual(
        new Map([
          [failing!.id, 'cancelled'],
          [interrupted!.id, 'cancelled'],
          [completing!.id, 'completed'],
          [suspended!.id, 'cancelled'],
        ]),
      );
      expect(ended.find((j) => j.id === suspended!.id)).toMatchObject({ vramReserved: 0 });
      expect((await store.readLog(failing!.id, 0, 10)).lines.at(-1)?.text).toBe('Cancelled, as asked: the attempt has ended (ERROR: boom)');
      const rescued = await store.rescueJobs('n', 4_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
      expect(rescued.map((j) => [j.id, j.status, j.retryCount])).toEqual([[crashed!.id, 'cancelled', 0]]);
      expect((await store.readLog(crashed!.id, 0, 10)).lines.at(-1)?.text).toMatch(/runtime stopped while this job was running.*: cancelled, as a user had asked/);
      const counts = await store.countJobs();
      expect(counts.byStatus).toMatchObject({ running: 0, suspended: 0, paused: 0, cancelled: 5, completed: 1, queued: 0, pending: 0 });
      expect(counts.vramReservedMb).toBe(0);
    });

    it('rescues jobs left running by a dead node, spending a retry, and logs why', async () => {
      const [a, b] = await store.insertJobs([newJob(), newJob({ maxRetries: 0 })]);
      await store.insertJobs([newJob()]);
      await store.claimJobs(claimRequest('dead', 2_000, capacityOf({ limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } })));
      const rescued = await store.rescueJobs('dead', 9_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
      expect(rescued.map((j) => [j.id, j.status]).sort()).toEqual([[a!.id, 'queued'], [b!.id, 'failed']].sort());
      expect(rescued.find((j) => j.id === a!.id)).toMatchObject({ retryCount: 1, vramReserved: 0 });
      const log = await store.readLog(a!.id, 0, 10);
      expect(log.lines.at(-1)?.text).toMatch(/runtime stopped while this job was running.*re-queued/);
      expect((await store.listJobs({ status: 'running' }, 0, 10)).total).toBe(0);
      expect(await store.rescueJobs('dead', 9_001, () => ({ kind: 'fail', reason: 'x' }))).toHaveLength(0);
      // the rescued job can run again
      const again = await store.claimJobs(claimRequest('alive', 9_002));
      expect(again.started.map((j) => j.id)).toContain(a!.id);
    });

    it('pages deep lists exactly like a full scan, with and without filters', async () => {
      const types = ['validate', 'reencode_streaming', 'scene_extract'] as const;
      const jobs = await store.insertJobs(Array.from({ length: 9_000 }, (_, i) => newJob({ type: types[i % 3], resourceCategory: (['cpu', 'gpu_encode', 'gpu_ai'] as const)[i % 3] })));
      for (const job of jobs.filter((_, i) => i % 7 === 0)) await store.cancelJob({ jobId: job.id, at: 2_000, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
      const newestFirst = [...jobs].reverse();
      const cancelled = new Set(jobs.filter((_, i) => i % 7 === 0).map((j) => j.id));
      const cases = [
        { filter: {}, expected: newestFirst.map((j) => j.id) },
        { filter: { status: 'cancelled' as const }, expected: newestFirst.filter((j) => cancelled.has(j.id)).map((j) => j.id) },
        { filter: { status: 'pending' as const, type: 'validate' as const }, expected: newestFirst.filter((j) => !cancelled.has(j.id) && j.type === 'validate').map((j) => j.id) },
        { filter: { resourceCategory: 'gpu_ai' as const }, expected: newestFirst.filter((j) => j.type === 'scene_extract').map((j) => j.id) },
      ];
      for (const { filter, expected } of cases) {
        for (const offset of [0, 20, 4_090, 4_096, 5_000, expected.length - 5, expected.length, expected.length + 100]) {
          const page = await store.listJobs(filter, offset, 20);
          expect(page.rows.map((r) => r.id), `${JSON.stringify(filter)} @${offset}`).toEqual(expected.slice(offset, offset + 20));
          expect(page.total).toBe(expected.length);
        }
      }
    });

    it('suspends a running job: it keeps its slot and VRAM, its outcome still applies, and it is rescued after a crash', async () => {
      const [job] = await store.insertJobs([newJob({ type: 'reencode_streaming' })]);
      await store.insertJobs([newJob({ type: 'reencode_streaming' }), newJob({ type: 'reencode_streaming' })]);
      const started = (await store.claimJobs(claimRequest('n', 2_000, capacityOf({ limits: { cpu: 5, gpu_encode: 1, gpu_ai: 1 } })))).started;
      expect(started.map((j) => j.id)).toEqual([job!.id]);
      expect((await store.suspendJob(job!.id, 2_100, 'Suspended')).job).toMatchObject({ status: 'suspended', vramReserved: 4000 });
      expect((await store.suspendJob(job!.id, 2_101, 'again')).applied).toBe(false);
      expect((await store.claimJobs(claimRequest('n', 2_200, capacityOf({ limits: { cpu: 5, gpu_encode: 1, gpu_ai: 1 } })))).started).toHaveLength(0);
      expect(await store.countJobs()).toMatchObject({ vramReservedMb: 4000, byStatus: { running: 0, suspended: 1, paused: 0 } });
      expect((await store.listJobs({ status: 'suspended' }, 0, 10)).rows.map((j) => j.id)).toEqual([job!.id]);
      expect((await store.resumeSuspendedJob(job!.id, 2_300, 'Resumed')).job).toMatchObject({ status: 'running' });
      await store.suspendJob(job!.id, 2_400, 'Suspended');
      const done = await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'completed', jobId: job!.id, attempt: started[0]!.attempt, at: 2_500, logLine: 'done' }] });
      expect(done[0]).toMatchObject({ status: 'completed', vramReserved: 0 });
      const [other] = (await store.claimJobs(claimRequest('n', 2_600, capacityOf({ limits: { cpu: 5, gpu_encode: 1, gpu_ai: 1 } })))).started;
      await store.suspendJob(other!.id, 2_700, 'Suspended');
      const rescued = await store.rescueJobs('n', 3_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
      expect(rescued.map((j) => [j.id, j.status])).toEqual([[other!.id, 'queued']]);
      expect((await store.readLog(job!.id, 0, 10)).lines.map((l) => l.text)).toEqual(['Started attempt 1 on node n (4000 MB VRAM reserved)', 'Suspended', 'Resumed', 'Suspended', 'done']);
    });

    it('records child processes per node and hands them over once', async () => {
      // start ticks (field 22 of /proc/<pid>/stat) go past 2^31 on a machine up for long enough
      await store.recordProcess({ pid: 111, jobId: 'a', command: 'ffmpeg', nodeId: 'n1', startedAt: 1, startTicks: 4_300_000_123 });
      await store.recordProcess({ pid: 222, jobId: 'b', command: 'ffprobe', nodeId: 'n1', startedAt: 2, startTicks: 7 });
      await store.recordProcess({ pid: 444, jobId: 'd', command: 'ffprobe', nodeId: 'n1', startedAt: 4, startTicks: null });
      await store.recordProcess({ pid: 333, jobId: 'c', command: 'ffmpeg', nodeId: 'n2', startedAt: 3, startTicks: 9 });
      await store.forgetProcess('n1', 222);
      expect(await store.takeRecordedProcesses('n1')).toEqual([
        { pid: 111, jobId: 'a', command: 'ffmpeg', nodeId: 'n1', startedAt: 1, startTicks: 4_300_000_123 },
        { pid: 444, jobId: 'd', command: 'ffprobe', nodeId: 'n1', startedAt: 4, startTicks: null },
      ]);
      expect(await store.takeRecordedProcesses('n1')).toEqual([]);
      expect((await store.takeRecordedProcesses('n2')).map((p) => p.pid)).toEqual([333]);
    });
  });
}
