import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { JobStore, PruneRequest, PruneResult } from '../core/ports';
import { newJob } from '../storage/conformance/job-store-conformance';
import { openSqliteStores } from '../storage/sqlite/open-sqlite-stores';
import { DEFAULT_CLEANER_CONFIG, JobCleaner, type CleanerConfig } from './cleaner';
import { loadConfig } from './config';
import { ManualClock } from './testing/manual-clock';
import { startTestRuntime } from './testing/test-runtime';

const DAY = 86_400_000;

/** A store whose pruneJobs hands out `batches` in turn and records each request. */
function fakeStore(batches: PruneResult[], options: { locked?: boolean } = {}) {
  const requests: PruneRequest[] = [];
  const store: Pick<JobStore, 'pruneJobs' | 'asSoleCleaner'> = {
    pruneJobs: async (r) => {
      requests.push(r);
      return batches.shift() ?? { deleted: 0, next: null };
    },
    asSoleCleaner: async (pass) => {
      if (options.locked) return false;
      await pass();
      return true;
    },
  };
  return { store, requests };
}

const config = (overrides: Partial<CleanerConfig> = {}): CleanerConfig => ({ ...DEFAULT_CLEANER_CONFIG, batchPauseMs: 0, ...overrides });

describe('JobCleaner', () => {
  it('walks a pass in batches from the cursor the store returns, with cutoffs from the injected clock and a pause between batches', async () => {
    const { store, requests } = fakeStore([
      { deleted: 3, next: 40 },
      { deleted: 0, next: 90 },
      { deleted: 2, next: null },
    ]);
    const pauses: number[] = [];
    const pruned: number[] = [];
    const now = 200 * DAY;
    const cleaner = new JobCleaner(store, config({ batchSize: 7, batchPauseMs: 25 }), { now: () => now }, { sleep: async (ms) => void pauses.push(ms), onPruned: (n) => pruned.push(n) });
    expect(await cleaner.runOnce()).toBe(5);
    expect(requests).toEqual([
      { completedBefore: now - 30 * DAY, failedBefore: now - 90 * DAY, after: 0, limit: 7 },
      { completedBefore: now - 30 * DAY, failedBefore: now - 90 * DAY, after: 40, limit: 7 },
      { completedBefore: now - 30 * DAY, failedBefore: now - 90 * DAY, after: 90, limit: 7 },
    ]);
    expect(pauses).toEqual([25, 25]);
    expect(pruned).toEqual([5]);
  });

  it('keeps a kind forever at 0 days, and never runs when both are 0', async () => {
    const { store, requests } = fakeStore([]);
    await new JobCleaner(store, config({ completedDays: 0 }), { now: () => 100 * DAY }).runOnce();
    expect(requests[0]).toMatchObject({ completedBefore: null, failedBefore: 10 * DAY });
    const never = new JobCleaner(store, config({ completedDays: 0, failedDays: 0 }), { now: () => 100 * DAY });
    expect(never.enabled).toBe(false);
    expect(await never.runOnce()).toBe(0);
    expect(requests).toHaveLength(1);
  });

  it('skips its turn when another node holds the cleaner lock', async () => {
    const { store, requests } = fakeStore([{ deleted: 1, next: null }], { locked: true });
    expect(await new JobCleaner(store, config(), { now: () => 100 * DAY }).runOnce()).toBe(0);
    expect(requests).toEqual([]);
  });

  it('runs shortly after start, then every interval after the pass before; stop ends the schedule and a pass after its current batch', async () => {
    const clock = new ManualClock();
    const { store, requests } = fakeStore([]);
    const cleaner = new JobCleaner(store, config({ firstRunDelayMs: 1_000, intervalMs: 60_000 }), clock, { timers: clock });
    cleaner.start();
    await clock.advance(999);
    expect(requests).toHaveLength(0);
    await clock.advance(1);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ completedBefore: clock.now() - 30 * DAY }); // cutoffs from the injected clock
    await clock.advance(60_000);
    expect(requests).toHaveLength(2);
    await cleaner.stop();
    await clock.advance(10 * 60_000);
    expect(requests).toHaveLength(2);
    expect(clock.pendingTimers).toBe(0);

    // a pass in progress: stop lets the current batch finish and starts no other
    let release!: () => void;
    const slow: Pick<JobStore, 'pruneJobs' | 'asSoleCleaner'> = {
      pruneJobs: vi.fn(async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return { deleted: 1, next: 5 };
      }),
      asSoleCleaner: async (pass) => (await pass(), true),
    };
    const busy = new JobCleaner(slow, config(), clock, { timers: clock });
    const pass = busy.runOnce();
    expect(busy.runOnce()).toBe(pass); // joined, not doubled
    await vi.waitFor(() => expect(slow.pruneJobs).toHaveBeenCalledTimes(1));
    const stopped = busy.stop();
    release();
    await stopped;
    expect(await pass).toBe(1);
    expect(slow.pruneJobs).toHaveBeenCalledTimes(1);
  });

  it('pauses between batches on its timers: a pass spans the pauses in test time', async () => {
    const clock = new ManualClock();
    const { store, requests } = fakeStore([
      { deleted: 2, next: 10 },
      { deleted: 1, next: null },
    ]);
    const pruned: number[] = [];
    const cleaner = new JobCleaner(store, config({ firstRunDelayMs: 100, batchPauseMs: 20 }), clock, { timers: clock, onPruned: (n) => pruned.push(n) });
    cleaner.start();
    await clock.advance(100);
    expect(requests).toHaveLength(1); // paused after the first batch
    await clock.advance(19);
    expect(requests).toHaveLength(1);
    await clock.advance(1);
    expect(requests).toHaveLength(2);
    expect(pruned).toEqual([3]);
    await cleaner.stop();
  });

  it('prunes a real store to its retention with exact counts (fake clock, no timer)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mjc-cleaner-'));
    const stores = openSqliteStores(join(dir, 'db.sqlite'));
    try {
      const jobs = await stores.jobs.insertJobs(Array.from({ length: 25 }, (_, i) => newJob({ createdAt: i })));
      for (const [i, job] of jobs.entries()) {
        if (i < 20) await stores.jobs.cancelJob({ jobId: job.id, at: i < 15 ? DAY : 95 * DAY, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
      }
      const cleaner = new JobCleaner(stores.jobs, config({ batchSize: 4 }), { now: () => 100 * DAY });
      expect(await cleaner.runOnce()).toBe(15);
      const counts = await stores.jobs.countJobs();
      expect(counts.byStatus).toMatchObject({ cancelled: 5, pending: 5 });
      expect((await stores.jobs.listJobs({}, 0, 100)).total).toBe(10);
    } finally {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Retention in the runtime', () => {
  it('reads its windows and schedule from the environment, and refuses bad values', () => {
    const base = { MEDIA_DATA_DIR: '/tmp/x' };
    expect(loadConfig(base).retention).toMatchObject({ completedDays: 30, failedDays: 90, intervalMs: 3_600_000, batchSize: 250 });
    expect(loadConfig({ ...base, MEDIA_RETAIN_COMPLETED_DAYS: '0', MEDIA_RETAIN_FAILED_DAYS: '7', MEDIA_CLEAN_INTERVAL_MS: '5000', MEDIA_CLEAN_BATCH: '100' }).retention).toMatchObject({
      completedDays: 0,
      failedDays: 7,
      intervalMs: 5000,
      firstRunDelayMs: 5000,
      batchSize: 100,
    });
    expect(() => loadConfig({ ...base, MEDIA_RETAIN_FAILED_DAYS: '-1' })).toThrow(/MEDIA_RETAIN_FAILED_DAYS/);
    expect(() => loadConfig({ ...base, MEDIA_RETAIN_COMPLETED_DAYS: '1.5' })).toThrow(/MEDIA_RETAIN_COMPLETED_DAYS/);
    expect(() => loadConfig({ ...base, MEDIA_CLEAN_INTERVAL_MS: '10' })).toThrow(/MEDIA_CLEAN_INTERVAL_MS/);
  });

  it('the runtime starts the cleaner: ended jobs past their window are gone shortly after start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mjc-cleaner-runtime-'));
    const seeded = openSqliteStores(join(dir, 'media-jobs.db'));
    const [old, recent] = await seeded.jobs.insertJobs([newJob({ createdAt: 0 }), newJob({ createdAt: 0 })]);
    await seeded.jobs.cancelJob({ jobId: old!.id, at: Date.now() - 31 * DAY, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
    await seeded.jobs.cancelJob({ jobId: recent!.id, at: Date.now() - DAY, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
    await seeded.close();
    const timers = new ManualClock(); // the runtime's services run on test time; its clock is real
    const t = await startTestRuntime({ dir, timers, config: { retention: config({ firstRunDelayMs: 10 }) } });
    try {
      expect(await t.store.getJob(old!.id)).toBeDefined();
      await timers.advance(10); // the first pass, run to its end
      expect(await t.store.getJob(old!.id)).toBeUndefined();
      expect(await t.store.getJob(recent!.id)).toBeDefined();
      expect((await t.store.countJobs()).byStatus.cancelled).toBe(1);
    } finally {
      await t.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
