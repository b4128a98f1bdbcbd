/**
 * Retention at scale on SQLite: a store of N ended jobs (90% past their window, 3 log lines each)
 * plus waiting jobs; the cleaner prunes it while a claim loop starts and completes jobs every
 * 10 ms. Reports the prune's duration and rate, and the claim latency during it (from the claim's
 * scheduled time to its answer, so a batch holding the database shows up in full).
 *
 *   npx tsx bench/cleaner-prune.ts [jobs] [batch size] [pause ms]     (default 100000, the cleaner's defaults)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { claimRequest, capacityOf, newJob } from '../src/main/storage/conformance/job-store-conformance';
import { openSqliteStores } from '../src/main/storage/sqlite/open-sqlite-stores';
import { DEFAULT_CLEANER_CONFIG, JobCleaner } from '../src/main/runtime/cleaner';

const DAY = 86_400_000;

export interface CleanerBenchResult {
  readonly jobs: number;
  readonly pruned: number;
  readonly pruneSeconds: number;
  readonly claims: number;
  readonly claimP50Ms: number;
  readonly claimP99Ms: number;
  readonly claimMaxMs: number;
}

export async function benchCleanerPrune(total = 100_000, batch: { size?: number; pauseMs?: number } = {}): Promise<CleanerBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mjc-bench-clean-'));
  const stores = openSqliteStores(join(dir, 'db.sqlite'));
  const store = stores.jobs;
  const db = store['db'];
  const now = 200 * DAY;
  try {
    const insert = db.prepare(`INSERT INTO jobs (id, type, status, params, priority, resource_category, vram_required, max_retries, created_at, enqueued_at,
      started_at, completed_at, updated_at, log_lines) VALUES (?, 'validate', ?, '{}', 5, 'cpu', 0, 3, ?, ?, ?, ?, ?, 3)`);
    const log = db.prepare('INSERT INTO job_logs (job_seq, line, at, text) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < total; i++) {
        const old = i < total * 0.9;
        const ended = old ? 10 * DAY + i : now - DAY;
        const status = i % 10 === 0 ? 'failed' : i % 7 === 0 ? 'cancelled' : 'completed';
        const { lastInsertRowid } = insert.run(randomUUID(), status, ended - 5_000, ended - 5_000, ended - 4_000, ended, ended);
        for (let line = 1; line <= 3; line++) log.run(lastInsertRowid, line, ended, `line ${line} of a finished job`);
      }
    })();
    await store.insertJobs(Array.from({ length: 5_000 }, () => newJob({ createdAt: now })));
    const before = await store.countJobs();

    const cleaner = new JobCleaner(store, { ...DEFAULT_CLEANER_CONFIG, completedDays: 30, failedDays: 30, batchSize: batch.size ?? DEFAULT_CLEANER_CONFIG.batchSize, batchPauseMs: batch.pauseMs ?? DEFAULT_CLEANER_CONFIG.batchPauseMs }, { now: () => now });
    const latencies: number[] = [];
    let running = true;
    const capacity = capacityOf({ limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 } });
    const claimLoop = (async () => {
      let next = performance.now();
      while (running) {
        next += 10;
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const scheduled = next;
        const { started } = await store.claimJobs(claimRequest('bench', now, capacity));
        latencies.push(performance.now() - Math.min(scheduled, performance.now()));
        for (const job of started) {
          await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'completed', jobId: job.id, attempt: job.attempt, at: now, logLine: 'done' }] });
        }
        if (performance.now() - next > 10) next = performance.now(); // do not pile up claims behind a stall
      }
    })();
    const t0 = performance.now();
    const pruned = await cleaner.runOnce();
    const pruneSeconds = (performance.now() - t0) / 1000;
    running = false;
    await claimLoop;

    // counts exact after the prune
    const counts = await store.countJobs();
    const recount = db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[];
    for (const { status, n } of recount) if (counts.byStatus[status as keyof typeof counts.byStatus] !== n) throw new Error(`count of ${status}: ${counts.byStatus[status as keyof typeof counts.byStatus]} ≠ ${n} rows`);
    const logsLeft = (db.prepare('SELECT count(*) AS n FROM job_logs').get() as { n: number }).n;
    process.stderr.write(`before: ${JSON.stringify(before.byStatus)}\nafter:  ${JSON.stringify(counts.byStatus)}; log lines left ${logsLeft}\n`);

    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    return { jobs: total, pruned, pruneSeconds, claims: latencies.length, claimP50Ms: q(0.5), claimP99Ms: q(0.99), claimMaxMs: latencies.at(-1) ?? 0 };
  } finally {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('cleaner-prune.ts')) {
  const total = Number(process.argv[2] ?? 100_000);
  const [size, pauseMs] = [process.argv[3], process.argv[4]].map((a) => (a === undefined ? undefined : Number(a)));
  void benchCleanerPrune(total, { ...(size ? { size } : {}), ...(pauseMs !== undefined ? { pauseMs } : {}) }).then((r) => {
    for (const [metric, value, unit] of [
      ['cleaner.prune.jobs_per_s', r.pruned / r.pruneSeconds, 'jobs/s'],
      ['cleaner.prune.seconds', r.pruneSeconds, 's'],
      ['cleaner.prune.claim_p50_ms', r.claimP50Ms, 'ms'],
      ['cleaner.prune.claim_p99_ms', r.claimP99Ms, 'ms'],
      ['cleaner.prune.claim_max_ms', r.claimMaxMs, 'ms'],
    ] as const) console.log(JSON.stringify({ metric, value: Math.round(value * 100) / 100, unit }));
    console.log(JSON.stringify({ jobs: r.jobs, pruned: r.pruned, claims: r.claims }));
  });
}
