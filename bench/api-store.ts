/**
 * The store behind the `api` benchmark: a real SQLite data folder holding a million jobs, built
 * the way the runtime would have left it after a long life.
 *
 *   1. `SqliteJobStore.insertJobs` in batches of 5,000 (the real insert path, so job_buckets and
 *      the indexes are filled by the real triggers): 80% `validate` (cpu), 10%
 *      `reencode_streaming` (gpu_encode), 10% `scene_extract` (gpu_ai), priorities 1–10,
 *      created one second apart ending now.
 *   2. The store is closed (it holds an EXCLUSIVE lock), then the oldest 90% get a final status
 *      with direct SQL UPDATEs by seq range, 50,000 rows a transaction: 1 in 90 `failed`, the
 *      rest `completed`, with started_at/completed_at 2–60 s apart. The triggers on `jobs` keep
 *      job_buckets (counts and processing-time totals) right. The newest 10% stay `pending`.
 *   3. The queue is paused (queue_flags), so the server's dispatcher does not start the pending
 *      jobs while the API is measured (the headless build registers no processors: it would fail
 *      them all, 100,000 writes competing with the reads). Claims then only record "Queue is
 *      paused" for a handful of candidates.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { NewJob } from '../src/main/core/ports';
import { SqliteJobStore } from '../src/main/storage/sqlite/sqlite-job-store';
import type { JobType } from '../src/shared/domain/job-types';
import { benchJob, progress } from './support';

/** The headless server opens `<MEDIA_DATA_DIR>/media-jobs.db`. */
export const DB_FILE_NAME = 'media-jobs.db';
export const API_JOBS = 1_000_000;
const INSERT_BATCH = 5_000;
const UPDATE_CHUNK = 50_000;
const FINISHED_SHARE = 0.9;
const FAILED_EVERY = 90; // 1 in 90 of the finished jobs ≈ 1% of all jobs

export interface ApiStoreCounts {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly pending: number;
  /** created_at of the newest job; the job at offset o of the unfiltered list was created o seconds earlier. */
  readonly newestCreatedAt: number;
}

function mixedJob(i: number, jobs: number, now: number): NewJob {
  const r = i % 10;
  const type: JobType = r === 8 ? 'reencode_streaming' : r === 9 ? 'scene_extract' : 'validate';
  return benchJob(type, { priority: 1 + ((i * 7) % 10), createdAt: now - (jobs - i) * 1000 });
}

/** Builds `<dir>/media-jobs.db` with `jobs` jobs; returns the counts the server must then report. */
export async function buildApiStore(dir: string, jobs = API_JOBS): Promise<ApiStoreCounts> {
  const file = join(dir, DB_FILE_NAME);
  const t0 = performance.now();
  const now = Date.now();
  const store = new SqliteJobStore({ file });
  try {
    for (let i = 0; i < jobs; i += INSERT_BATCH) {
      const batch = Array.from({ length: Math.min(INSERT_BATCH, jobs - i) }, (_, k) => mixedJob(i + k, jobs, now));
      await store.insertJobs(batch);
      if ((i + INSERT_BATCH) % 100_000 === 0) progress(`api: inserted ${i + INSERT_BATCH} jobs (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await store.close();
  }
  const insertedAt = performance.now();

  const finished = Math.round(jobs * FINISHED_SHARE);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // building the fixture; the server reopens it with its own settings
    const { min, max } = db.prepare('SELECT min(seq) AS min, max(seq) AS max FROM jobs').get() as { min: number; max: number };
    if (max - min + 1 !== jobs) throw new Error(`api: expected ${jobs} consecutive seqs, got ${min}..${max}`);
    const lastFinished = min + finished - 1;
    // started_at = created_at + queue wait; completed_at = started_at + 2..60 s (by seq, deterministic)
    const update = db.prepare(`UPDATE jobs SET
        status = CASE WHEN seq % ${FAILED_EVERY} = 0 THEN 'failed' ELSE 'completed' END,
        progress = CASE WHEN seq % ${FAILED_EVERY} = 0 THEN progress ELSE 100 END,
        last_error = CASE WHEN seq % ${FAILED_EVERY} = 0 THEN 'ffmpeg exited with code 1' ELSE NULL END,
        attempt = 1,
        node_id = 'bench-node',
        started_at = created_at + 500 + (seq % 7) * 100,
        completed_at = created_at + 500 + (seq % 7) * 100 + 2000 + (seq % 59) * 1000,
        updated_at = created_at + 500 + (seq % 7) * 100 + 2000 + (seq % 59) * 1000
      WHERE seq BETWEEN ? AND ? AND status = 'pending'`);
    const chunk = db.transaction((from: number, to: number) => update.run(from, to).changes);
    let changed = 0;
    for (let from = min; from <= lastFinished; from += UPDATE_CHUNK) {
      changed += chunk(from, Math.min(lastFinished, from + UPDATE_CHUNK - 1));
      if (changed % 300_000 === 0) progress(`api: finished ${changed} jobs by SQL (${((performance.now() - insertedAt) / 1000).toFixed(1)} s)`);
    }
    if (changed !== finished) throw new Error(`api: the SQL update finished ${changed} jobs, expected ${finished}`);
    db.prepare('UPDATE queue_flags SET queue_paused = 1 WHERE id = 1').run();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const counts = Object.fromEntries(
      (db.prepare('SELECT status, sum(n) AS n FROM job_buckets GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
    ) as Record<string, number>;
    const result: ApiStoreCounts = { total: jobs, completed: counts.completed ?? 0, failed: counts.failed ?? 0, pending: counts.pending ?? 0, newestCreatedAt: now - 1000 };
    if (result.completed + result.failed !== finished || result.pending !== jobs - finished) {
      throw new Error(`api: job_buckets counts ${JSON.stringify(counts)} do not match ${finished} finished of ${jobs}`);
    }
    progress(
      `api: store built in ${((performance.now() - t0) / 1000).toFixed(1)} s (insert ${((insertedAt - t0) / 1000).toFixed(1)} s, ` +
        `SQL update ${((performance.now() - insertedAt) / 1000).toFixed(1)} s): ${result.completed} completed, ${result.failed} failed, ${result.pending} pending`,
    );
    return result;
  } finally {
    db.close();
  }
}
