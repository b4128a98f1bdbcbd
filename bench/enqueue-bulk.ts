/**
 * queue.enqueue.bulk: 100,000 jobs inserted through store.insertJobs in batches of 1,000 (one
 * durable transaction per batch). Only the insertJobs calls are timed, not building the jobs.
 */
import { SqliteJobStore } from '../src/main/storage/sqlite/sqlite-job-store';
import type { NewJob } from '../src/main/core/ports';
import type { Metric } from './report';
import { benchJob, progress, tempDir } from './support';

export const BULK_JOBS = 100_000;
export const BULK_BATCH = 1000;

export async function benchEnqueueBulk(jobs = BULK_JOBS, batch = BULK_BATCH): Promise<Metric[]> {
  const tmp = tempDir('enqueue');
  try {
    const store = new SqliteJobStore({ file: tmp.dbFile });
    try {
      progress(`enqueue: ${jobs} jobs through insertJobs in batches of ${batch}`);
      const batches: NewJob[][] = [];
      for (let i = 0; i < jobs; i += batch) batches.push(Array.from({ length: Math.min(batch, jobs - i) }, () => benchJob('scan')));
      let insertedMs = 0;
      let inserted = 0;
      for (const b of batches) {
        const t0 = performance.now();
        inserted += (await store.insertJobs(b)).length;
        insertedMs += performance.now() - t0;
      }
      if (inserted !== jobs) throw new Error(`enqueue: inserted ${inserted}, expected ${jobs}`);
      const counts = await store.countJobs();
      if (counts.byStatus.pending !== jobs) throw new Error(`enqueue: store counts ${counts.byStatus.pending} pending, expected ${jobs}`);
      const jobsPerSecond = jobs / (insertedMs / 1000);
      progress(`enqueue: ${jobs} jobs in ${insertedMs.toFixed(0)} ms = ${jobsPerSecond.toFixed(0)} jobs/s`);
      return [
        {
          metric: 'queue.enqueue.bulk',
          value: jobsPerSecond,
          unit: 'jobs/s',
          note: `${jobs} jobs via store.insertJobs, ${batch} per transaction, WAL + synchronous=FULL`,
        },
      ];
    } finally {
      await store.close();
    }
  } finally {
    tmp.cleanup();
  }
}
