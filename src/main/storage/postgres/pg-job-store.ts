/**
 * The JobStore on PostgreSQL (node-postgres Pool), for fleet mode: several nodes share one
 * database. Same records, results and errors as the SQLite store (the conformance suite holds
 * both); what differs is concurrency: claims are serialised per node by an advisory lock and
 * candidates are taken with FOR UPDATE SKIP LOCKED (pg-claim.ts), counts are appended as deltas
 * (pg-migrations.ts), and a rescue only touches the given node's jobs (the others are alive).
 *
 * Open it with `PostgresJobStore.open({ url })` (migrates), or through openPostgresStores.
 */
import { WAITING_STATUSES, type JobStatus } from '../../../shared/domain/statuses';
import { targetOf } from '../../core/lifecycle';
import { appliesTo, setStatusOf, statusIn } from '../status-sql';
import { AppError } from '../../../shared/contracts/errors';
import type {
  AttemptFence,
  GpuMoveRequest,
  GpuReleaseRequest,
  AttemptPartial,
  CancelRequest,
  ClaimRequest,
  ClaimResult,
  EndedInHour,
  JobFilter,
  JobRecord,
  JobStore,
  LogLineInput,
  ManualTransition,
  NewJob,
  PartialScope,
  PruneRequest,
  PruneResult,
  QueueFlagChange,
  QueueFlags,
  RecordedProcess,
  ReportBatch,
  StatusCounts,
  StoredLogLine,
  TransitionResult,
} from '../../core/ports';
import type { FailureDecision } from '../../core/retry-policy';
import { DEFAULT_LOG_BOUNDS, type LogBounds } from '../../core/log-bounds';
import { claimTick, lockNodeSql } from './pg-claim';
import { compactCounts, countJobs, listPage } from './pg-counts';
import { endedPerHour, searchPage } from './pg-job-search';
import { isSearchFilter } from '../job-search-filter';
import { inTransaction, openPool, type Pool, type Queryable } from './pg-db';
import { PgLogWriter } from './pg-logs';
import { migrate } from './pg-migrations';
import { pgQueuePositions } from './pg-queue-positions';
import * as partials from './pg-partials';
import * as processes from './pg-processes';
import { decideCancel } from './pg-cancel';
import { changeQueueFlags, readQueueFlags } from './pg-queue-flags';
import { moveAttemptToGpu, releaseAttemptGpu } from './pg-gpu-move';
import type { GpuMoveResult } from '../../core/gpu-placement';
import * as prune from './pg-prune';
import { applyReports, rescueNode } from './pg-reports';
import { rowToJob, type PgJobRow } from './pg-rows';
import { manualTransitionSets } from '../manual-transition-sets';
import type { WakeNotifier } from './pg-wake';

export interface PostgresJobStoreOptions {
  readonly logBounds?: LogBounds;
  /** Count changes after which this store folds the count deltas into the buckets (default 256). */
  readonly compactEvery?: number;
  /** How long a started job's lease lasts before its node must renew it by heartbeat (default 30 s). */
  readonly leaseMs?: number;
  /** Tells the other nodes when work arrives, the queue flags change or another node's job is cancelled. */
  readonly wake?: WakeNotifier;
}

export const DEFAULT_LEASE_MS = 30_000;

const READ_SNAPSHOT = 'ISOLATION LEVEL REPEATABLE READ READ ONLY';

export class PostgresJobStore implements JobStore {
  private readonly log: PgLogWriter;
  private readonly compactEvery: number;
  private readonly ownsPool: boolean;
  private readonly leaseMs: number;
  private readonly wake: WakeNotifier | undefined;
  private changesSinceCompaction = 0;

  /** `pool` must reach a migrated database; close() ends it only when `ownsPool`. */
  constructor(
    private readonly pool: Pool,
    options: PostgresJobStoreOptions & { ownsPool?: boolean } = {},
  ) {
    this.log = new PgLogWriter(options.logBounds ?? DEFAULT_LOG_BOUNDS);
    this.compactEvery = options.compactEvery ?? 256;
    this.ownsPool = options.ownsPool ?? false;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.wake = options.wake;
  }

  static async open(options: PostgresJobStoreOptions & { url: string }): Promise<PostgresJobStore> {
    const pool = openPool(options.url);
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresJobStore(pool, { ...options, ownsPool: true });
  }

  async insertJobs(jobs: readonly NewJob[]): Promise<JobRecord[]> {
    if (jobs.length === 0) return [];
    const col = <T>(f: (j: NewJob) => T) => jobs.map(f);
    const { rows } = await this.pool.query<PgJobRow>(
      `INSERT INTO jobs (id, type, status, params, priority, resource_category, vram_required, max_retries, created_at, enqueued_at, updated_at, created_by, pipeline_run_id, parent_job_id)
       SELECT id, type, 'pending', params, priority, resource_category, vram_required, max_retries, created_at, created_at, created_at, created_by, pipeline_run_id, parent_job_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[], $7::integer[], $8::bigint[], $9::text[], $10::text[], $11::text[])
         WITH ORDINALITY AS j(id, type, params, priority, resource_category, vram_required, max_retries, created_at, created_by, pipeline_run_id, parent_job_id, ord)
       ORDER BY ord RETURNING *`,
      [
        col((j) => j.id),
        col((j) => j.type),
        col((j) => JSON.stringify(j.params)),
        col((j) => j.priority),
        col((j) => j.resourceCategory),
        col((j) => j.vramRequired),
        col((j) => j.maxRetries),
        col((j) => j.createdAt),
        col((j) => j.createdBy),
        col((j) => j.pipelineRunId ?? null),
        col((j) => j.parentJobId ?? null),
      ],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    this.wake?.notify('work');
    await this.changed(1);
    return jobs.map((j) => rowToJob(byId.get(j.id)!));
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const row = (await this.pool.query<PgJobRow>('SELECT * FROM jobs WHERE id = $1', [id])).rows[0];
    return row ? rowToJob(row) : undefined;
  }

  async listJobs(filter: JobFilter, offset: number, limit: number): Promise<{ rows: JobRecord[]; total: number }> {
    if (isSearchFilter(filter)) return searchPage(this.pool, filter, offset, limit);
    return inTransaction(this.pool, (c) => listPage(c, filter, offset, limit), READ_SNAPSHOT);
  }

  async queuePosition(id: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ status: string; ahead: number }>(
      `SELECT j.status, (SELECT count(*)::integer FROM jobs w WHERE ${statusIn(WAITING_STATUSES, 'w.status')} AND w.resource_category = j.resource_category
         AND (w.priority < j.priority OR (w.priority = j.priority AND w.seq < j.seq))) AS ahead
       FROM jobs j WHERE j.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row || !WAITING_STATUSES.includes(row.status as JobStatus)) return null;
    return row.ahead + 1;
  }

  async queuePositions(ids: readonly string[]): Promise<Map<string, number>> {
    return pgQueuePositions(this.pool, ids);
  }

  async countEndedPerHour(since: number): Promise<EndedInHour[]> {
    return endedPerHour(this.pool, since);
  }

  async countJobs(): Promise<StatusCounts> {
    return countJobs(this.pool);
  }

  async claimJobs(request: ClaimRequest): Promise<ClaimResult> {
    const result = await claimTick(this.pool, this.log, request, this.leaseMs);
    this.wakeForRequeued(result.reported);
    await this.changed(result.started.length + result.waitingChanged.length + result.reported.length);
    return result;
  }

  async recordReports(batch: ReportBatch): Promise<JobRecord[]> {
    if (batch.logs.length === 0 && batch.progress.size === 0 && batch.outcomes.length === 0) return [];
    const changed = await inTransaction(this.pool, (c) => applyReports(c, this.log, batch));
    this.wakeForRequeued(changed);
    await this.changed(changed.length);
    return changed;
  }

  async transitionJob(t: ManualTransition): Promise<TransitionResult> {
    // one statement: applied when the lifecycle table allows the action from the job's status
    // (re-checked on the latest row version), otherwise the job as found; a transaction only when a
    // log line goes with it
    const sql = `WITH u AS (UPDATE jobs SET ${manualTransitionSets(t.action, '$3')}, log_lines = log_lines + $2 WHERE id = $1 AND ${appliesTo(t.action)} RETURNING *)
      SELECT *, true AS applied FROM u UNION ALL SELECT *, false AS applied FROM jobs WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM u)`;
    const args = [t.jobId, t.logLine ? 1 : 0, t.at];
    const apply = async (db: Queryable) => {
      const row = (await db.query<PgJobRow & { applied: boolean }>(sql, args)).rows[0];
      if (!row) throw notFound(t.jobId);
      if (row.applied && t.logLine) await this.log.writeCounted(db, [{ seq: Number(row.seq), line: row.log_lines, at: t.at, text: t.logLine }]);
      return { job: rowToJob(row), applied: row.applied };
    };
    const result = t.logLine ? await inTransaction(this.pool, apply) : await apply(this.pool);
    if (result.applied) {
      this.wakeForRequeued([result.job]);
      // the node running a cancelled job stops it at once instead of at its next heartbeat
      if (result.job.status === 'cancelled' && result.job.nodeId !== null && result.job.startedAt !== null) this.wake?.notify('cancel', result.job.nodeId);
      await this.changed(1);
    }
    return result;
  }

  async cancelJob(c: CancelRequest): Promise<TransitionResult> {
    const result = await inTransaction(this.pool, (db) => decideCancel(db, this.log, c));
    if (!result) throw notFound(c.jobId);
    const { job, applied, requested } = result;
    // the node running it stops it at once instead of at its next heartbeat
    if (requested && job.nodeId !== null) this.wake?.notify('cancel', job.nodeId);
    if (applied && !requested && job.status === 'cancelled') await this.changed(1);
    return { job, applied };
  }

  async setPriority(jobId: string, priority: number, at: number): Promise<TransitionResult> {
    const { rows } = await this.pool.query<PgJobRow & { applied: boolean }>(
      `WITH u AS (UPDATE jobs SET priority = $2, updated_at = $3 WHERE id = $1 AND ${appliesTo('setPriority')} RETURNING *)
       SELECT *, true AS applied FROM u UNION ALL SELECT *, false AS applied FROM jobs WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM u)`,
      [jobId, priority, at],
    );
    const row = rows[0];
    if (!row) throw notFound(jobId);
    return { job: rowToJob(row), applied: row.applied };
  }

  async rescueJobs(nodeId: string, now: number, decide: (job: JobRecord) => FailureDecision): Promise<JobRecord[]> {
    const rescued = await inTransaction(this.pool, (c) => rescueNode(c, this.log, nodeId, now, decide), '', lockNodeSql(nodeId));
    this.wakeForRequeued(rescued);
    await this.changed(rescued.length);
    return rescued;
  }

  async suspendJob(jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return this.countedTransition(
      `UPDATE jobs SET ${setStatusOf('suspend')}, updated_at = $2, log_lines = log_lines + 1 WHERE id = $1 AND ${appliesTo('suspend')} RETURNING *`,
      jobId,
      at,
      logLine,
    );
  }

  async resumeSuspendedJob(jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return this.countedTransition(
      `UPDATE jobs SET ${setStatusOf('resumeSuspended')}, updated_at = $2, log_lines = log_lines + 1
       WHERE id = $1 AND ${appliesTo('resumeSuspended')} RETURNING *`,
      jobId,
      at,
      logLine,
    );
  }

  private async countedTransition(sql: string, jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    const result = await inTransaction(this.pool, async (c) => {
      const row = (await c.query<PgJobRow>(sql, [jobId, at])).rows[0];
      if (!row) {
        const current = (await c.query<PgJobRow>('SELECT * FROM jobs WHERE id = $1', [jobId])).rows[0];
        if (!current) throw notFound(jobId);
        return { job: rowToJob(current), applied: false };
      }
      await this.log.writeCounted(c, [{ seq: Number(row.seq), line: row.log_lines, at, text: logLine }]);
      return { job: rowToJob(row), applied: true };
    });
    if (result.applied) await this.changed(1);
    return result;
  }

  async recordProcess(p: RecordedProcess): Promise<void> {
    await processes.recordProcess(this.pool, p);
  }

  async forgetProcess(nodeId: string, pid: number): Promise<void> {
    await processes.forgetProcess(this.pool, nodeId, pid);
  }

  async takeRecordedProcesses(nodeId: string): Promise<RecordedProcess[]> {
    return processes.takeRecordedProcesses(this.pool, nodeId);
  }

  async attemptOwnsJob(fence: AttemptFence): Promise<boolean> {
    return partials.attemptOwnsJob(this.pool, fence);
  }

  async moveAttemptToGpu(request: GpuMoveRequest): Promise<GpuMoveResult> {
    return moveAttemptToGpu(this.pool, request);
  }

  async releaseAttemptGpu(request: GpuReleaseRequest): Promise<boolean> {
    return releaseAttemptGpu(this.pool, request);
  }

  async recordPartial(partial: AttemptPartial): Promise<void> {
    await partials.recordPartial(this.pool, partial);
  }

  async forgetPartial(fence: AttemptFence, path: string): Promise<void> {
    await partials.forgetPartial(this.pool, fence, path);
  }

  async commitPartial(fence: AttemptFence, path: string): Promise<boolean> {
    return partials.commitPartial(this.pool, fence, path);
  }

  async takeAbandonedPartials(scope: PartialScope): Promise<AttemptPartial[]> {
    return partials.takeAbandonedPartials(this.pool, scope);
  }

  async nextRetryAt(now: number): Promise<number | null> {
    const { rows } = await this.pool.query<{ t: string | null }>(
      `SELECT min(retry_after) AS t FROM jobs WHERE ${statusIn([targetOf('scheduleRetry')!])} AND retry_after IS NOT NULL AND retry_after > $1`,
      [now],
    );
    return rows[0]!.t === null ? null : Number(rows[0]!.t);
  }

  async appendLogs(lines: readonly LogLineInput[]): Promise<void> {
    if (lines.length === 0) return;
    await inTransaction(this.pool, (c) => this.log.appendById(c, lines));
  }

  async readLog(jobId: string, afterLine: number, limit: number): Promise<{ lines: StoredLogLine[]; dropped: number; total: number }> {
    return inTransaction(
      this.pool,
      async (c) => {
        const row = (await c.query<{ seq: string; log_lines: number; log_dropped: number }>('SELECT seq, log_lines, log_dropped FROM jobs WHERE id = $1', [jobId])).rows[0];
        if (!row) throw notFound(jobId);
        const { rows } = await c.query<{ line: number; at: string; text: string }>(
          'SELECT line, at, text FROM job_logs WHERE job_seq = $1 AND line > $2 ORDER BY line LIMIT $3',
          [row.seq, afterLine, limit],
        );
        return { lines: rows.map((l) => ({ line: l.line, at: Number(l.at), text: l.text })), dropped: row.log_dropped, total: row.log_lines };
      },
      READ_SNAPSHOT,
    );
  }

  async pruneJobs(request: PruneRequest): Promise<PruneResult> {
    const result = await prune.pruneJobs(this.pool, request);
    if (result.deleted > 0) await this.changed(1);
    return result;
  }

  async asSoleCleaner(pass: () => Promise<void>): Promise<boolean> {
    return prune.asSoleCleaner(this.pool, pass);
  }

  async getQueueFlags(): Promise<QueueFlags> {
    return readQueueFlags(this.pool);
  }

  async changeQueueFlags(change: QueueFlagChange): Promise<QueueFlags> {
    const flags = await changeQueueFlags(this.pool, change);
    this.wake?.notify('flags');
    return flags;
  }

  /** Folds pending count deltas into the buckets now (the store also does it every `compactEvery` changes). */
  async compactCounts(): Promise<void> {
    this.changesSinceCompaction = 0;
    await compactCounts(this.pool);
  }

  async close(): Promise<void> {
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }

  /** Jobs that became claimable again (interrupted, retry, resume) may suit another node. */
  private wakeForRequeued(jobs: readonly JobRecord[]): void {
    if (jobs.some((j) => WAITING_STATUSES.includes(j.status))) this.wake?.notify('work');
  }

  /**
   * Counts changes that appended count deltas; compacts when enough have piled up. Best effort:
   * the caller's write is committed already and must be reported as done (readers sum the deltas
   * anyway), so a failed compaction is left to the next change.
   */
  private async changed(n: number): Promise<void> {
    this.changesSinceCompaction += n;
    if (this.changesSinceCompaction < this.compactEvery) return;
    await this.compactCounts().catch(() => {
      this.changesSinceCompaction = this.compactEvery;
    });
  }
}

function notFound(jobId: string): AppError {
  return new AppError('NOT_FOUND', `No job with id ${jobId}.`, { jobId });
}

