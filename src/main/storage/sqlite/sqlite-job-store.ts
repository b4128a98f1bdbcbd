/**
 * The embedded JobStore on SQLite (better-sqlite3). Every method runs synchronously inside one
 * transaction; the async signatures are the port's, shared with the PostgreSQL adapter. The counts,
 * the attempt outcomes and a user's actions on one job live in sqlite-counts.ts, sqlite-outcomes.ts
 * and sqlite-manual-transitions.ts.
 */
import type Database from 'better-sqlite3';
import type { JobStatus, ResourceCategory } from '../../../shared/domain/statuses';
import { WAITING_STATUSES } from '../../../shared/domain/statuses';
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
  StatusCounts,
  StoredLogLine,
  RecordedProcess,
  ReportBatch,
  TransitionResult,
} from '../../core/ports';
import { changedFlags } from '../../core/queue-flags';
import { targetOf } from '../../core/lifecycle';
import type { FailureDecision } from '../../core/retry-policy';
import { DEFAULT_LOG_BOUNDS, type LogBounds } from '../../core/log-bounds';
import { BoundedLogWriter } from './bounded-log';
import { rowToJob, type JobRow } from './job-rows';
import { openDatabase } from './open-database';
import { listPage, totalQuery } from './list-queries';
import { endedPerHour, searchPage } from './sqlite-job-search';
import { isSearchFilter } from '../job-search-filter';
import { SqlitePartials } from './sqlite-partials';
import { sqliteQueuePositions } from './sqlite-queue-positions';
import { SqlitePrune } from './sqlite-prune';
import { SqliteClaim } from './sqlite-claim';
import { SqliteGpuMove } from './sqlite-gpu-move';
import type { GpuMoveResult } from '../../core/gpu-placement';
import { statusIn, WAITING } from '../status-sql';
import { insertJobRows } from './sqlite-bulk-insert';
import { SqliteCounts } from './sqlite-counts';
import { SqliteOutcomes } from './sqlite-outcomes';
import { notFound, SqliteManualTransitions } from './sqlite-manual-transitions';

export type SqliteJobStoreOptions = ({ readonly file: string } | { readonly db: Database.Database }) & {
  readonly logBounds?: LogBounds;
};

export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;
  private readonly log: BoundedLogWriter;
  private readonly stmt;
  private readonly partials: SqlitePartials;
  private gpuMove: SqliteGpuMove | null = null;
  private readonly pruner: SqlitePrune;
  private readonly claimer: SqliteClaim;
  private readonly counts: SqliteCounts;
  private readonly outcomes: SqliteOutcomes;
  private readonly manual: SqliteManualTransitions;
  // the hot transactions, wrapped once: better-sqlite3's db.transaction() builds four wrapper
  // functions with their properties at every call (measurable at one claim per job)
  private readonly claimTx: (request: ClaimRequest) => ClaimResult;
  private readonly reportsTx: (batch: ReportBatch) => JobRecord[];

  /** Whether close() closes the connection (false when it is shared with other stores). */
  private readonly ownsDb: boolean;

  constructor(options: SqliteJobStoreOptions) {
    this.ownsDb = 'file' in options;
    this.db = 'file' in options ? openDatabase(options.file) : options.db;
    this.log = new BoundedLogWriter(this.db, options.logBounds ?? DEFAULT_LOG_BOUNDS);
    this.partials = new SqlitePartials(this.db);
    this.pruner = new SqlitePrune(this.db);
    this.claimer = new SqliteClaim(this.db, this.log, () => this.flagsNow());
    this.counts = new SqliteCounts(this.db);
    this.outcomes = new SqliteOutcomes(this.db, this.log);
    this.manual = new SqliteManualTransitions(this.db, this.log);
    this.claimTx = this.db.transaction((request: ClaimRequest) => {
      const reported = request.reports ? this.outcomes.applyReports(request.reports) : [];
      return { ...this.claimer.claim(request), reported };
    });
    this.reportsTx = this.db.transaction((batch: ReportBatch) => this.outcomes.applyReports(batch));
    const db = this.db;
    this.stmt = {
      byId: db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?'),
      bySeq: db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE seq = ?'),
      readLog: db.prepare<[number, number, number], StoredLogLine>('SELECT line, at, text FROM job_logs WHERE job_seq = ? AND line > ? ORDER BY line LIMIT ?'),
      nextRetry: db.prepare<[number], { t: number | null }>(`SELECT min(retry_after) AS t FROM jobs WHERE ${statusIn([targetOf('scheduleRetry')!])} AND retry_after IS NOT NULL AND retry_after > ?`),
      position: db.prepare<[string, number, number, number], { n: number }>(
        `SELECT count(*) AS n FROM jobs WHERE ${WAITING} AND resource_category = ?
           AND (priority < ? OR (priority = ? AND seq < ?))`),
      flags: db.prepare<[], { queue_paused: number; paused_categories: string }>('SELECT queue_paused, paused_categories FROM queue_flags WHERE id = 1'),
      recordProcess: db.prepare(
        'INSERT OR REPLACE INTO job_processes (pid, job_id, command, node_id, started_at, start_ticks) VALUES (@pid, @jobId, @command, @nodeId, @startedAt, @startTicks)',
      ),
      forgetProcess: db.prepare('DELETE FROM job_processes WHERE node_id = ? AND pid = ?'),
      processesOf: db.prepare<[string], { pid: number; job_id: string; command: string; node_id: string; started_at: number; start_ticks: number | null }>(
        'DELETE FROM job_processes WHERE node_id = ? RETURNING *',
      ),
      setFlags: db.prepare('UPDATE queue_flags SET queue_paused = ?, paused_categories = ? WHERE id = 1'),
    };
  }

  async insertJobs(jobs: readonly NewJob[]): Promise<JobRecord[]> {
    return insertJobRows(this.db, jobs);
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const row = this.stmt.byId.get(id);
    return row ? rowToJob(row) : undefined;
  }

  async listJobs(filter: JobFilter, offset: number, limit: number): Promise<{ rows: JobRecord[]; total: number }> {
    return this.db.transaction(() => {
      if (isSearchFilter(filter)) {
        const found = searchPage(this.db, filter, offset, limit);
        return { rows: found.rows.map(rowToJob), total: found.total };
      }
      const rows = listPage(this.db, filter, offset, limit).map(rowToJob);
      const total = totalQuery(filter);
      const { n } = this.db.prepare(total.sql).get(...total.args) as { n: number };
      return { rows, total: n };
    })();
  }

  async countEndedPerHour(since: number): Promise<EndedInHour[]> {
    return endedPerHour(this.db, since);
  }

  async queuePosition(id: string): Promise<number | null> {
    const row = this.stmt.byId.get(id);
    if (!row || !WAITING_STATUSES.includes(row.status as JobStatus)) return null;
    return this.stmt.position.get(row.resource_category, row.priority, row.priority, row.seq)!.n + 1;
  }

  async queuePositions(ids: readonly string[]): Promise<Map<string, number>> {
    return sqliteQueuePositions(this.db, ids);
  }

  async countJobs(): Promise<StatusCounts> {
    return this.counts.count();
  }

  async claimJobs(request: ClaimRequest): Promise<ClaimResult> {
    return this.claimTx(request);
  }

  async recordReports(batch: ReportBatch): Promise<JobRecord[]> {
    if (batch.logs.length === 0 && batch.progress.size === 0 && batch.outcomes.length === 0) return [];
    return this.reportsTx(batch);
  }

  async transitionJob(t: ManualTransition): Promise<TransitionResult> {
    return this.manual.transition(t);
  }

  async cancelJob(c: CancelRequest): Promise<TransitionResult> {
    return this.manual.cancel(c);
  }

  async setPriority(jobId: string, priority: number, at: number): Promise<TransitionResult> {
    return this.manual.setPriority(jobId, priority, at);
  }

  async rescueJobs(_nodeId: string, now: number, decide: (job: JobRecord) => FailureDecision): Promise<JobRecord[]> {
    return this.db.transaction(() => this.outcomes.rescue(now, decide))();
  }

  async suspendJob(jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return this.manual.suspend(jobId, at, logLine);
  }

  async resumeSuspendedJob(jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return this.manual.resumeSuspended(jobId, at, logLine);
  }

  async recordProcess(p: RecordedProcess): Promise<void> {
    this.stmt.recordProcess.run(p);
  }

  async forgetProcess(nodeId: string, pid: number): Promise<void> {
    this.stmt.forgetProcess.run(nodeId, pid);
  }

  async takeRecordedProcesses(nodeId: string): Promise<RecordedProcess[]> {
    return this.stmt.processesOf
      .all(nodeId)
      .sort((a, b) => a.started_at - b.started_at || a.pid - b.pid)
      .map((r) => ({ pid: r.pid, jobId: r.job_id, command: r.command, nodeId: r.node_id, startedAt: r.started_at, startTicks: r.start_ticks }));
  }

  async attemptOwnsJob(fence: AttemptFence): Promise<boolean> {
    return this.partials.owns(fence);
  }

  async moveAttemptToGpu(request: GpuMoveRequest): Promise<GpuMoveResult> {
    return (this.gpuMove ??= new SqliteGpuMove(this.db)).move(request);
  }

  async releaseAttemptGpu(request: GpuReleaseRequest): Promise<boolean> {
    return (this.gpuMove ??= new SqliteGpuMove(this.db)).release(request);
  }

  async recordPartial(partial: AttemptPartial): Promise<void> {
    this.partials.record(partial);
  }

  async forgetPartial(fence: AttemptFence, path: string): Promise<void> {
    this.partials.forget(fence, path);
  }

  async commitPartial(fence: AttemptFence, path: string): Promise<boolean> {
    return this.partials.commit(fence, path);
  }

  async takeAbandonedPartials(scope: PartialScope): Promise<AttemptPartial[]> {
    return this.partials.takeAbandoned(scope);
  }

  async nextRetryAt(now: number): Promise<number | null> {
    return this.stmt.nextRetry.get(now)!.t;
  }

  async appendLogs(lines: readonly LogLineInput[]): Promise<void> {
    if (lines.length === 0) return;
    this.db.transaction(() => {
      for (const l of lines) this.log.appendById(l.jobId, l.at, l.text, l.attempt);
    })();
  }

  async readLog(jobId: string, afterLine: number, limit: number): Promise<{ lines: StoredLogLine[]; dropped: number; total: number }> {
    return this.db.transaction(() => {
      const row = this.stmt.byId.get(jobId);
      if (!row) throw notFound(jobId);
      return { lines: this.stmt.readLog.all(row.seq, afterLine, limit), dropped: row.log_dropped, total: row.log_lines };
    })();
  }

  async pruneJobs(request: PruneRequest): Promise<PruneResult> {
    return this.pruner.prune(request);
  }

  /** One runtime per database file (the file lock): it is always the only cleaner. */
  async asSoleCleaner(pass: () => Promise<void>): Promise<boolean> {
    await pass();
    return true;
  }

  async getQueueFlags(): Promise<QueueFlags> {
    return this.flagsNow();
  }

  private flagsNow(): QueueFlags {
    const row = this.stmt.flags.get()!;
    return { queuePaused: row.queue_paused === 1, pausedCategories: JSON.parse(row.paused_categories) as ResourceCategory[] };
  }

  async changeQueueFlags(change: QueueFlagChange): Promise<QueueFlags> {
    // one transaction: the read and the write see no other writer of the file between them
    return this.db.transaction(() => {
      const next = changedFlags(this.flagsNow(), change);
      this.stmt.setFlags.run(next.queuePaused ? 1 : 0, JSON.stringify(next.pausedCategories));
      return next;
    }).immediate();
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
