/**
 * queue.enqueue.bulk: 100,000 jobs inserted through store.insertJobs in batches of 1,000 (one
 * durable transaction per batch). Only the insertJobs calls are timed, not building the jobs.
 * The jobs carry ids from the runtime's own generator (newJobId: time-ordered UUIDv7, as
 * runtime/create-job.ts, pipeline steps and segment children make them).
 *
 * queue.peer.plainjob.enqueue: the same number of jobs added to plainjob with addMany, 1,000 per
 * call (one transaction each), same durability (WAL + synchronous=FULL, set after defineQueue);
 * only the addMany calls are timed. Same run.
 *
 * Diagnostic on stderr and in the note: the same insert with random v4 UUID ids (what the runtime
 * made before), to show what random ids cost in the UNIQUE index on `id`.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { better, defineQueue, type Logger } from 'plainjob';
import { SqliteJobStore } from '../src/main/storage/sqlite/sqlite-job-store';
import { newJobId } from '../src/shared/domain/job-ids';
import type { NewJob } from '../src/main/core/ports';
import { atLeast, type Metric } from './report';
import { benchJob, progress, tempDir } from './support';

export const BULK_JOBS = 100_000;
export const BULK_BATCH = 1000;

/** What each inserted row costs besides its table row, read from the schema: indexes on jobs (partial ones) and insert triggers. */
interface RowWork {
  readonly indexes: number;
  readonly partial: number;
  readonly triggers: number;
}

async function insertAll(batches: readonly NewJob[][]): Promise<{ rate: number; work: RowWork }> {
  const tmp = tempDir('enqueue');
  try {
    const store = new SqliteJobStore({ file: tmp.dbFile });
    try {
      let insertedMs = 0;
      let inserted = 0;
      for (const b of batches) {
        const t0 = performance.now();
        inserted += (await store.insertJobs(b)).length;
        insertedMs += performance.now() - t0;
      }
      const jobs = batches.reduce((n, b) => n + b.length, 0);
      if (inserted !== jobs) throw new Error(`enqueue: inserted ${inserted}, expected ${jobs}`);
      const counts = await store.countJobs();
      if (counts.byStatus.pending !== jobs) throw new Error(`enqueue: store counts ${counts.byStatus.pending} pending, expected ${jobs}`);
      const work = store['db']
        .prepare(
          `SELECT sum(type = 'index' AND sql IS NOT NULL) AS indexes, sum(type = 'index' AND sql LIKE '% WHERE %') AS partial,
             sum(type = 'trigger' AND sql LIKE '%AFTER INSERT ON jobs%') AS triggers FROM sqlite_master WHERE tbl_name = 'jobs'`,
        )
        .get() as RowWork;
      return { rate: jobs / (insertedMs / 1000), work };
    } finally {
      await store.close();
    }
  } finally {
    tmp.cleanup();
  }
}

function plainjobEnqueue(jobs: number, batch: number): number {
  const tmp = tempDir('plainjob-enqueue');
  const logger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
  try {
    const db = new Database(tmp.dbFile);
    const queue = defineQueue({ connection: better(db), logger });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      const sync = db.pragma('synchronous', { simple: true }) as number;
      if (sync !== 2) throw new Error(`plainjob: synchronous=${sync}, expected FULL`);
      const batches = Array.from({ length: Math.ceil(jobs / batch) }, (_, i) =>
        Array.from({ length: Math.min(batch, jobs - i * batch) }, () => ({ directoryType: 'videos', skipExisting: true })),
      );
      let ms = 0;
      for (const b of batches) {
        const t0 = performance.now();
        queue.addMany('bench', b);
        ms += performance.now() - t0;
      }
      const stored = queue.countJobs();
      if (stored !== jobs) throw new Error(`plainjob: ${stored} jobs stored, expected ${jobs}`);
      return jobs / (ms / 1000);
    } finally {
      queue.close();
    }
  } finally {
    tmp.cleanup();
  }
}

export async function benchEnqueueBulk(jobs = BULK_JOBS, batch = BULK_BATCH): Promise<Metric[]> {
  // ids made while the batches are built, as the runtime makes them when it creates the jobs
  const build = (id: () => string) => {
    const batches: NewJob[][] = [];
    for (let i = 0; i < jobs; i += batch) batches.push(Array.from({ length: Math.min(batch, jobs - i) }, () => benchJob('scan', { id: id() })));
    return batches;
  };
  progress(`enqueue: ${jobs} jobs through insertJobs in batches of ${batch} (ids: the runtime's newJobId, UUIDv7)`);
  const { rate: ours, work } = await insertAll(build(() => newJobId()));
  progress(`enqueue: ${ours.toFixed(0)} jobs/s`);
  progress(`enqueue: plainjob addMany, ${jobs} jobs, ${batch} per call`);
  const theirs = plainjobEnqueue(jobs, batch);
  progress(`enqueue: plainjob ${theirs.toFixed(0)} jobs/s`);
  const { rate: random } = await insertAll(build(() => randomUUID()));
  progress(`enqueue: diagnostic: with random v4 UUID ids the same insert runs at ${random.toFixed(0)} jobs/s`);
  return [
    {
      metric: 'queue.enqueue.bulk',
      value: ours,
      unit: 'jobs/s',
      target: atLeast(100_000),
      note:
        `${jobs} jobs via store.insertJobs, ${batch} per transaction, WAL + synchronous=FULL, ids from the runtime's own generator (newJobId: time-ordered UUIDv7); ` +
        `for comparison: the same insert with random v4 UUID ids (what the runtime made before) ran at ${random.toFixed(0)} jobs/s in this run (random ids scatter the UNIQUE index on id)`,
    },
    {
      metric: 'queue.peer.plainjob.enqueue',
      value: theirs,
      unit: 'jobs/s',
      note: `plainjob 0.0.14 addMany, ${jobs} jobs, ${batch} per call (one transaction each), WAL + synchronous=FULL; its table has an integer id and one index (ours: a UNIQUE index on the UUID id, ${work.indexes} more indexes, ${work.partial} of them partial, and ${work.triggers} insert trigger(s): the counts)`,
    },
  ];
}
