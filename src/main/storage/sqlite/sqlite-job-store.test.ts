import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeJobStoreConformance, newJob } from '../conformance/job-store-conformance';
import { describeLifecycleConformance } from '../conformance/lifecycle-conformance';
import { describeClaimConformance } from '../conformance/claim-conformance';
import { describeQueueFlagsConformance } from '../conformance/queue-flags-conformance';
import { describeGpuPlacementConformance } from '../conformance/gpu-placement-conformance';
import { SqliteJobStore } from './sqlite-job-store';

const dir = mkdtempSync(join(tmpdir(), 'mjc-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sqliteStore = async (options: { logBounds?: { headLines: number; tailLines: number } }) => new SqliteJobStore({ file: join(dir, `store-${++n}.db`), ...options });
describeJobStoreConformance('SQLite', sqliteStore);
describeLifecycleConformance('SQLite', sqliteStore);
describeClaimConformance('SQLite', sqliteStore);
describeQueueFlagsConformance('SQLite', sqliteStore);
describeGpuPlacementConformance('SQLite', sqliteStore);

describe('SQLite store specifics', () => {
  it('keeps every committed job across a reopen of the file', async () => {
    const file = join(dir, 'reopen.db');
    const first = new SqliteJobStore({ file });
    const jobs = await first.insertJobs([newJob(), newJob()]);
    await first.close();
    const second = new SqliteJobStore({ file });
    expect((await second.listJobs({}, 0, 10)).rows.map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
    expect((await second.countJobs()).byStatus.pending).toBe(2);
    await second.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const file = join(dir, 'newer.db');
    const store = new SqliteJobStore({ file });
    await store.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)').run();
    db.close();
    expect(() => new SqliteJobStore({ file })).toThrow(/newer version/);
  });
});

describe('SQLite store: one runtime per data folder', () => {
  it('refuses a second store on the same file while the first is open, and allows it after close', async () => {
    const file = join(dir, 'locked.db');
    const first = new SqliteJobStore({ file });
    expect(() => new SqliteJobStore({ file })).toThrow(/Another process is using .*locked\.db/);
    await first.close();
    const second = new SqliteJobStore({ file });
    expect(() => new SqliteJobStore({ file })).toThrow(/Another process is using/);
    await second.close();
  });
});
