/**
 * queue.peer.plainjob.throughput: the same 20,000 no-op jobs through plainjob (better-sqlite3
 * driver) with the same durability (WAL + synchronous=FULL, set after defineQueue, which itself
 * sets synchronous=NORMAL). Jobs are added in bulk with addMany (not timed); the clock runs from
 * worker.start() to the 20,000th onCompleted callback, which plainjob calls after markJobAsDone.
 * plainjob has no concurrency option: a worker processes one job at a time (claim transaction,
 * then a done update), so one worker is used, as its README does in a single process.
 */
import Database from 'better-sqlite3';
import { better, defineQueue, defineWorker, JobStatus, type Logger } from 'plainjob';
import type { Metric } from './report';
import { progress, tempDir } from './support';

const TIMEOUT_MS = 150_000;

export async function benchPlainjob(jobs: number): Promise<{ jobsPerSecond: number; metrics: Metric[] }> {
  const tmp = tempDir('plainjob');
  const errors: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (message) => void errors.push(message) };
  try {
    const db = new Database(tmp.dbFile);
    const queue = defineQueue({ connection: better(db), logger });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      const sync = db.pragma('synchronous', { simple: true }) as number;
      const journal = db.pragma('journal_mode', { simple: true }) as string;
      if (sync !== 2 || journal !== 'wal') throw new Error(`plainjob: pragmas not applied (synchronous=${sync}, journal_mode=${journal})`);

      progress(`plainjob: adding ${jobs} jobs (not timed)`);
      queue.addMany('bench', Array.from({ length: jobs }, (_, i) => ({ i })));

      let done = 0;
      let finish: (at: number) => void = () => {};
      const finished = new Promise<number>((resolve) => (finish = resolve));
      const worker = defineWorker('bench', async () => {}, {
        queue,
        logger,
        pollIntervall: 10,
        onCompleted: () => {
          done += 1;
          if (done === jobs) finish(performance.now());
        },
        onFailed: (_job, error) => void errors.push(error),
      });

      progress('plainjob: processing (1 worker; plainjob has no concurrency option)');
      const t0 = performance.now();
      const running = worker.start().catch((error: unknown) => void errors.push(String(error)));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`plainjob: only ${done} of ${jobs} done after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      });
      let endedAt: number;
      try {
        endedAt = await Promise.race([finished, timeout]);
      } finally {
        clearTimeout(timer);
        await worker.stop();
        await running;
      }
      const elapsedMs = endedAt - t0;

      const doneInStore = queue.countJobs({ status: JobStatus.Done });
      if (errors.length > 0) throw new Error(`plainjob: ${errors.length} error(s); first: ${errors[0]}`);
      if (doneInStore !== jobs) throw new Error(`plainjob: ${doneInStore} jobs done in its store, expected ${jobs}`);
      const jobsPerSecond = jobs / (elapsedMs / 1000);
      progress(`plainjob: ${jobs} jobs in ${elapsedMs.toFixed(0)} ms = ${jobsPerSecond.toFixed(0)} jobs/s`);
      return {
        jobsPerSecond,
        metrics: [
          {
            metric: 'queue.peer.plainjob.throughput',
            value: jobsPerSecond,
            unit: 'jobs/s',
            note: `plainjob 0.0.14, same ${jobs} no-op jobs, 1 worker (no concurrency option), WAL + synchronous=FULL; bulk add not timed`,
          },
        ],
      };
    } finally {
      queue.close();
    }
  } finally {
    tmp.cleanup();
  }
}
