/**
 * The processing-time totals behind averageProcessingSeconds live in job_buckets (the completed
 * rows' `timed`, `timed_ms`, and bucket -1): carried over from the old processing_totals table by
 * the migration, summed in the same upsert as the completed count, and kept when the cleaner
 * empties a bucket, so the average stays over every job ever completed.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobStore } from '../../core/ports';
import { claimRequest, newJob } from '../conformance/fixtures';
import { migrate } from './migrations';
import { SqliteJobStore } from './sqlite-job-store';

const dir = mkdtempSync(join(tmpdir(), 'mjc-sqlite-totals-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasTable = (db: Database.Database, name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** Runs jobs started at `startAt` to completion at the given times. */
async function complete(store: JobStore, startAt: number, endAts: readonly number[]): Promise<void> {
  const jobs = await store.insertJobs(endAts.map(() => newJob({ createdAt: startAt })));
  const { started } = await store.claimJobs(claimRequest('n', startAt));
  expect(started.map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
  await store.recordReports({
    logs: [],
    progress: new Map(),
    outcomes: started.map((j, i) => ({ kind: 'completed' as const, jobId: j.id, attempt: j.attempt, at: endAts[i]!, logLine: 'done' })),
  });
}

describe('SQLite processing-time totals in job_buckets', () => {
  it('carries the old processing_totals over in the migration and adds new completions to them', async () => {
    // the first schema version without processing_totals is the migration under test
    const probe = new Database(':memory:');
    let version = 1;
    for (migrate(probe, version); hasTable(probe, 'processing_totals'); ) migrate(probe, ++version);
    probe.close();
    expect(version).toBeGreaterThan(1);

    const db = new Database(join(dir, `totals-${++n}.db`));
    migrate(db, version - 1);
    db.exec('UPDATE processing_totals SET completed = 4, total_ms = 20000 WHERE id = 1'); // 4 jobs of 5 s each before the upgrade
    migrate(db);
    expect(hasTable(db, 'processing_totals')).toBe(false);
    const store = new SqliteJobStore({ db });
    expect((await store.countJobs()).averageProcessingSeconds).toBeCloseTo(5, 9);
    expect((await store.countJobs()).byStatus.completed).toBe(0); // the carried totals are no jobs

    await complete(store, 1_000, [11_000]); // a fifth job of 10 s
    expect((await store.countJobs()).averageProcessingSeconds).toBeCloseTo(30 / 5, 9);
    db.close();
  });

  it('keeps the totals of the buckets the cleaner empties', async () => {
    const store = new SqliteJobStore({ file: join(dir, `totals-${++n}.db`) });
    try {
      await complete(store, 1_000, [3_000, 5_000, 7_000]); // 2, 4 and 6 s
      expect((await store.countJobs()).averageProcessingSeconds).toBeCloseTo(4, 9);
      const db = store['db'];
      const rows = () => db.prepare('SELECT bucket, status, n, timed, timed_ms FROM job_buckets WHERE n > 0 OR timed > 0 ORDER BY bucket, status').all();
      expect(rows()).toEqual([{ bucket: 0, status: 'completed', n: 3, timed: 3, timed_ms: 12_000 }]);

      const result = await store.pruneJobs({ completedBefore: 10_000, failedBefore: 10_000, after: 0, limit: 100 });
      expect(result.deleted).toBe(3);
      const counts = await store.countJobs();
      expect(counts.byStatus.completed).toBe(0);
      expect(counts.averageProcessingSeconds).toBeCloseTo(4, 9);
      expect(rows()).toEqual([{ bucket: -1, status: 'completed', n: 0, timed: 3, timed_ms: 12_000 }]);

      await complete(store, 20_000, [28_000]); // 8 s: (2 + 4 + 6 + 8) / 4
      expect((await store.countJobs()).averageProcessingSeconds).toBeCloseTo(5, 9);
    } finally {
      await store.close();
    }
  });

  it('counts a completed row without a start time but leaves it out of the average', async () => {
    const store = new SqliteJobStore({ file: join(dir, `totals-${++n}.db`) });
    try {
      const db = store['db'];
      const [job] = await store.insertJobs([newJob({ createdAt: 1_000 })]);
      // a row completed without started_at (a repair by hand, an import): counted, not timed
      db.prepare("UPDATE jobs SET status = 'completed', completed_at = 2000 WHERE id = ?").run(job!.id);
      const counts = await store.countJobs();
      expect(counts.byStatus.completed).toBe(1);
      expect(counts.averageProcessingSeconds).toBe(0);
    } finally {
      await store.close();
    }
  });
});
