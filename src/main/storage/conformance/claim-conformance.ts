/**
 * No head-of-line blocking at any depth, on every store: a job that fits the free capacity starts
 * on the first claim however many higher-ranked jobs that do not fit come before it (more than any
 * lookahead reads), and the starvation guard still holds VRAM for a big job that waited past it,
 * wherever that job ranks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord, JobStore, NewJob } from '../../core/ports';
import { candidateLookahead } from '../../core/scheduler';
import { capacityOf, claimRequest, newJob, STARVATION_GUARD_MS, type StoreFactory } from './fixtures';

const NODE = 'n';
const NOW = 10_000_000;
const BUDGET = 16_000;

const gpuAi = (vramRequired: number, priority: number, overrides: Partial<NewJob> = {}) =>
  newJob({ type: 'scene_extract', resourceCategory: 'gpu_ai', vramRequired, priority, createdAt: NOW, ...overrides });

export function describeClaimConformance(adapterName: string, factory: StoreFactory): void {
  describe(`claims without head-of-line blocking: ${adapterName}`, () => {
    let store: JobStore;
    beforeEach(async () => {
      store = await factory({});
    });
    afterEach(async () => {
      await store.close();
    });

    /** A gpu_encode job running on the node, holding `vram` MB: what is free is the budget minus that. */
    const holdVram = async (vram: number): Promise<JobRecord> => {
      await store.insertJobs([newJob({ type: 'reencode_streaming', resourceCategory: 'gpu_encode', vramRequired: vram, createdAt: NOW })]);
      const [running] = (await store.claimJobs(claimRequest(NODE, NOW))).started;
      expect(running?.vramReserved).toBe(vram);
      return running!;
    };

    it('50 high-priority 20,000 MB jobs ahead of one low-priority 2,000 MB job on a 16,000 MB budget: the small one starts on the first claim', async () => {
      await store.insertJobs(Array.from({ length: 50 }, () => gpuAi(20_000, 1)));
      const [small] = await store.insertJobs([gpuAi(2_000, 10)]);
      expect(50).toBeGreaterThan(candidateLookahead(capacityOf()).gpu_ai); // deeper than the lookahead reads
      const { started, waitingChanged } = await store.claimJobs(claimRequest(NODE, NOW, capacityOf({ vramBudgetMb: BUDGET })));
      expect(started.map((j) => [j.id, j.vramReserved])).toEqual([[small!.id, 2_000]]);
      expect(waitingChanged.length).toBeGreaterThan(0);
      expect(waitingChanged.every((j) => j.waitingReason === 'needs 20000 MB VRAM, more than the whole budget of 16000 MB')).toBe(true);
    });

    it('starts a small job behind 50 that fit the budget but not the VRAM free now, and nothing too big', async () => {
      await holdVram(8_000);
      await store.insertJobs(Array.from({ length: 50 }, () => gpuAi(12_000, 1)));
      const [tooBig, small] = await store.insertJobs([gpuAi(9_000, 5), gpuAi(8_000, 9)]);
      const { started } = await store.claimJobs(claimRequest(NODE, NOW + 1));
      expect(started.map((j) => j.id)).toEqual([small!.id]);
      expect((await store.getJob(tooBig!.id))?.status).not.toBe('running');
      expect((await store.countJobs()).vramReservedMb).toBe(16_000);
    });

    it('keeps the starvation guard: a big job that waited past it holds its VRAM against smaller ones ranked below it, however deep it ranks', async () => {
      await holdVram(8_000);
      await store.insertJobs(Array.from({ length: 20 }, () => gpuAi(20_000, 1))); // never fit: they hold nothing
      const [starving, small] = await store.insertJobs([gpuAi(12_000, 2, { createdAt: NOW - 2 * STARVATION_GUARD_MS }), gpuAi(2_000, 3)]);
      const { started } = await store.claimJobs(claimRequest(NODE, NOW + 1));
      expect(started).toEqual([]);
      expect((await store.getJob(small!.id))?.waitingReason).toBe('needs 2000 MB VRAM, 8000 MB free but 12000 MB held for a job that has waited longer');
      expect((await store.getJob(starving!.id))?.waitingReason).toBe('needs 12000 MB VRAM, 8000 MB free');
    });

    it('lets the small job go when the big one has not waited past the guard, or ranks below it', async () => {
      await holdVram(8_000);
      await store.insertJobs(Array.from({ length: 20 }, () => gpuAi(20_000, 1)));
      const [young, first] = await store.insertJobs([gpuAi(12_000, 2, { createdAt: NOW - STARVATION_GUARD_MS / 2 }), gpuAi(2_000, 3)]);
      expect((await store.claimJobs(claimRequest(NODE, NOW + 1))).started.map((j) => j.id)).toEqual([first!.id]);
      expect((await store.getJob(young!.id))?.status).not.toBe('running');

      // the slot frees; an old big job ranked BELOW the next small one holds nothing against it
      await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'completed', jobId: first!.id, attempt: 1, at: NOW + 2, logLine: 'done' }] });
      await store.cancelJob({ jobId: young!.id, at: NOW + 2, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
      const [next] = await store.insertJobs([gpuAi(2_000, 3)]);
      await store.insertJobs([gpuAi(12_000, 4, { createdAt: NOW - 2 * STARVATION_GUARD_MS })]);
      expect((await store.claimJobs(claimRequest(NODE, NOW + 3))).started.map((j) => j.id)).toEqual([next!.id]);
    });
  });
}
