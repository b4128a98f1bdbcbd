/**
 * insertJobs on SQLite, fast: many rows per INSERT statement, the seqs given explicitly, and the
 * stored records built from what was written (no row read back), all in one transaction (the
 * caller's if one is open). Durability is the connection's, unchanged: WAL + synchronous=FULL,
 * one commit (one fsync) per batch, as before.
 *
 * Where the time went (100,000 jobs in batches of 1,000, bench/enqueue-bulk.ts, 2-core machine):
 *   - one `INSERT … RETURNING *` statement per job with named parameters, each returned row mapped
 *     back: ~60–65k jobs/s. Many rows per statement and no RETURNING: ~90–100k jobs/s.
 *   - what remained was mostly the random job ids (v4 UUIDs): the UNIQUE index on `id` took each one
 *     at a random place, so a batch of 1,000 dirtied ~550 pages of it (~2.3 MB written to the WAL
 *     at each commit, against ~0.4 MB with time-ordered ids). The store cannot choose the ids it is
 *     given, so the runtime now makes time-ordered ones (UUIDv7, shared/domain/job-ids.ts): new ids
 *     land together at the end of the index (~150–190k jobs/s here, against ~35–65k with v4 ids in
 *     the same runs; the bench note keeps the v4 figure).
 *   - the count trigger (job_buckets, per row) costs a few per cent; it stays, so every count is
 *     exact whoever writes.
 *
 * The seqs are max(seq) + 1 … (what SQLite would pick itself), given explicitly so that the order
 * of the batch is the order of the seqs without relying on how a multi-row statement assigns
 * rowids. The returned records are the inserted rows with the schema's defaults for a new job;
 * the conformance suite reads each one back and compares every field.
 */
import type Database from 'better-sqlite3';
import type { JobRecord, NewJob } from '../../core/ports';
import { rowToJob } from './job-rows';

/** Rows per INSERT statement (14 parameters each, far below SQLite's variable limit). */
const ROWS_PER_STATEMENT = 64;
const COLUMNS = 'seq, id, type, status, params, priority, resource_category, vram_required, max_retries, created_at, enqueued_at, updated_at, created_by, pipeline_run_id, parent_job_id';
const ROW = "(?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

interface Statements {
  readonly maxSeq: Database.Statement<[], { s: number | null }>;
  /** INSERT statements by row count, prepared when first needed (at most ROWS_PER_STATEMENT of them). */
  readonly inserts: Map<number, Database.Statement<unknown[]>>;
}

const statementsOf = new WeakMap<Database.Database, Statements>();

function statements(db: Database.Database): Statements {
  let s = statementsOf.get(db);
  if (!s) {
    s = { maxSeq: db.prepare<[], { s: number | null }>('SELECT max(seq) AS s FROM jobs'), inserts: new Map() };
    statementsOf.set(db, s);
  }
  return s;
}

function insertStatement(db: Database.Database, s: Statements, rows: number): Database.Statement<unknown[]> {
  let stmt = s.inserts.get(rows);
  if (!stmt) {
    stmt = db.prepare<unknown[]>(`INSERT INTO jobs (${COLUMNS}) VALUES ${Array.from({ length: rows }, () => ROW).join(', ')}`);
    s.inserts.set(rows, stmt);
  }
  return stmt;
}

/** Inserts `jobs` as pending, in order, in one transaction; returns them as stored. */
export function insertJobRows(db: Database.Database, jobs: readonly NewJob[]): JobRecord[] {
  if (jobs.length === 0) return [];
  return db.transaction(() => {
    const s = statements(db);
    const first = (s.maxSeq.get()?.s ?? 0) + 1;
    const params = jobs.map((j) => JSON.stringify(j.params));
    const args: unknown[] = [];
    for (let start = 0; start < jobs.length; start += ROWS_PER_STATEMENT) {
      const end = Math.min(jobs.length, start + ROWS_PER_STATEMENT);
      args.length = 0;
      for (let i = start; i < end; i++) {
        const j = jobs[i]!;
        args.push(first + i, j.id, j.type, params[i], j.priority, j.resourceCategory, j.vramRequired, j.maxRetries, j.createdAt, j.createdAt, j.createdAt, j.createdBy ?? null, j.pipelineRunId ?? null, j.parentJobId ?? null);
      }
      insertStatement(db, s, end - start).run(...args);
    }
    return jobs.map((j, i) =>
      rowToJob({
        seq: first + i,
        id: j.id,
        type: j.type,
        status: 'pending',
        params: params[i]!,
        progress: 0,
        priority: j.priority,
        waiting_reason: null,
        resource_category: j.resourceCategory,
        vram_required: j.vramRequired,
        vram_reserved: 0,
        created_at: j.createdAt,
        enqueued_at: j.createdAt,
        started_at: null,
        completed_at: null,
        retry_count: 0,
        max_retries: j.maxRetries,
        retry_after: null,
        last_error: null,
        node_id: null,
        created_by: j.createdBy ?? null,
        attempt: 0,
        log_lines: 0,
        log_dropped: 0,
        suspended: 0,
        cancel_requested_at: null,
        pipeline_run_id: j.pipelineRunId ?? null,
        parent_job_id: j.parentJobId ?? null,
        updated_at: j.createdAt,
      }),
    );
  })();
}
