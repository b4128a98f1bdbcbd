import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newJob } from '../conformance/job-store-conformance';
import { SqliteJobStore } from './sqlite-job-store';

const dir = mkdtempSync(join(tmpdir(), 'mjc-bulk-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite bulk insert', () => {
  it('inserts a batch spanning several statements in order, returning each job exactly as stored', async () => {
    const store = new SqliteJobStore({ file: join(dir, `bulk-${++n}.db`) });
    try {
      await store.insertJobs([newJob()]);
      const input = Array.from({ length: 150 }, (_, i) =>
        newJob({ type: i % 3 === 0 ? 'reencode_streaming' : 'validate', priority: 1 + (i % 10), createdAt: 5_000 + i, createdBy: i % 2 ? 'ci' : null, params: { videoId: `v${i}`, nested: { i } } }),
      );
      const jobs = await store.insertJobs(input);
      expect(jobs.map((j) => j.id)).toEqual(input.map((j) => j.id));
      expect(jobs.map((j) => j.seq)).toEqual(input.map((_, i) => jobs[0]!.seq + i));
      expect(jobs[0]!.seq).toBe(2);
      for (const job of jobs) expect(await store.getJob(job.id)).toEqual(job);
      const counts = await store.countJobs();
      expect(counts.byStatus.pending).toBe(151);
      expect(await store.insertJobs([])).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('inserts nothing when a job of the batch is refused (one transaction)', async () => {
    const store = new SqliteJobStore({ file: join(dir, `bulk-${++n}.db`) });
    try {
      const [existing] = await store.insertJobs([newJob()]);
      const batch = [...Array.from({ length: 100 }, () => newJob()), newJob({ id: existing!.id })];
      await expect(store.insertJobs(batch)).rejects.toThrow(/UNIQUE/);
      expect((await store.countJobs()).byStatus.pending).toBe(1);
      expect((await store.listJobs({}, 0, 10)).total).toBe(1);
    } finally {
      await store.close();
    }
  });
});
