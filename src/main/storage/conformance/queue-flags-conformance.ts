/**
 * The queue's pause flags on every store: each pause or resume applied to the flags stored at that
 * moment (two nodes' changes both stay), and every claim held to the flags as stored, whatever the
 * claiming node's own copy says.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobStore } from '../../core/ports';
import { claimRequest, newJob, type StoreFactory } from './fixtures';

export function describeQueueFlagsConformance(adapterName: string, factory: StoreFactory): void {
  describe(`queue flags: ${adapterName}`, () => {
    let store: JobStore;
    beforeEach(async () => {
      store = await factory({});
    });
    afterEach(async () => {
      await store.close();
    });

    it('persists queue pause flags, each change applied to the flags stored at that moment', async () => {
      expect(await store.getQueueFlags()).toEqual({ queuePaused: false, pausedCategories: [] });
      expect(await store.changeQueueFlags({ paused: true, category: 'gpu_ai' })).toEqual({ queuePaused: false, pausedCategories: ['gpu_ai'] });
      expect(await store.changeQueueFlags({ paused: true })).toEqual({ queuePaused: true, pausedCategories: ['gpu_ai'] });
      // pausing a paused category again lists it once
      expect(await store.changeQueueFlags({ paused: true, category: 'gpu_ai' })).toEqual({ queuePaused: true, pausedCategories: ['gpu_ai'] });
      expect(await store.changeQueueFlags({ paused: true, category: 'cpu' })).toEqual({ queuePaused: true, pausedCategories: ['gpu_ai', 'cpu'] });
      expect(await store.getQueueFlags()).toEqual({ queuePaused: true, pausedCategories: ['gpu_ai', 'cpu'] });
      expect(await store.changeQueueFlags({ paused: false, category: 'gpu_ai' })).toEqual({ queuePaused: true, pausedCategories: ['cpu'] });
      expect(await store.changeQueueFlags({ paused: false })).toEqual({ queuePaused: false, pausedCategories: ['cpu'] });
      expect(await store.changeQueueFlags({ paused: false, category: 'gpu_encode' })).toEqual({ queuePaused: false, pausedCategories: ['cpu'] });
      expect(await store.getQueueFlags()).toEqual({ queuePaused: false, pausedCategories: ['cpu'] });
    });

    // the claiming node's copy of the flags says running in every row: another node (PostgreSQL) or
    // this process a moment before its copy caught up (SQLite) stored a pause the claim must obey
    const storedPauses = [
      { change: { paused: true }, starts: false, reason: 'Queue is paused' },
      { change: { paused: true, category: 'cpu' as const }, starts: false, reason: /paused/i },
      { change: { paused: true, category: 'gpu_ai' as const }, starts: true, reason: null },
    ];
    for (const row of storedPauses) {
      it(`holds a claim to the flags as stored, not to the claiming node's copy: ${JSON.stringify(row.change)} → ${row.starts ? 'starts' : 'waits'}`, async () => {
        const [job] = await store.insertJobs([newJob()]);
        const stored = await store.changeQueueFlags(row.change);
        const request = claimRequest('node-b', 2_000);
        expect(request.capacity).toMatchObject({ queuePaused: false, pausedCategories: [] });
        const seen: unknown[] = [];
        const claimed = await store.claimJobs({ ...request, decide: (usage, candidates, flags) => (seen.push(flags), request.decide(usage, candidates, flags)) });
        expect(seen).toEqual([stored]);
        expect(claimed.started.map((j) => j.id)).toEqual(row.starts ? [job!.id] : []);
        if (row.reason !== null) expect((await store.getJob(job!.id))?.waitingReason).toMatch(row.reason);
      });
    }

    it('keeps both of two pauses of different categories made at once (neither writes back a copy missing the other)', async () => {
      // on PostgreSQL two pooled connections race for the row; SQLite has one writer (this shows only the result there)
      await Promise.all([store.changeQueueFlags({ paused: true, category: 'gpu_ai' }), store.changeQueueFlags({ paused: true, category: 'gpu_encode' })]);
      expect([...(await store.getQueueFlags()).pausedCategories].sort()).toEqual(['gpu_ai', 'gpu_encode']);
    });
  });
}
