/**
 * JobStore.queuePositions (the positions of a list page in one read) agrees with queuePosition,
 * job by job, on both adapters: waiting jobs of several categories, priorities and ties, jobs that
 * run, are paused or final (null), unknown ids; and a claim moves every position behind it. On SQLite
 * the positions are counted from the nearer end of each queue: both ends give the same answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStore } from '../core/ports';
import { capacityOf, claimRequest, newJob } from './conformance/job-store-conformance';
import { PostgresJobStore } from './postgres/pg-job-store';
import { SqliteJobStore } from './sqlite/sqlite-job-store';
import { sqliteQueuePositions } from './sqlite/sqlite-queue-positions';
import type Database from 'better-sqlite3';
import { findPostgresBinDir, startPostgres, type PostgresServer } from './testing/postgres-server';

async function expectAgreement(store: JobStore, ids: readonly string[]): Promise<Map<string, number>> {
  const batch = await store.queuePositions(ids);
  for (const id of ids) expect(batch.get(id) ?? null, id).toBe(await store.queuePosition(id));
  return batch;
}

function describePositions(name: string, open: () => Promise<JobStore>): void {
  describe(`queuePositions: ${name}`, () => {
    it('equals queuePosition for every job of a page, in one read', async () => {
      const store = await open();
      try {
        const jobs = await store.insertJobs([
          newJob({ type: 'validate', priority: 5 }),
          newJob({ type: 'reencode_streaming', priority: 5 }),
          newJob({ type: 'validate', priority: 1 }),
          newJob({ type: 'validate', priority: 5 }),
          newJob({ type: 'reencode_streaming', priority: 9 }),
          newJob({ type: 'reencode_streaming', priority: 2 }),
          newJob({ type: 'validate', priority: 7 }),
          newJob({ type: 'scene_extract', priority: 5 }),
        ]);
        const ids = jobs.map((j) => j.id);
        const batch = await expectAgreement(store, [...ids, randomUUID()]);
        // cpu: p1, p5 (first), p5 (second), p7; gpu_encode: p2, p5, p9; gpu_ai: alone
        expect(ids.map((id) => batch.get(id))).toEqual([2, 2, 1, 3, 3, 1, 4, 1]);

        // a paused job leaves the queue; everything behind it moves up
        const paused = await store.transitionJob({ jobId: ids[0]!, action: 'pause', at: 2_000 });
        expect(paused.applied).toBe(true);
        const afterPause = await expectAgreement(store, ids);
        expect(afterPause.has(ids[0]!)).toBe(false);
        expect(afterPause.get(ids[3]!)).toBe(2);

        // one cpu slot: the best cpu job starts and leaves the queue
        await store.claimJobs(claimRequest('n', 2_000, capacityOf({ limits: { cpu: 1, gpu_encode: 0, gpu_ai: 0 } })));
        const afterClaim = await expectAgreement(store, ids);
        expect(afterClaim.has(ids[2]!)).toBe(false);
        expect(afterClaim.get(ids[3]!)).toBe(1);
        expect(afterClaim.get(ids[6]!)).toBe(2);

        expect((await store.queuePositions([])).size).toBe(0);
      } finally {
        await store.close();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'mjc-positions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describePositions('SQLite', async () => new SqliteJobStore({ file: join(dir, `${randomUUID()}.db`) }));

describe.skipIf(findPostgresBinDir() === null)('PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => server?.stop());
  describePositions('PostgreSQL', async () => PostgresJobStore.open({ url: await server.createDatabase() }));
});

describe('queuePositions: SQLite counts from whichever end of the queue is nearer', () => {
  it('gives the same positions counting from the tail (bucket totals) as from the head', async () => {
    const store = new SqliteJobStore({ file: join(dir, `${randomUUID()}.db`) });
    try {
      const types = ['validate', 'reencode_streaming', 'scene_extract'] as const;
      const jobs = await store.insertJobs(Array.from({ length: 40 }, (_, i) => newJob({ type: types[i % 3]!, priority: 1 + ((i * 7) % 10) })));
      await store.transitionJob({ jobId: jobs[4]!.id, action: 'pause', at: 2_000 });
      const ids = jobs.map((j) => j.id);
      const db = (store as unknown as { db: Database.Database }).db;
      const fromHead = sqliteQueuePositions(db, ids, Number.MAX_SAFE_INTEGER);
      const fromTail = sqliteQueuePositions(db, ids, 0); // a probe limit of 0: every category from its tail
      expect(fromTail).toEqual(fromHead);
      expect(fromHead.size).toBe(39);
      for (const id of ids) expect(fromTail.get(id) ?? null, id).toBe(await store.queuePosition(id));
      // a page of the newest jobs alone (the list's page 1), from the tail
      const newest = ids.slice(-10);
      const page = sqliteQueuePositions(db, newest, 0);
      for (const id of newest) expect(page.get(id) ?? null, id).toBe(await store.queuePosition(id));
    } finally {
      await store.close();
    }
  });
});
