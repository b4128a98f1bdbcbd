/**
 * The embedded JobStore on SQLite (better-sqlite3). Every method runs synchronously inside one
 * transaction; the async signatures are the port's, shared with the PostgreSQL adapter.
 */
import type Database from 'better-sqlite3';
import type { JobStatus, ResourceCategory } from '../../../shared/domain/statuses';
import { JOB_STATUSES, WAITING_STATUSES } from '../../../shared/domain/statuses';
import { isSegmentChild, type JobType } from '../../../shared/domain/job-types';
import { AppError } from '../../../shared/contracts/errors';
import type {
  AttemptFence,
  GpuMoveRequest,
  AttemptOutcome,
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
  QueueFlags,
  StatusCounts,
  StoredLogLine,
  RecordedProcess,
  ReportBatch,
  TransitionResult,
} from '../../core/ports';
import { cancelActionFor, canTransition, targetOf, type ManualAction } from '../../core/lifecycle';
import type { FailureDecision } from '../../core/retry-policy';
import { DEFAULT_LOG_BOUNDS, type LogBounds } from '../../core/log-bounds';
import { BoundedLogWriter } from './bounded-log';
import { rowToJob, type JobRow } from './job-rows';
import { openDatabase } from './open-database';
import { listPage, totalQuery } from './list-queries';
import { endedPerHour, searchPage } from './sqlite-job-search';
import { PARENTS_WITH_LIVE_PARTS } from '../segment-sql';
import { isSearchFilter } from '../job-search-filter';
import { SqlitePartials } from './sqlite-partials';
import { sqliteQueuePositions } from './sqlite-queue-positions';
import { SqlitePrune } from './sqlite-prune';
import { SqliteClaim } from './sqlite-claim';
import { SqliteGpuMove } from './sqlite-gpu-move';
import type { GpuMoveResult } from '../../core/gpu-placement';
import { appliesTo, LIVE, setStatusOf, statusIn, WAITING } from '../status-sql';
import { insertJobRows } from './sqlite-bulk-insert';

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
    this.claimer = new SqliteClaim(this.db, this.log);
    this.claimTx = this.db.transaction((request: ClaimRequest) => {
      const reported = request.reports ? this.applyReports(request.reports) : [];
      return { ...this.claimer.claim(request), reported };
    });
    this.reportsTx = this.db.transaction((batch: ReportBatch) => this.applyReports(batch));
    const db = this.db;
    this.stmt = {
      byId: db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?'),
      bySeq: db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE seq = ?'),
      // an attempt's outcomes, fenced by its attempt number (lifecycle: they apply to a live job)
      complete: db.prepare(`UPDATE jobs SET ${setStatusOf('complete')}, progress = 100, completed_at = @at, vram_reserved = 0, waiting_reason = NULL, updated_at = @at,
        log_lines = log_lines + 1 WHERE id = @jobId AND ${appliesTo('complete')} AND attempt = @attempt RETURNING *`),
      fail: db.prepare(`UPDATE jobs SET ${setStatusOf('fail')}, completed_at = @at, vram_reserved = 0, last_error = @error, waiting_reason = NULL, updated_at = @at,
        log_lines = log_lines + 1 WHERE id = @jobId AND ${appliesTo('fail')} AND attempt = @attempt RETURNING *`),
      scheduleRetry: db.prepare(`UPDATE jobs SET ${setStatusOf('scheduleRetry')}, retry_count = @retryCount, retry_after = @retryAfter, enqueued_at = @retryAfter,
        last_error = @error, waiting_reason = @reason, vram_reserved = 0, updated_at = @at, log_lines = log_lines + 1
        WHERE id = @jobId AND ${appliesTo('scheduleRetry')} AND attempt = @attempt RETURNING *`),
      interrupt: db.prepare(`UPDATE jobs SET ${setStatusOf('interrupt')}, enqueued_at = @at, vram_reserved = 0, progress = 0, updated_at = @at,
        log_lines = log_lines + 1 WHERE id = @jobId AND ${appliesTo('interrupt')} AND attempt = @attempt RETURNING *`),
      // the end of an attempt a user asked to cancel; `requested`: only when a cancel was asked for (an
      // attempt that failed or was interrupted meanwhile ends cancelled, not re-queued)
      cancel: db.prepare(`UPDATE jobs SET ${setStatusOf('finishCancel')}, completed_at = @at, vram_reserved = 0, waiting_reason = NULL, retry_after = NULL,
        updated_at = @at, log_lines = log_lines + 1
        WHERE id = @jobId AND ${appliesTo('finishCancel')} AND attempt = @attempt AND (@requested = 0 OR cancel_requested_at IS NOT NULL) RETURNING *`),
      requestCancel: db.prepare(`UPDATE jobs SET cancel_requested_at = @at, updated_at = @at, log_lines = log_lines + 1
        WHERE seq = @seq AND ${appliesTo('requestCancel')} AND cancel_requested_at IS NULL RETURNING *`),
      // the exclusive lock means no other runtime uses this file: every live job is an orphan at start-up,
      // whatever node id it was claimed under (the host may have been renamed, MEDIA_NODE_ID changed)
      running: db.prepare<[], JobRow>(`SELECT * FROM jobs WHERE ${appliesTo('recover')}`),
      setPriority: db.prepare(`UPDATE jobs SET priority = ?, updated_at = ? WHERE seq = ? AND ${appliesTo('setPriority')} RETURNING *`),
      // a suspended attempt's last buffered progress still counts (it made it before it was stopped)
      progress: db.prepare(`UPDATE jobs SET progress = ? WHERE id = ? AND attempt = ? AND ${LIVE} AND progress <> ?`),
      readLog: db.prepare<[number, number, number], StoredLogLine>('SELECT line, at, text FROM job_logs WHERE job_seq = ? AND line > ? ORDER BY line LIMIT ?'),
      nextRetry: db.prepare<[number], { t: number | null }>(`SELECT min(retry_after) AS t FROM jobs WHERE ${statusIn([targetOf('scheduleRetry')!])} AND retry_after IS NOT NULL AND retry_after > ?`),
      // the counts, and the processing-time totals that completed rows (and bucket -1) carry
      counters: db.prepare<[], { type: string; status: string; resource_category: string; n: number; timed: number; timed_ms: number }>(
        'SELECT type, status, resource_category, sum(n) AS n, sum(timed) AS timed, sum(timed_ms) AS timed_ms FROM job_buckets GROUP BY type, status',
      ),
      vramReserved: db.prepare<[], { v: number }>(`SELECT coalesce(sum(vram_reserved), 0) AS v FROM jobs WHERE ${LIVE}`),
      liveParents: db.prepare<[], { status: string; n: number }>(PARENTS_WITH_LIVE_PARTS),
      position: db.prepare<[string, number, number, number], { n: number }>(
        `SELECT count(*) AS n FROM jobs WHERE ${WAITING} AND resource_category = ?
           AND (priority < ? OR (priority = ? AND seq < ?))`),
      flags: db.prepare<[], { queue_paused: number; paused_categories: string }>('SELECT queue_paused, paused_categories FROM queue_flags WHERE id = 1'),
      suspend: db.prepare(`UPDATE jobs SET ${setStatusOf('suspend')}, updated_at = @at, log_lines = log_lines + 1
        WHERE id = @jobId AND ${appliesTo('suspend')} RETURNING *`),
      resumeSuspended: db.prepare(`UPDATE jobs SET ${setStatusOf('resumeSuspended')}, updated_at = @at, log_lines = log_lines + 1
        WHERE id = @jobId AND ${appliesTo('resumeSuspended')} RETURNING *`),
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
    return this.db.transaction(() => {
      const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
      const partsByStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
      const byType: Partial<Record<JobType, number>> = {};
      const runningByCategory: Record<ResourceCategory, number> = { cpu: 0, gpu_encode: 0, gpu_ai: 0 };
      const totals = { completed: 0, totalMs: 0 };
      for (const { type, status, resource_category, n, timed, timed_ms } of this.stmt.counters.all()) {
        // a segmented encode's parts: their parent's processing time counts, not theirs (#20)
        const part = isSegmentChild(type);
        if (!part) {
          totals.completed += timed;
          totals.totalMs += timed_ms;
        }
        if (n === 0) continue;
        if (status === 'running') runningByCategory[resource_category as ResourceCategory] += n;
        byStatus[status as JobStatus] += n;
        if (part) partsByStatus[status as JobStatus] += n;
        byType[type as JobType] = (byType[type as JobType] ?? 0) + n;
      }
      const parentsWithLiveParts: Partial<Record<JobStatus, number>> = {};
      for (const { status, n } of this.stmt.liveParents.all()) parentsWithLiveParts[status as JobStatus] = n;
      return {
        byStatus,
        partsByStatus,
        parentsWithLiveParts,
        byType,
        runningByCategory,
        vramReservedMb: this.stmt.vramReserved.get()!.v,
        averageProcessingSeconds: totals.completed === 0 ? 0 : totals.totalMs / totals.completed / 1000,
      };
    })();
  }

  async claimJobs(request: ClaimRequest): Promise<ClaimResult> {
    return this.claimTx(request);
  }

  async recordReports(batch: ReportBatch): Promise<JobRecord[]> {
    if (batch.logs.length === 0 && batch.progress.size === 0 && batch.outcomes.length === 0) return [];
    return this.reportsTx(batch);
  }

  private applyReports(batch: ReportBatch): JobRecord[] {
    for (const l of batch.logs) this.log.appendById(l.jobId, l.at, l.text, l.attempt);
    for (const [id, { attempt, progress }] of batch.progress) this.stmt.progress.run(progress, id, attempt, progress);
    const changed: JobRecord[] = [];
    for (const o of batch.outcomes) {
      const row = this.applyOutcome(o);
      if (!row) continue;
      this.log.writeCounted(row.seq, row.log_lines, o.at, outcomeLogLine(o, row.status));
      changed.push(rowToJob(row));
    }
    return changed;
  }

  /** Applies one outcome if its attempt is still current. An attempt whose job a user asked to cancel ends it cancelled unless it completed. */
  private applyOutcome(o: AttemptOutcome): JobRow | undefined {
    const key = { jobId: o.jobId, attempt: o.attempt, at: o.at };
    if (o.kind === 'cancelled') return this.stmt.cancel.get({ ...key, requested: 0 }) as JobRow | undefined;
    if (o.kind !== 'completed') {
      const cancelled = this.stmt.cancel.get({ ...key, requested: 1 }) as JobRow | undefined;
      if (cancelled) return cancelled;
    }
    switch (o.kind) {
      case 'completed':
        return this.stmt.complete.get(key) as JobRow | undefined;
      case 'interrupted':
        return this.stmt.interrupt.get(key) as JobRow | undefined;
      case 'failed':
        return o.decision.kind === 'retry'
          ? (this.stmt.scheduleRetry.get({
              ...key,
              error: o.error,
              retryCount: o.decision.retryCount,
              retryAfter: o.decision.retryAfter,
              reason: `Waiting to retry (${o.decision.reason}) at ${new Date(o.decision.retryAfter).toISOString()}; last error: ${o.error}`,
            }) as JobRow | undefined)
          : (this.stmt.fail.get({ ...key, error: o.error }) as JobRow | undefined);
    }
  }

  async transitionJob(t: ManualTransition): Promise<TransitionResult> {
    return this.db.transaction(() => {
      const row = this.stmt.byId.get(t.jobId);
      if (!row) throw notFound(t.jobId);
      if (!canTransition(row.status as JobStatus, t.action)) return { job: rowToJob(row), applied: false };
      const sets = manualTransitionSets(t.action, t.at);
      const updated = this.db
        .prepare(`UPDATE jobs SET ${sets.sql} WHERE seq = @seq RETURNING *`)
        .get({ ...sets.args, seq: row.seq }) as JobRow;
      if (t.logLine) this.log.appendBySeq(row.seq, t.at, t.logLine);
      return { job: rowToJob({ ...updated, log_lines: updated.log_lines + (t.logLine ? 1 : 0) }), applied: true };
    })();
  }

  async cancelJob(c: CancelRequest): Promise<TransitionResult> {
    return this.db.transaction(() => {
      const row = this.stmt.byId.get(c.jobId);
      if (!row) throw notFound(c.jobId);
      const action = cancelActionFor(row.status as JobStatus);
      if (action === 'requestCancel') {
        if (row.cancel_requested_at !== null && row.cancel_requested_at !== undefined) return { job: rowToJob(row), applied: true };
        const updated = this.stmt.requestCancel.get({ seq: row.seq, at: c.at }) as JobRow;
        this.log.writeCounted(updated.seq, updated.log_lines, c.at, c.requestedLogLine);
        return { job: rowToJob(updated), applied: true };
      }
      if (action !== 'cancel') return { job: rowToJob(row), applied: false };
      const sets = manualTransitionSets('cancel', c.at);
      const updated = this.db.prepare(`UPDATE jobs SET ${sets.sql} WHERE seq = @seq RETURNING *`).get({ ...sets.args, seq: row.seq }) as JobRow;
      this.log.appendBySeq(row.seq, c.at, c.logLine);
      return { job: rowToJob({ ...updated, log_lines: updated.log_lines + 1 }), applied: true };
    })();
  }

  async setPriority(jobId: string, priority: number, at: number): Promise<TransitionResult> {
    return this.db.transaction(() => {
      const row = this.stmt.byId.get(jobId);
      if (!row) throw notFound(jobId);
      const updated = this.stmt.setPriority.get(priority, at, row.seq) as JobRow | undefined;
      return updated ? { job: rowToJob(updated), applied: true } : { job: rowToJob(row), applied: false };
    })();
  }

  async rescueJobs(_nodeId: string, now: number, decide: (job: JobRecord) => FailureDecision): Promise<JobRecord[]> {
    return this.db.transaction(() => {
      const rescued: JobRecord[] = [];
      for (const row of this.stmt.running.all()) {
        const job = rowToJob(row);
        const decision = decide(job);
        const error = 'The runtime stopped while this job was running (crash, kill or power loss).';
        const outcome: AttemptOutcome =
          decision.kind === 'retry'
            ? { kind: 'failed', jobId: job.id, attempt: job.attempt, at: now, error, logLine: '', decision: { ...decision, retryAfter: now } }
            : { kind: 'failed', jobId: job.id, attempt: job.attempt, at: now, error, logLine: '', decision };
        const updated = this.applyOutcome(outcome);
        if (!updated) continue;
        const what = updated.status === 'cancelled' ? 'cancelled, as a user had asked' : decision.kind === 'retry' ? 're-queued' : 'failed';
        this.log.writeCounted(updated.seq, updated.log_lines, now, `${error} Recovered at start-up: ${what} (${decision.reason}).`);
        rescued.push(rowToJob(updated));
      }
      return rescued;
    })();
  }

  async suspendJob(jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return this.applyCountedTransition(this.stmt.suspend, jobId, at, logLine);
  }

  async resumeSuspendedJob(jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return this.applyCountedTransition(this.stmt.resumeSuspended, jobId, at, logLine);
  }

  private applyCountedTransition(statement: Database.Statement, jobId: string, at: number, logLine: string): Promise<TransitionResult> {
    return Promise.resolve(
      this.db.transaction(() => {
        const row = statement.get({ jobId, at }) as JobRow | undefined;
        if (!row) {
          const current = this.stmt.byId.get(jobId);
          if (!current) throw notFound(jobId);
          return { job: rowToJob(current), applied: false };
        }
        this.log.writeCounted(row.seq, row.log_lines, at, logLine);
        return { job: rowToJob(row), applied: true };
      })(),
    );
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
    const row = this.stmt.flags.get()!;
    return { queuePaused: row.queue_paused === 1, pausedCategories: JSON.parse(row.paused_categories) as ResourceCategory[] };
  }

  async setQueueFlags(flags: QueueFlags): Promise<void> {
    this.stmt.setFlags.run(flags.queuePaused ? 1 : 0, JSON.stringify(flags.pausedCategories));
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}

/** The log line of an outcome; an attempt that ended otherwise after a cancel was asked for says so. */
function outcomeLogLine(o: AttemptOutcome, status: string): string {
  return status === 'cancelled' && o.kind !== 'cancelled' ? `Cancelled, as asked: the attempt has ended (${o.logLine})` : o.logLine;
}

function notFound(jobId: string): AppError {
  return new AppError('NOT_FOUND', `No job with id ${jobId}.`, { jobId });
}

/** The columns a user's action (pause, resume, retry, cancel at once) sets besides its status. */
function manualTransitionSets(action: ManualAction | 'cancel', at: number): { sql: string; args: Record<string, unknown> } {
  const sets = [setStatusOf(action), 'updated_at = @at'];
  switch (action) {
    case 'cancel':
      sets.push('completed_at = @at', 'vram_reserved = 0', 'waiting_reason = NULL', 'retry_after = NULL');
      break;
    case 'pause':
      sets.push('waiting_reason = NULL');
      break;
    case 'resume':
    case 'retry':
      sets.push('enqueued_at = @at', 'waiting_reason = NULL', 'retry_after = NULL');
      if (action === 'retry') sets.push('retry_count = retry_count + 1', 'progress = 0', 'started_at = NULL', 'completed_at = NULL');
      sets.push('cancel_requested_at = NULL'); // a new attempt starts without the old one's cancel
      break;
  }
  return { sql: sets.join(', '), args: { at } };
}
