/**
 * The peers of the fleet benchmark (issue #7): the same no-op workload as ours through
 * graphile-worker and pg-boss, each on its own fresh database of the bench's PostgreSQL server.
 *
 * For each: the schema is installed and N no-op jobs are added in bulk first (not timed); then the
 * clock runs from starting the library's worker (its own client start-up included, as ours includes
 * `runtime.start()`) until the library's own tables say all N are done, read with plain SQL on a
 * separate connection (see waitForStore). The final state is then checked in the database (graphile-worker
 * deletes a job when it completes, so no row may be left; pg-boss keeps it with state `completed`, so
 * N rows `completed` and none in any other state), and the handler must have run exactly N times with
 * no failure event or error logged.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { Logger as GraphileLogger, makeWorkerUtils, run as runGraphileWorker, type Runner } from 'graphile-worker';
import { PgBoss } from 'pg-boss';
import { Client } from 'pg';
import type { Metric } from './report';
import { progress, sleep } from './support';

export interface PeerResult {
  readonly jobsPerSecond: number;
  readonly metrics: Metric[];
}

/** How often the in-process handler count is looked at (no query). */
const GATE_POLL_MS = 5;
/** How often the store is asked once the handler has seen every job. */
const TAIL_POLL_MS = 2;
const TIMEOUT_MS = 120_000;
const INSERT_CHUNK = 1_000;

/** The installed version, for the notes (graphile-worker's `exports` hides its package.json: found from its main file). */
function installedVersion(pkg: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(pkg));
  while (!dir.endsWith(`${sep}node_modules${sep}${pkg}`) && dirname(dir) !== dir) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
export const GRAPHILE_WORKER_VERSION = installedVersion('graphile-worker');
export const PG_BOSS_VERSION = installedVersion('pg-boss');

/**
 * The end of the clock. While the handler has seen fewer than N jobs the store is not queried (a
 * count every few ms would load the shared server during the run: on pg-boss's 20,000 kept rows one
 * costs ~6 ms); from then on `query` (one row, one integer column `n`) is read every TAIL_POLL_MS on
 * its own connection until it returns `expected`, and the clock stops at that answer. So the time
 * still ends when the library's own table says all N are done (a completion the library batches or
 * defers is waited for), and the only measurement error is one query's latency.
 */
async function waitForStore(
  what: string,
  seen: () => boolean,
  client: Client,
  query: string,
  params: unknown[],
  expected: number,
  check: () => void,
): Promise<number> {
  const t0 = performance.now();
  const timedOut = (state: string) => {
    if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`${what}: ${state} after ${TIMEOUT_MS} ms`);
  };
  while (!seen()) {
    check();
    timedOut('the handler has not seen every job');
    await sleep(GATE_POLL_MS);
  }
  for (;;) {
    const { rows } = await client.query<{ n: number }>(query, params);
    if (rows[0]!.n === expected) return performance.now();
    check();
    timedOut(`the store still says ${rows[0]!.n} (waiting for ${expected})`);
    await sleep(TAIL_POLL_MS);
  }
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const firstErrors = (what: string, errors: readonly string[]): void => {
  if (errors.length > 0) throw new Error(`${what}: ${errors.length} error(s); first: ${errors[0]}`);
};

// ---------------------------------------------------------------------------------------------
// graphile-worker

/**
 * graphile-worker's local queue as its performance page uses it (worker.graphile.org/docs/performance):
 * one fetch locks up to this many jobs ahead of the running ones. Measured for the record only
 * (fleet.peer.graphile_worker_local_queue.throughput): with it a worker of concurrency 50 holds up to
 * 550 jobs, which the other contenders are not allowed to (see benchGraphileWorker).
 */
export const GRAPHILE_LOCAL_QUEUE_SIZE = 500;

export interface GraphileOptions {
  /** graphile-worker's localQueue.size; 0 (the default): no local queue, each job fetched by the worker that runs it. */
  readonly localQueueSize?: number;
}

/**
 * graphile-worker: `makeWorkerUtils` → `migrate()` → `addJobs` in chunks of 1,000 (not timed); then
 * `run()` with `concurrency`, `noHandleSignals`, LISTEN/NOTIFY (always on in graphile-worker) and
 * batched completions (completeJobBatchDelay 0, failJobBatchDelay 0). A completed job is deleted from
 * `graphile_worker._private_jobs`: the clock stops when that table is empty.
 *
 * Without a local queue (the default, and what the ratio uses) each of its `concurrency` workers
 * fetches the job it runs, so it claims at most `concurrency` jobs at a time, like pg-boss (1 ×
 * batchSize `concurrency`) and our node (cpu limit `concurrency`, a capacity it never claims past).
 * `localQueueSize` > 0 lets one fetch lock that many more jobs ahead of its workers: faster on
 * no-op jobs, but a node of a fleet holding jobs it cannot run yet is what a resource-aware queue
 * must not do, so it is reported beside the ratio, not in it.
 */
export async function benchGraphileWorker(url: string, jobs: number, concurrency: number, options: GraphileOptions = {}): Promise<PeerResult> {
  const localQueueSize = options.localQueueSize ?? 0;
  const what = localQueueSize > 0 ? `graphile-worker (localQueue ${localQueueSize})` : 'graphile-worker';
  const errors: string[] = [];
  const logger = new GraphileLogger(() => (level, message) => {
    if (level === 'error') errors.push(message);
  });
  const maxPoolSize = Math.max(10, concurrency + 2); // its option docs: "10 or concurrentJobs + 2, whichever is larger"
  const pollInterval = 1000;

  progress(`${what} ${GRAPHILE_WORKER_VERSION}: installing its schema and adding ${jobs} jobs (not timed)`);
  const utils = await makeWorkerUtils({ connectionString: url, logger });
  try {
    await utils.migrate();
    for (let i = 0; i < jobs; i += INSERT_CHUNK) {
      await utils.addJobs(Array.from({ length: Math.min(INSERT_CHUNK, jobs - i) }, (_, k) => ({ identifier: 'noop', payload: { i: i + k } })));
    }
  } finally {
    await utils.release();
  }

  return withClient(url, async (db) => {
    const countSql = 'SELECT count(*)::int AS n FROM graphile_worker._private_jobs';
    const before = (await db.query<{ n: number }>(countSql)).rows[0]!.n;
    if (before !== jobs) throw new Error(`${what}: ${before} jobs in its table after adding ${jobs}`);

    let ran = 0;
    const half = Math.ceil(jobs / 2);
    let halfAt = 0;
    let failedEvents = 0;
    progress(`${what}: processing (concurrency ${concurrency}, maxPoolSize ${maxPoolSize}, ${localQueueSize > 0 ? `localQueue.size ${localQueueSize}` : 'no local queue'}, completeJobBatchDelay 0)`);
    const t0 = performance.now();
    const runner: Runner = await runGraphileWorker({
      connectionString: url,
      concurrency,
      maxPoolSize,
      pollInterval,
      noHandleSignals: true,
      logger,
      taskList: {
        noop: async () => {
          ran += 1;
          if (ran === half) halfAt = performance.now();
        },
      },
      preset: { worker: { ...(localQueueSize > 0 ? { localQueue: { size: localQueueSize } } : {}), completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    runner.events.on('job:error', ({ error }) => void errors.push(`job:error ${String(error)}`));
    runner.events.on('job:failed', () => void (failedEvents += 1));
    let endedAt: number;
    try {
      endedAt = await waitForStore(what, () => ran >= jobs, db, countSql, [], 0, () => firstErrors(what, errors));
    } finally {
      await runner.stop();
    }
    const elapsedMs = endedAt - t0;

    const left = (await db.query<{ n: number }>(countSql)).rows[0]!.n;
    firstErrors(what, errors);
    if (failedEvents > 0) throw new Error(`${what}: ${failedEvents} job:failed event(s)`);
    if (left !== 0) throw new Error(`${what}: ${left} jobs left in its table after the run`);
    if (ran !== jobs) throw new Error(`${what}: the task ran ${ran} times for ${jobs} jobs`);
    const jobsPerSecond = jobs / (elapsedMs / 1000);
    progress(`${what}: ${jobs} jobs in ${elapsedMs.toFixed(0)} ms = ${jobsPerSecond.toFixed(0)} jobs/s (the first half run by ${(halfAt - t0).toFixed(0)} ms)`);
    return {
      jobsPerSecond,
      metrics: [
        {
          metric: localQueueSize > 0 ? 'fleet.peer.graphile_worker_local_queue.throughput' : 'fleet.peer.graphile_worker.throughput',
          value: jobsPerSecond,
          unit: 'jobs/s',
          note:
            `graphile-worker ${GRAPHILE_WORKER_VERSION}, ${jobs} no-op jobs added with addJobs (not timed), one run() with concurrency ${concurrency}, ` +
            `maxPoolSize ${maxPoolSize}, noHandleSignals, LISTEN/NOTIFY, pollInterval ${pollInterval} ms, ` +
            (localQueueSize > 0
              ? `localQueue.size ${localQueueSize} (one fetch locks up to ${localQueueSize} jobs ahead of the ${concurrency} running: not the ratio's workload), `
              : `no local queue (each worker fetches the job it runs: at most ${concurrency} claimed at a time, like the other contenders), `) +
            `batched completions (completeJobBatchDelay 0, failJobBatchDelay 0); clock from run() (its start-up included) ` +
            `until _private_jobs is empty (completion deletes the row; asked every ${TAIL_POLL_MS} ms once the task had run ${jobs} times); the task ran exactly ${jobs} times, no error or failure; 1-min load average ${loadavg()[0]!.toFixed(1)}`,
        },
      ],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// pg-boss

export interface PgBossWorkOptions {
  /** Workers `work()` starts (each fetches and runs its own batch). */
  readonly localConcurrency: number;
  /** Jobs one fetch claims; the handler gets them together and pg-boss completes them in one statement. */
  readonly batchSize: number;
}

/**
 * The split of `concurrency` jobs in flight used by default: one worker claiming `concurrency` jobs a
 * fetch. On the 2-core machine (5,000 and 20,000 jobs, concurrency 50) 1 × 50 was the fastest or
 * within noise of it (2 × 25 about the same), 5 × 10 was 30–50 % slower, 10 × 5 and 25 × 2 several
 * times slower; 50 × 1 does not finish in two minutes, because with batchSize 1 burstWhenBatchFull is ignored and
 * each worker waits its polling interval (default 2 s, at least 0.5 s) after every job.
 */
export function pgBossSplit(concurrency: number): PgBossWorkOptions {
  return { localConcurrency: 1, batchSize: concurrency };
}

/**
 * pg-boss: one instance runs `start()` (installs its schema), `createQueue` and `insert` in chunks of
 * 1,000, then stops (not timed). The clock starts when a second instance (`migrate: false`,
 * LISTEN/NOTIFY on) is started and `work()` is called with `localConcurrency` × `batchSize` =
 * `concurrency` jobs in flight at most and `burstWhenBatchFull` (without it a worker waits its polling
 * interval, at least 500 ms, between fetches). pg-boss keeps completed jobs (state `completed`): the
 * clock stops when `pgboss.job` counts N of them.
 */
export async function benchPgBoss(url: string, jobs: number, concurrency: number, split: PgBossWorkOptions = pgBossSplit(concurrency)): Promise<PeerResult> {
  const what = 'pg-boss';
  const queue = 'noop';
  const errors: string[] = [];
  const { localConcurrency, batchSize } = split;
  if (localConcurrency * batchSize > concurrency) throw new Error(`${what}: ${localConcurrency} × ${batchSize} jobs in flight exceeds concurrency ${concurrency}`);
  const max = Math.max(10, localConcurrency + 2); // pool: pg-boss's default 10 (or one connection per worker and two spare)

  progress(`${what} ${PG_BOSS_VERSION}: installing its schema and adding ${jobs} jobs (not timed)`);
  const setup = new PgBoss({ connectionString: url, supervise: false, schedule: false });
  setup.on('error', (error: Error) => void errors.push(String(error)));
  await setup.start();
  try {
    await setup.createQueue(queue, { notify: true });
    for (let i = 0; i < jobs; i += INSERT_CHUNK) {
      await setup.insert(queue, Array.from({ length: Math.min(INSERT_CHUNK, jobs - i) }, (_, k) => ({ data: { i: i + k } })));
    }
  } finally {
    await setup.stop({ graceful: true });
  }

  return withClient(url, async (db) => {
    const stateSql = 'SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state ORDER BY state';
    const states = async () => Object.fromEntries((await db.query<{ state: string; n: number }>(stateSql, [queue])).rows.map((r) => [r.state, r.n]));
    const before = await states();
    if (before.created !== jobs || Object.keys(before).length !== 1) throw new Error(`${what}: ${JSON.stringify(before)} after adding ${jobs} jobs`);

    let ran = 0;
    const half = Math.ceil(jobs / 2);
    let halfAt = 0;
    const boss = new PgBoss({ connectionString: url, migrate: false, useListenNotify: true, max });
    boss.on('error', (error: Error) => void errors.push(String(error)));
    progress(`${what}: processing (localConcurrency ${localConcurrency} × batchSize ${batchSize}, pool max ${max})`);
    const t0 = performance.now();
    await boss.start();
    let endedAt: number;
    try {
      await boss.work(queue, { localConcurrency, batchSize, burstWhenBatchFull: true }, async (batch) => {
        ran += batch.length;
        if (halfAt === 0 && ran >= half) halfAt = performance.now();
      });
      endedAt = await waitForStore(
        what,
        () => ran >= jobs,
        db,
        "SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'completed'",
        [queue],
        jobs,
        () => firstErrors(what, errors),
      );
    } finally {
      await boss.stop({ graceful: true, close: true });
    }
    const elapsedMs = endedAt - t0;

    const after = await states();
    firstErrors(what, errors);
    if (after.completed !== jobs || Object.keys(after).length !== 1) throw new Error(`${what}: final states ${JSON.stringify(after)}, expected ${jobs} completed`);
    if (ran !== jobs) throw new Error(`${what}: the handler got ${ran} jobs for ${jobs}`);
    const jobsPerSecond = jobs / (elapsedMs / 1000);
    progress(`${what}: ${jobs} jobs in ${elapsedMs.toFixed(0)} ms = ${jobsPerSecond.toFixed(0)} jobs/s (the first half run by ${(halfAt - t0).toFixed(0)} ms)`);
    return {
      jobsPerSecond,
      metrics: [
        {
          metric: 'fleet.peer.pg_boss.throughput',
          value: jobsPerSecond,
          unit: 'jobs/s',
          note:
            `pg-boss ${PG_BOSS_VERSION}, ${jobs} no-op jobs added with insert() (not timed), queue notify on, one instance (useListenNotify, pool max ${max}) ` +
            `with work() localConcurrency ${localConcurrency} × batchSize ${batchSize} (= at most ${localConcurrency * batchSize} jobs in flight for concurrency ${concurrency}), ` +
            `burstWhenBatchFull, other options default; clock from start() (its start-up included) until pgboss.job counts ${jobs} completed ` +
            `(asked every ${TAIL_POLL_MS} ms once the handler had got ${jobs} jobs); then exactly ${jobs} rows, all completed, and the handler got each job once, no error; 1-min load average ${loadavg()[0]!.toFixed(1)}`,
        },
      ],
    };
  });
}
