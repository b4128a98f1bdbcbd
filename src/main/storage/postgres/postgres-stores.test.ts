/**
 * The PostgreSQL stores against a real throwaway server: the conformance suites unchanged (one
 * database per factory call, copied from a migrated template), PostgreSQL specifics, and several
 * nodes claiming from one database in parallel.
 */
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import type { ResourceCategory } from '../../../shared/domain/statuses';
import { RESOURCE_CATEGORIES } from '../../../shared/domain/statuses';
import type { AttemptOutcome, JobRecord } from '../../core/ports';
import { decideAfterCrash } from '../../core/retry-policy';
import { capacityOf, claimRequest, describeJobStoreConformance, newJob } from '../conformance/job-store-conformance';
import { describeAnalysisStoreConformance } from '../conformance/analysis-store-conformance';
import { describeClaimConformance } from '../conformance/claim-conformance';
import { describeQueueFlagsConformance } from '../conformance/queue-flags-conformance';
import { describeGpuPlacementConformance } from '../conformance/gpu-placement-conformance';
import { describeLifecycleConformance } from '../conformance/lifecycle-conformance';
import { describePartialsConformance } from '../conformance/partials-conformance';
import { describePruneConformance } from '../conformance/prune-conformance';
import { describeVideoStoreConformance } from '../conformance/video-store-conformance';
import { useMigratedPostgres } from '../testing/migrated-postgres';
import { openPostgresStores, type PostgresStores } from './open-postgres-stores';
import { openPool } from './pg-db';
import { PostgresJobStore } from './pg-job-store';
import { migrate, SCHEMA_VERSION } from './pg-migrations';
import { pgArray } from './pg-rows';


describe('PostgreSQL stores', () => {
  const pg = useMigratedPostgres();
  const freshDatabase = () => pg.freshDatabase();

  describeJobStoreConformance('PostgreSQL', async (options) => PostgresJobStore.open({ url: await freshDatabase(), ...options }));
  describeLifecycleConformance('PostgreSQL', async () => PostgresJobStore.open({ url: await freshDatabase() }));
  describeClaimConformance('PostgreSQL', async () => PostgresJobStore.open({ url: await freshDatabase() }));
  describeQueueFlagsConformance('PostgreSQL', async () => PostgresJobStore.open({ url: await freshDatabase() }));
  describeGpuPlacementConformance('PostgreSQL', async () => PostgresJobStore.open({ url: await freshDatabase() }));
  describeVideoStoreConformance('PostgreSQL', async () => openPostgresStores(await freshDatabase()));
  describeAnalysisStoreConformance('PostgreSQL', async () => openPostgresStores(await freshDatabase()));
  describePruneConformance('PostgreSQL', async () => {
    const stores = await openPostgresStores(await freshDatabase());
    const pool = stores.jobs['pool'];
    return { ...stores, compact: () => stores.jobs.compactCounts(), countRows: async (table) => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n) };
  });
  it('lets one node of a fleet clean at a time (the cleaner try-lock), and frees it after the pass', async () => {
    const url = await freshDatabase();
    const [a, b] = [await PostgresJobStore.open({ url }), await PostgresJobStore.open({ url })];
    try {
      let inner: boolean | undefined;
      expect(await a.asSoleCleaner(async () => void (inner = await b.asSoleCleaner(async () => undefined)))).toBe(true);
      expect(inner).toBe(false);
      expect(await b.asSoleCleaner(async () => undefined)).toBe(true);
      await expect(a.asSoleCleaner(async () => Promise.reject(new Error('pass failed')))).rejects.toThrow('pass failed');
      expect(await b.asSoleCleaner(async () => undefined)).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
  describePartialsConformance('PostgreSQL', async () => openPostgresStores(await freshDatabase()), {
    expireLease: async (stores, jobId) => {
      await (stores as PostgresStores).jobs['pool'].query('UPDATE jobs SET lease_expires_at = mjc_now_ms() - 1 WHERE id = $1', [jobId]);
    },
  });

  describe('PostgreSQL store specifics', () => {
    it('keeps every committed job across a reopen, and counts the same before and after compaction', async () => {
      const url = await freshDatabase();
      const first = await PostgresJobStore.open({ url, compactEvery: 1_000_000 });
      const jobs = await first.insertJobs(Array.from({ length: 50 }, (_, i) => newJob({ type: (['validate', 'reencode_streaming'] as const)[i % 2] })));
      await first.claimJobs(claimRequest('n', 2_000));
      const before = await first.countJobs();
      await first.compactCounts();
      expect(await first.countJobs()).toEqual(before);
      await first.close();
      const second = await PostgresJobStore.open({ url });
      expect((await second.listJobs({}, 0, 100)).rows.map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      expect(await second.countJobs()).toEqual(before);
      expect(before.byStatus.running).toBe(7);
      expect(Object.values(before.byStatus).reduce((a, b) => a + b, 0)).toBe(50);
      await second.close();
    });

    it('migrates once when several nodes start together, and refuses a database written by a newer schema', async () => {
      const url = await pg.server().createDatabase();
      const stores = await Promise.all([openPostgresStores(url), openPostgresStores(url), openPostgresStores(url)]);
      await Promise.all(stores.map((s) => s.close()));
      const client = new Client({ connectionString: url });
      await client.connect();
      expect((await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)');
      await client.end();
      await expect(PostgresJobStore.open({ url })).rejects.toThrow(/newer version/);
    });

    it('keeps the counts exact across the upgrades that count live jobs live (schema 6) and make suspended a status', async () => {
      const url = await pg.server().createDatabase();
      const pool = openPool(url);
      await migrate(pool, 5);
      // jobs in every state a job can be in during the upgrade, written as schema 5 knew them
      await pool.query(`INSERT INTO jobs (id, type, status, params, priority, resource_category, vram_required, created_at, enqueued_at, max_retries, updated_at)
        SELECT 'job-' || i, (ARRAY['validate', 'reencode_streaming'])[1 + i % 2], 'pending', '{}', 5, (ARRAY['cpu', 'gpu_encode'])[1 + i % 2], 0, i, i, 3, i
        FROM generate_series(1, 40) AS i`);
      await pool.query(`UPDATE jobs SET status = 'running', node_id = 'n', attempt = 1, started_at = 100 WHERE seq <= 12`);
      await pool.query(`UPDATE jobs SET status = 'paused', suspended = true WHERE seq <= 3`);
      await pool.query(`UPDATE jobs SET status = 'completed', started_at = 100, completed_at = 2100 WHERE seq BETWEEN 13 AND 20`);
      await pool.query(`UPDATE jobs SET status = 'queued', waiting_reason = 'cpu: 2 of 2 slots busy' WHERE seq BETWEEN 21 AND 25`);
      await pool.query(`UPDATE jobs SET status = 'paused' WHERE seq = 26`);
      await pool.end();

      const store = await PostgresJobStore.open({ url }); // migrates to the latest schema
      const counts = await store.countJobs();
      // the three paused + suspended jobs are now suspended; the paused one that never ran stays paused
      expect(counts.byStatus).toMatchObject({ running: 9, suspended: 3, paused: 1, completed: 8, queued: 5, pending: 14 });
      expect((await store.listJobs({ status: 'suspended' }, 0, 100)).rows.map((j) => j.seq).sort()).toEqual([1, 2, 3]);
      expect(counts.vramReservedMb).toBe(0);
      expect(counts.runningByCategory).toEqual({ cpu: 5, gpu_encode: 4, gpu_ai: 0 });
      expect(counts.averageProcessingSeconds).toBeCloseTo(2, 5);
      // and they stay exact as the upgraded store changes those jobs
      const running = (await store.listJobs({ status: 'running' }, 0, 100)).rows;
      await store.recordReports({ logs: [], progress: new Map(), outcomes: running.slice(0, 2).map((j) => ({ kind: 'completed' as const, jobId: j.id, attempt: j.attempt, at: 5_000, logLine: 'done' })) });
      await store.compactCounts();
      expect((await store.countJobs()).byStatus).toMatchObject({ running: 7, suspended: 3, paused: 1, completed: 10, queued: 5, pending: 14 });
      expect((await store.listJobs({ status: 'paused' }, 0, 100)).total).toBe(1);
      // a suspended job's attempt still ends as it ends, and the counts follow
      const [first] = (await store.listJobs({ status: 'suspended' }, 0, 1)).rows;
      await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'interrupted', jobId: first!.id, attempt: first!.attempt, at: 6_000, logLine: 'Interrupted' }] });
      await store.compactCounts();
      expect((await store.countJobs()).byStatus).toMatchObject({ running: 7, suspended: 2, paused: 1, completed: 10, queued: 5, pending: 15 });
      await store.close();
    });

    it('sends array parameters that PostgreSQL reads back exactly (pgArray)', async () => {
      const client = new Client({ connectionString: await freshDatabase() });
      await client.connect();
      try {
        const texts = ['', 'plain', 'a,b', '{braces}', 'say "hi"', 'back\\slash \\"', 'NULL', '  spaced  ', 'line\nbreak\ttab', 'ünïcødé ✓'];
        const numbers = [0, 1, -7, 2 ** 40, Date.now()];
        const { rows } = await client.query('SELECT $1::text[] AS texts, $2::bigint[]::text[] AS numbers, cardinality($3::text[]) AS empty', [pgArray(texts), pgArray(numbers), pgArray([])]);
        expect(rows[0].texts).toEqual(texts);
        expect(rows[0].numbers).toEqual(numbers.map(String));
        expect(rows[0].empty).toBe(0);
      } finally {
        await client.end();
      }
    });

    it('rescues only the given node: the other nodes are alive', async () => {
      const store = await PostgresJobStore.open({ url: await freshDatabase() });
      await store.insertJobs(Array.from({ length: 4 }, () => newJob()));
      const limits = capacityOf({ limits: { cpu: 2, gpu_encode: 1, gpu_ai: 1 } });
      const dead = (await store.claimJobs(claimRequest('dead', 2_000, limits))).started;
      const alive = (await store.claimJobs(claimRequest('alive', 2_000, limits))).started;
      const rescued = await store.rescueJobs('dead', 3_000, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
      expect(rescued.map((j) => j.id).sort()).toEqual(dead.map((j) => j.id).sort());
      for (const job of alive) expect(await store.getJob(job.id)).toMatchObject({ status: 'running', nodeId: 'alive' });
      await store.close();
    });

    it('stores text with NUL characters (PostgreSQL refuses them) without failing the report', async () => {
      const store = await PostgresJobStore.open({ url: await freshDatabase() });
      const [job] = await store.insertJobs([newJob({ params: { note: 'a\u0000b' } })]);
      await store.appendLogs([{ jobId: job!.id, at: 2_000, text: 'bin\u0000ary' }]);
      expect((await store.readLog(job!.id, 0, 10)).lines.map((l) => l.text)).toEqual(['binary']);
      expect((await store.getJob(job!.id))?.params).toEqual({ note: 'a\u0000b' });
      await store.close();
    });
  });

  describe('several nodes on one database', () => {
    const LIMITS = { cpu: 3, gpu_encode: 2, gpu_ai: 1 };
    const BUDGET = 6000;
    const TYPE_OF: Record<ResourceCategory, 'validate' | 'reencode_streaming' | 'scene_extract'> = { cpu: 'validate', gpu_encode: 'reencode_streaming', gpu_ai: 'scene_extract' };

    it('never hands a job to two nodes and keeps every node within its limits, even with two dispatchers of one node', async () => {
      const url = await freshDatabase();
      // a and a2 are two dispatchers of the same node id: only the per-node lock keeps them within node a's limits
      const nodes: { nodeId: string; stores: PostgresStores }[] = [];
      for (const nodeId of ['a', 'a', 'b', 'c']) nodes.push({ nodeId, stores: await openPostgresStores(url, { maxConnections: 3 }) });
      const store = nodes[0]!.stores.jobs;
      const jobs = await store.insertJobs(
        Array.from({ length: 240 }, (_, i) => {
          const category = RESOURCE_CATEGORIES[i % 3]!;
          return newJob({ type: TYPE_OF[category], resourceCategory: category, vramRequired: category === 'cpu' ? 0 : 2000, priority: 1 + (i % 4) });
        }),
      );
      const capacity = capacityOf({ limits: LIMITS, vramBudgetMb: BUDGET });
      const running = new Map<string, { job: JobRecord; by: number }>(); // job id → its attempt and the dispatcher (index in nodes) running it
      const starts = new Map<string, number>();
      const toReport = nodes.map((): AttemptOutcome[] => []); // outcomes each dispatcher reports with its next claim
      let now = 10_000;
      for (let round = 0; round < 400 && !(starts.size === jobs.length && running.size === 0); round++) {
        now += 100;
        const results = await Promise.all(
          nodes.map((n, i) => {
            const outcomes = toReport[i]!.splice(0);
            return n.stores.jobs.claimJobs({ ...claimRequest(n.nodeId, now, capacity), reports: { logs: [], progress: new Map(), outcomes } });
          }),
        );
        results.forEach((result, i) => {
          for (const job of result.reported) running.delete(job.id);
          for (const job of result.started) {
            expect(running.has(job.id), `job ${job.id} handed out while its attempt runs`).toBe(false);
            expect(job.nodeId).toBe(nodes[i]!.nodeId);
            running.set(job.id, { job, by: i });
            starts.set(job.id, (starts.get(job.id) ?? 0) + 1);
          }
        });
        const active = (await store.listJobs({ status: 'running' }, 0, 1000)).rows;
        expect(active.length).toBe(running.size);
        for (const nodeId of ['a', 'b', 'c']) {
          const mine = active.filter((j) => j.nodeId === nodeId);
          for (const cat of RESOURCE_CATEGORIES) expect(mine.filter((j) => j.resourceCategory === cat).length, `${nodeId} ${cat}`).toBeLessThanOrEqual(LIMITS[cat]);
          expect(mine.reduce((sum, j) => sum + j.vramReserved, 0)).toBeLessThanOrEqual(BUDGET);
        }
        // each runner finishes about half of what it runs; the outcome rides on its dispatcher's next claim
        for (const { job, by } of running.values()) {
          if ((job.seq + round) % 2 === 0) toReport[by]!.push({ kind: 'completed', jobId: job.id, attempt: job.attempt, at: now, logLine: 'done' });
        }
      }
      expect(starts.size).toBe(jobs.length);
      expect([...starts.values()].every((n) => n === 1)).toBe(true);
      const counts = await store.countJobs();
      expect(counts.byStatus.completed).toBe(jobs.length);
      expect(new Set((await store.listJobs({}, 0, 1000)).rows.map((j) => j.nodeId))).toEqual(new Set(['a', 'b', 'c']));
      await Promise.all(nodes.map((n) => n.stores.close()));
    });
  });
});
