/**
 * The PipelineStore on the embedded SQLite database (the job store's connection: one file, one
 * lock). Every method is one synchronous transaction; the decisions other writers could race for
 * (the loop breaker's claim with the run insert, a step's claim, a schedule slot) are conditional
 * statements inside it.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contracts/errors';
import type { PipelineDocument } from '../../../shared/domain/pipeline';
import type {
  ContentFingerprint,
  NewPipeline,
  NewRun,
  PipelineRecord,
  PipelineStore,
  PipelineUpdate,
  ProcessedContent,
  RunCounts,
  RunRecord,
  RunStatus,
  StartRunResult,
  StepPatch,
  StepState,
  UpdateResult,
} from '../../core/pipeline-ports';
import { buildCounts, rowToPipeline, rowToRun, runsToAdvanceSql, stepsByRun, stepsChanged, type PipelineRow, type RunRow, type StepRow } from '../pipeline-rows';

const nameTaken = (name: string) => new AppError('NAME_TAKEN', `A pipeline named "${name}" exists already.`, { name });

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT_UNIQUE');
}

export class SqlitePipelineStore implements PipelineStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      pipeline: db.prepare<[string], PipelineRow>('SELECT * FROM pipelines WHERE id = ?'),
      pipelines: db.prepare<[], PipelineRow>('SELECT * FROM pipelines ORDER BY name COLLATE NOCASE, id'),
      insertPipeline: db.prepare(`INSERT INTO pipelines (id, name, enabled, version, steps_version, document, created_at, updated_at, created_by, updated_by)
        VALUES (@id, @name, @enabled, 1, 1, @document, @at, @at, @by, @by)`),
      insertVersion: db.prepare('INSERT INTO pipeline_versions (pipeline_id, version, document, created_at) VALUES (?, ?, ?, ?)'),
      version: db.prepare<[string, number], { document: string }>('SELECT document FROM pipeline_versions WHERE pipeline_id = ? AND version = ?'),
      fingerprint: db.prepare<[string, number, number, number, string], { run_id: string | null; at: number }>(
        'SELECT run_id, at FROM pipeline_fingerprints WHERE pipeline_id = ? AND steps_version = ? AND size_bytes = ? AND mtime_ms = ? AND hash = ?'),
      claimFingerprint: db.prepare(`INSERT INTO pipeline_fingerprints (pipeline_id, steps_version, size_bytes, mtime_ms, hash, run_id, kind, at)
        VALUES (@pipelineId, @stepsVersion, @sizeBytes, @mtimeMs, @hash, @runId, @kind, @at)
        ON CONFLICT (pipeline_id, steps_version, size_bytes, mtime_ms, hash) DO UPDATE SET run_id = excluded.run_id, kind = excluded.kind, at = excluded.at`),
      outputFingerprint: db.prepare(`INSERT INTO pipeline_fingerprints (pipeline_id, steps_version, size_bytes, mtime_ms, hash, run_id, kind, at)
        VALUES (?, ?, ?, ?, ?, ?, 'output', ?) ON CONFLICT DO NOTHING`),
      processed: db.prepare<[string, number, number], { size_bytes: number; mtime_ms: number; run_id: string | null; at: number }>(
        'SELECT size_bytes, mtime_ms, run_id, at FROM pipeline_fingerprints WHERE pipeline_id = ? AND steps_version = ? AND at >= ?'),
      insertRun: db.prepare(`INSERT INTO pipeline_runs (id, pipeline_id, pipeline_version, steps_version, video_id, trigger, trigger_detail, forced, status, created_at, updated_at)
        VALUES (@id, @pipelineId, @pipelineVersion, @stepsVersion, @videoId, @trigger, @triggerDetail, @forced, 'running', @createdAt, @createdAt)`),
      insertStep: db.prepare("INSERT INTO pipeline_run_steps (run_id, idx, step_id, state) VALUES (?, ?, ?, 'waiting')"),
      run: db.prepare<[string], RunRow>('SELECT * FROM pipeline_runs WHERE id = ?'),
      stepsOf: db.prepare<[string], StepRow>('SELECT * FROM pipeline_run_steps WHERE run_id = ?'),
      stepsOfMany: db.prepare<[string], StepRow>('SELECT * FROM pipeline_run_steps WHERE run_id IN (SELECT value FROM json_each(?))'),
      toAdvance: db.prepare<[number], { id: string }>(runsToAdvanceSql('?')),
      claimStep: db.prepare(`UPDATE pipeline_run_steps SET state = 'running', skip_kind = NULL, job_id = @jobId, params = @params, reason = NULL, started_at = @at, ended_at = NULL
        WHERE run_id = @runId AND step_id = @stepId AND (state = 'waiting' OR (state = 'skipped' AND skip_kind = 'branch'))`),
      touchRun: db.prepare('UPDATE pipeline_runs SET updated_at = ? WHERE id = ?'),
      setStatus: db.prepare(`UPDATE pipeline_runs SET status = @status, updated_at = @at,
        ended_at = CASE WHEN @status = 'running' THEN NULL ELSE coalesce(ended_at, @at) END WHERE id = @id AND status <> @status`),
      outputOf: db.prepare<[string], { id: string }>('SELECT id FROM videos WHERE source_job_id = ? ORDER BY created_at DESC, id LIMIT 1'),
      pipelinesOf: db.prepare<[string], { job_id: string; pipeline_id: string }>(
        'SELECT s.job_id, r.pipeline_id FROM pipeline_run_steps s JOIN pipeline_runs r ON r.id = s.run_id WHERE s.job_id IN (SELECT value FROM json_each(?))'),
      slot: db.prepare('INSERT INTO pipeline_schedule_slots (pipeline_id, scheduled_at, claimed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    };
  }

  async createPipeline(p: NewPipeline): Promise<PipelineRecord> {
    const document = JSON.stringify(p.document);
    try {
      return this.db.transaction(() => {
        this.stmt.insertPipeline.run({ id: p.id, name: p.document.name, enabled: p.enabled ? 1 : 0, document, at: p.at, by: p.by });
        this.stmt.insertVersion.run(p.id, 1, document, p.at);
        return rowToPipeline(this.stmt.pipeline.get(p.id)!);
      })();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(p.document.name);
      throw error;
    }
  }

  async getPipeline(id: string): Promise<PipelineRecord | undefined> {
    const row = this.stmt.pipeline.get(id);
    return row ? rowToPipeline(row) : undefined;
  }

  async listPipelines(): Promise<PipelineRecord[]> {
    return this.stmt.pipelines.all().map(rowToPipeline);
  }

  async updatePipeline(u: PipelineUpdate): Promise<UpdateResult> {
    try {
      return this.db.transaction((): UpdateResult => {
        const row = this.stmt.pipeline.get(u.id);
        if (!row) return { kind: 'not_found' };
        const current = rowToPipeline(row);
        if (current.version !== u.expectedVersion) return { kind: 'conflict', current };
        const version = current.version + 1;
        const stepsVersion = stepsChanged(current.document, u.document) ? version : current.stepsVersion;
        const document = JSON.stringify(u.document);
        this.db
          .prepare('UPDATE pipelines SET name = ?, enabled = ?, version = ?, steps_version = ?, document = ?, updated_at = ?, updated_by = ? WHERE id = ?')
          .run(u.document.name, u.enabled ? 1 : 0, version, stepsVersion, document, u.at, u.by, u.id);
        this.stmt.insertVersion.run(u.id, version, document, u.at);
        return { kind: 'updated', pipeline: rowToPipeline(this.stmt.pipeline.get(u.id)!) };
      })();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(u.document.name);
      throw error;
    }
  }

  async deletePipeline(id: string): Promise<boolean> {
    return this.db.transaction(() => {
      const { changes } = this.db.prepare('DELETE FROM pipelines WHERE id = ?').run(id);
      this.db.prepare('DELETE FROM pipeline_fingerprints WHERE pipeline_id = ?').run(id);
      this.db.prepare('DELETE FROM pipeline_schedule_slots WHERE pipeline_id = ?').run(id);
      return changes > 0;
    })();
  }

  async getPipelineVersion(pipelineId: string, version: number): Promise<PipelineDocument | undefined> {
    const row = this.stmt.version.get(pipelineId, version);
    return row ? (JSON.parse(row.document) as PipelineDocument) : undefined;
  }

  async runCounts(pipelineIds: readonly string[]): Promise<Map<string, RunCounts>> {
    const ids = JSON.stringify(pipelineIds);
    const counts = this.db
      .prepare<[string], { pipeline_id: string; status: RunStatus; n: number }>(
        'SELECT pipeline_id, status, count(*) AS n FROM pipeline_runs WHERE pipeline_id IN (SELECT value FROM json_each(?)) GROUP BY pipeline_id, status')
      .all(ids);
    const last = this.db
      .prepare<[string], { pipeline_id: string; status: RunStatus; created_at: number }>(
        `SELECT pipeline_id, status, created_at FROM (SELECT pipeline_id, status, created_at,
           row_number() OVER (PARTITION BY pipeline_id ORDER BY created_at DESC, id DESC) AS k
         FROM pipeline_runs WHERE pipeline_id IN (SELECT value FROM json_each(?))) WHERE k = 1`)
      .all(ids);
    return buildCounts(pipelineIds, counts, last);
  }

  async startRun(n: NewRun): Promise<StartRunResult> {
    const { run, fingerprint: f } = n;
    return this.db.transaction((): StartRunResult => {
      const existing = this.stmt.fingerprint.get(run.pipelineId, run.stepsVersion, f.sizeBytes, f.mtimeMs, f.hash);
      const expired = existing !== undefined && n.repeatBefore !== null && existing.at < n.repeatBefore;
      if (existing && !n.force && !expired) return { started: false, previousRunId: existing.run_id };
      this.stmt.claimFingerprint.run({ pipelineId: run.pipelineId, stepsVersion: run.stepsVersion, ...f, runId: run.id, kind: 'input', at: run.createdAt });
      this.stmt.insertRun.run({ ...run, forced: run.forced ? 1 : 0 });
      n.stepIds.forEach((stepId, idx) => this.stmt.insertStep.run(run.id, idx, stepId));
      return { started: true, run: this.readRun(run.id)! };
    })();
  }

  async recordOutputContent(pipelineId: string, stepsVersion: number, f: ContentFingerprint, runId: string, at: number): Promise<void> {
    this.stmt.outputFingerprint.run(pipelineId, stepsVersion, f.sizeBytes, f.mtimeMs, f.hash, runId, at);
  }

  async listProcessedContent(pipelineId: string, stepsVersion: number, since: number | null): Promise<ProcessedContent[]> {
    return this.stmt.processed.all(pipelineId, stepsVersion, since ?? Number.MIN_SAFE_INTEGER).map((r) => ({ sizeBytes: r.size_bytes, mtimeMs: r.mtime_ms, runId: r.run_id, at: r.at }));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return this.readRun(id);
  }

  private readRun(id: string): RunRecord | undefined {
    const row = this.stmt.run.get(id);
    return row ? rowToRun(row, this.stmt.stepsOf.all(id)) : undefined;
  }

  async listRuns(pipelineId: string, filter: { readonly status?: RunStatus }, offset: number, limit: number): Promise<{ rows: RunRecord[]; total: number }> {
    return this.db.transaction(() => {
      const where = filter.status ? 'WHERE pipeline_id = ? AND status = ?' : 'WHERE pipeline_id = ?';
      const args = filter.status ? [pipelineId, filter.status] : [pipelineId];
      const rows = this.db.prepare(`SELECT * FROM pipeline_runs ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`).all(...args, limit, offset) as RunRow[];
      const { n } = this.db.prepare(`SELECT count(*) AS n FROM pipeline_runs ${where}`).get(...args) as { n: number };
      const steps = stepsByRun(rows.length > 0 ? this.stmt.stepsOfMany.all(JSON.stringify(rows.map((r) => r.id))) : []);
      return { rows: rows.map((r) => rowToRun(r, steps.get(r.id) ?? [])), total: n };
    })();
  }

  async listRunsToAdvance(limit: number): Promise<string[]> {
    return this.stmt.toAdvance.all(limit).map((r) => r.id);
  }

  async claimStep(runId: string, stepId: string, jobId: string, params: Record<string, unknown>, at: number): Promise<boolean> {
    return this.db.transaction(() => {
      const { changes } = this.stmt.claimStep.run({ runId, stepId, jobId, params: JSON.stringify(params), at });
      if (changes > 0) this.stmt.touchRun.run(at, runId);
      return changes > 0;
    })();
  }

  async updateStep(runId: string, stepId: string, from: readonly StepState[], patch: StepPatch, at: number): Promise<boolean> {
    const sets = ['state = @state'];
    const differs = ['state IS NOT @state'];
    const args: Record<string, unknown> = { runId, stepId, state: patch.state, from: JSON.stringify(from) };
    for (const [key, column] of [['skipKind', 'skip_kind'], ['reason', 'reason'], ['outputVideoId', 'output_video_id'], ['endedAt', 'ended_at']] as const) {
      if (patch[key] === undefined) continue;
      args[key] = patch[key];
      sets.push(`${column} = @${key}`);
      differs.push(`${column} IS NOT @${key}`);
    }
    return this.db.transaction(() => {
      const { changes } = this.db
        .prepare(`UPDATE pipeline_run_steps SET ${sets.join(', ')} WHERE run_id = @runId AND step_id = @stepId
          AND state IN (SELECT value FROM json_each(@from)) AND (${differs.join(' OR ')})`)
        .run(args);
      if (changes > 0) this.stmt.touchRun.run(at, runId);
      return changes > 0;
    })();
  }

  async setRunStatus(runId: string, status: RunStatus, at: number): Promise<boolean> {
    return this.stmt.setStatus.run({ id: runId, status, at }).changes > 0;
  }

  async outputVideoOf(jobId: string): Promise<string | null> {
    return this.stmt.outputOf.get(jobId)?.id ?? null;
  }

  async pipelinesOfJobs(jobIds: readonly string[]): Promise<Map<string, string>> {
    if (jobIds.length === 0) return new Map();
    return new Map(this.stmt.pipelinesOf.all(JSON.stringify(jobIds)).map((r) => [r.job_id, r.pipeline_id]));
  }

  async claimScheduleSlot(pipelineId: string, scheduledAt: number, at: number): Promise<boolean> {
    return this.stmt.slot.run(pipelineId, scheduledAt, at).changes > 0;
  }
}
