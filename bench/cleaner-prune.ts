/**
 * cleaner.prune.*: retention at scale on SQLite. A store of 1,000,000 jobs, 900,000 of them
 * completed long ago (past the 30-day window), is pruned by the real cleaner (JobCleaner.runOnce
 * with DEFAULT_CLEANER_CONFIG: 30/90 days, batches of 250, 20 ms between batches) while a claim
 * loop keeps claiming and completing jobs every 10 ms. The claim latency is measured from the
 * moment the claim was due to its answer, so a batch holding the event loop or the database shows
 * up in full. The store must end with exactly the retained set.
 *
 * The store, in seq (= creation) order, `now` being the bench's clock:
 *   - walked region, created 400 → 31 days ago (930,000 jobs, mixed in seq order):
 *       900,000 completed 5 s after creation: expired, deleted;
 *        20,000 failed, ended 60 days ago (or 5 s after creation if later): kept (failed: 90 days);
 *        10,000 completed 10 days ago (waited long): kept;
 *   - recent, created within 30 days: 40,000 completed, 5,000 failed, 5,000 cancelled: kept;
 *   - newest: 20,000 pending `validate` jobs (cpu) for the claim loop.
 * Each job but the pending has 3 log lines. Built with plain INSERTs on the store's own connection
 * (the count triggers fill job_buckets), 50,000 jobs a transaction; not timed.
 *
 * Checked afterwards: the cleaner deleted exactly 900,000; 100,000 rows remain, by status exactly
 * as built plus what the claim loop completed; countJobs equals a recount of the rows by status;
 * no expired job, no log line of a deleted job, no negative bucket.
 *
 *   npx tsx bench/cleaner-prune.ts [jobs]     (default 1,000,000; the shares scale with it)
 */
import { randomUUID } from 'node:crypto';
import { claimRequest, capacityOf, newJob } from '../src/main/storage/conformance/job-store-conformance';
import { openSqliteStores } from '../src/main/storage/sqlite/open-sqlite-stores';
import { DEFAULT_CLEANER_CONFIG, JobCleaner } from '../src/main/runtime/cleaner';
import type { JobStore } from '../src/main/core/ports';
import { atMost, type Metric } from './report';
import { percentile, progress, sleep, tempDir } from './support';

const DAY = 86_400_000;
export const CLEANER_JOBS = 1_000_000;
const CLAIM_EVERY_MS = 10;
const BASELINE_MS = 3_000;
const BUILD_CHUNK = 50_000;

interface Plan {
  readonly expired: number;
  readonly oldFailed: number;
  readonly lateCompleted: number;
  readonly recentCompleted: number;
  readonly recentFailed: number;
  readonly recentCancelled: number;
  readonly pending: number;
}

/** The shares of the store for `total` jobs (exactly the figures above at 1,000,000). */
export function cleanerPlan(total: number): Plan {
  const k = total / 1_000_000;
  const oldFailed = Math.round(20_000 * k);
  const lateCompleted = Math.round(10_000 * k);
  const recentCompleted = Math.round(40_000 * k);
  const recentFailed = Math.round(5_000 * k);
  const recentCancelled = Math.round(5_000 * k);
  const pending = Math.round(20_000 * k);
  const expired = total - oldFailed - lateCompleted - recentCompleted - recentFailed - recentCancelled - pending;
  return { expired, oldFailed, lateCompleted, recentCompleted, recentFailed, recentCancelled, pending };
}

interface LoopResult {
  readonly latencies: number[];
  readonly completed: number;
}

/** Claims every CLAIM_EVERY_MS until `running()` is false; completes what it starts at once. */
async function claimLoop(store: JobStore, now: number, running: () => boolean): Promise<LoopResult> {
  const capacity = capacityOf({ limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 } });
  const latencies: number[] = [];
  let completed = 0;
  let due = performance.now();
  while (running()) {
    due += CLAIM_EVERY_MS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const { started } = await store.claimJobs(claimRequest('bench', now, capacity));
    const answeredAt = performance.now();
    latencies.push(answeredAt - Math.min(due, answeredAt));
    if (started.length > 0) {
      await store.recordReports({
        logs: [],
        progress: new Map(),
        outcomes: started.map((job) => ({ kind: 'completed' as const, jobId: job.id, attempt: job.attempt, at: now, logLine: 'done' })),
      });
      completed += started.length;
    }
    if (performance.now() - due > CLAIM_EVERY_MS) due = performance.now(); // no burst of claims to catch up after a stall
  }
  return { latencies, completed };
}

export async function benchCleanerPrune(total = CLEANER_JOBS): Promise<Metric[]> {
  const tmp = tempDir('cleaner');
  const stores = openSqliteStores(tmp.dbFile);
  const store = stores.jobs;
  const db = store['db'];
  const now = Date.now();
  const plan = cleanerPlan(total);
  const walked = plan.expired + plan.oldFailed + plan.lateCompleted;
  try {
    // ---- the store (not timed)
    progress(`cleaner: building ${total} jobs (${plan.expired} expired completed, ${total - plan.expired} to keep), 3 log lines each (not timed)`);
    const t0 = performance.now();
    const insert = db.prepare(`INSERT INTO jobs (id, type, status, params, priority, resource_category, vram_required, max_retries, created_at, enqueued_at,
      started_at, completed_at, updated_at, attempt, log_lines, last_error, node_id) VALUES (?, 'validate', ?, '{}', 5, 'cpu', 0, 3, ?, ?, ?, ?, ?, 1, 3, ?, 'old-node')`);
    const log = db.prepare('INSERT INTO job_logs (job_seq, line, at, text) VALUES (?, ?, ?, ?)');
    const ended = (status: 'completed' | 'failed' | 'cancelled', createdAt: number, endedAt: number) => {
      const { lastInsertRowid } = insert.run(randomUUID(), status, createdAt, createdAt, createdAt + 1_000, endedAt, endedAt, status === 'failed' ? 'ffmpeg exited with code 1' : null);
      for (let line = 1; line <= 3; line++) log.run(lastInsertRowid, line, endedAt, `line ${line} of a finished job`);
    };
    // walked region: which of the `walked` slots is what, spread evenly in seq order
    const failedEvery = plan.oldFailed > 0 ? walked / plan.oldFailed : Infinity;
    const lateEvery = plan.lateCompleted > 0 ? walked / plan.lateCompleted : Infinity;
    const walkStart = now - 400 * DAY;
    const walkStep = (369 * DAY) / walked; // created 400 → 31 days ago
    let made = { expired: 0, oldFailed: 0, lateCompleted: 0 };
    for (let from = 0; from < walked; from += BUILD_CHUNK) {
      db.transaction(() => {
        for (let i = from; i < Math.min(walked, from + BUILD_CHUNK); i++) {
          const createdAt = Math.round(walkStart + i * walkStep);
          if (made.oldFailed < plan.oldFailed && i >= Math.floor(made.oldFailed * failedEvery + failedEvery / 2)) {
            ended('failed', createdAt, Math.max(createdAt + 5_000, now - 60 * DAY));
            made = { ...made, oldFailed: made.oldFailed + 1 };
          } else if (made.lateCompleted < plan.lateCompleted && i >= Math.floor(made.lateCompleted * lateEvery + lateEvery / 3)) {
            ended('completed', createdAt, now - 10 * DAY);
            made = { ...made, lateCompleted: made.lateCompleted + 1 };
          } else {
            ended('completed', createdAt, createdAt + 5_000);
            made = { ...made, expired: made.expired + 1 };
          }
        }
      })();
      if ((from / BUILD_CHUNK) % 4 === 3) progress(`cleaner: built ${from + BUILD_CHUNK} jobs (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    if (made.expired !== plan.expired || made.oldFailed !== plan.oldFailed || made.lateCompleted !== plan.lateCompleted) {
      throw new Error(`cleaner: built ${JSON.stringify(made)}, planned ${JSON.stringify(plan)}`);
    }
    db.transaction(() => {
      const recent = plan.recentCompleted + plan.recentFailed + plan.recentCancelled;
      for (let i = 0; i < recent; i++) {
        const createdAt = now - 29 * DAY + Math.round((i * 28 * DAY) / recent);
        const status = i < plan.recentCompleted ? 'completed' : i < plan.recentCompleted + plan.recentFailed ? 'failed' : 'cancelled';
        ended(status, createdAt, createdAt + 60_000);
      }
    })();
    for (let i = 0; i < plan.pending; i += 1000) {
      await store.insertJobs(Array.from({ length: Math.min(1000, plan.pending - i) }, () => newJob({ type: 'validate', createdAt: now - 60_000 })));
    }
    const before = await store.countJobs();
    progress(`cleaner: built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(before.byStatus)}`);

    // ---- claims alone first (the baseline), then claims while the cleaner prunes
    let phase: 'baseline' | 'prune' | 'done' = 'baseline';
    const baselineLoop = claimLoop(store, now, () => phase === 'baseline');
    await sleep(BASELINE_MS);
    phase = 'prune';
    const baseline = await baselineLoop;

    const cleaner = new JobCleaner(store, DEFAULT_CLEANER_CONFIG, { now: () => now });
    progress(`cleaner: pruning (batches of ${DEFAULT_CLEANER_CONFIG.batchSize}, ${DEFAULT_CLEANER_CONFIG.batchPauseMs} ms apart) while claims run every ${CLAIM_EVERY_MS} ms`);
    const during = claimLoop(store, now, () => phase === 'prune');
    const p0 = performance.now();
    const deleted = await cleaner.runOnce();
    const pruneSeconds = (performance.now() - p0) / 1000;
    phase = 'done';
    const loop = await during;

    // ---- the retained set, exactly
    const loopCompleted = baseline.completed + loop.completed;
    const counts = await store.countJobs();
    const rows = db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[];
    const recount = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
    const expected: Record<string, number> = {
      completed: plan.lateCompleted + plan.recentCompleted + loopCompleted,
      failed: plan.oldFailed + plan.recentFailed,
      cancelled: plan.recentCancelled,
      waiting: plan.pending - loopCompleted,
    };
    const got = {
      completed: recount.completed ?? 0,
      failed: recount.failed ?? 0,
      cancelled: recount.cancelled ?? 0,
      waiting: (recount.pending ?? 0) + (recount.queued ?? 0),
    };
    const totalRows = rows.reduce((sum, r) => sum + r.n, 0);
    const problems: string[] = [];
    if (deleted !== plan.expired) problems.push(`the cleaner deleted ${deleted}, expected ${plan.expired}`);
    if (totalRows !== total - plan.expired) problems.push(`${totalRows} rows left, expected ${total - plan.expired}`);
    for (const key of Object.keys(expected)) if (got[key as keyof typeof got] !== expected[key]) problems.push(`${key}: ${got[key as keyof typeof got]} rows, expected ${expected[key]}`);
    for (const r of rows) {
      const counted = counts.byStatus[r.status as keyof typeof counts.byStatus];
      if (counted !== r.n) problems.push(`countJobs says ${counted} ${r.status}, the rows say ${r.n}`);
    }
    const countedTotal = Object.values(counts.byStatus).reduce((a, b) => a + b, 0);
    if (countedTotal !== totalRows) problems.push(`countJobs totals ${countedTotal}, the rows ${totalRows}`);
    const cutoff = now - DEFAULT_CLEANER_CONFIG.completedDays * DAY;
    const expiredLeft = (db.prepare("SELECT count(*) AS n FROM jobs WHERE status IN ('completed', 'cancelled') AND completed_at < ?").get(cutoff) as { n: number }).n;
    if (expiredLeft !== 0) problems.push(`${expiredLeft} expired jobs left`);
    const orphanLogs = (db.prepare('SELECT count(*) AS n FROM job_logs WHERE job_seq NOT IN (SELECT seq FROM jobs)').get() as { n: number }).n;
    if (orphanLogs !== 0) problems.push(`${orphanLogs} log lines of deleted jobs left`);
    const negative = (db.prepare('SELECT count(*) AS n FROM job_buckets WHERE n < 0').get() as { n: number }).n;
    if (negative !== 0) problems.push(`${negative} negative bucket counts`);
    if (loop.completed === 0) problems.push('the claim loop completed no job during the prune');
    if (problems.length > 0) throw new Error(`cleaner: the store does not hold the retained set: ${problems.join('; ')}`);

    const p = (xs: number[], q: number) => percentile(xs, q);
    const claimP99 = p(loop.latencies, 99);
    progress(
      `cleaner: deleted ${deleted} in ${pruneSeconds.toFixed(1)} s (${(deleted / pruneSeconds).toFixed(0)} jobs/s); ` +
        `${loop.latencies.length} claims during it (${loop.completed} jobs completed): p50 ${p(loop.latencies, 50).toFixed(2)} ms, p99 ${claimP99.toFixed(2)} ms, max ${Math.max(...loop.latencies).toFixed(2)} ms; ` +
        `before it: ${baseline.latencies.length} claims, p50 ${p(baseline.latencies, 50).toFixed(2)} ms, p99 ${p(baseline.latencies, 99).toFixed(2)} ms`,
    );
    progress(`cleaner: after: ${JSON.stringify(counts.byStatus)} (exactly the retained set)`);
    const how = `${total} jobs, ${plan.expired} expired completed; JobCleaner.runOnce with the default config (30/90 days, batches of ${DEFAULT_CLEANER_CONFIG.batchSize}, ${DEFAULT_CLEANER_CONFIG.batchPauseMs} ms pause); WAL + synchronous=FULL`;
    return [
      {
        metric: 'cleaner.prune.claim_p99_ms',
        value: claimP99,
        unit: 'ms',
        target: atMost(20),
        note:
          `nearest-rank p99 of ${loop.latencies.length} claims (one every ${CLAIM_EVERY_MS} ms, cpu limit 1, each completing what it started: ${loop.completed} jobs) during the prune, ` +
          `from the moment each was due to its answer; p50 ${p(loop.latencies, 50).toFixed(2)} ms, max ${Math.max(...loop.latencies).toFixed(2)} ms; ` +
          `the same loop before the prune: p50 ${p(baseline.latencies, 50).toFixed(2)} ms, p99 ${p(baseline.latencies, 99).toFixed(2)} ms; ${how}`,
      },
      {
        metric: 'cleaner.prune.jobs_per_s',
        value: deleted / pruneSeconds,
        unit: 'jobs/s',
        note: `${deleted} jobs (and ${deleted * 3} log lines) deleted in ${pruneSeconds.toFixed(1)} s, pauses included; the store then held exactly the retained ${totalRows} jobs, counts equal to the rows; ${how}`,
      },
    ];
  } finally {
    await stores.close();
    tmp.cleanup();
  }
}

if (process.argv[1]?.endsWith('cleaner-prune.ts')) {
  const total = Number(process.argv[2] ?? CLEANER_JOBS);
  benchCleanerPrune(total).then(
    (metrics) => {
      for (const m of metrics) console.log(JSON.stringify(m));
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
