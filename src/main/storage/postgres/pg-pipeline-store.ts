/**
 * The PipelineStore on PostgreSQL, shared by every node of a fleet: the same semantics as the
 * SQLite adapter. What several nodes may decide at once is decided by the database: the loop
 * breaker's claim is one upsert whose conflict branch only takes the row over when forced or
 * expired (RETURNING tells whether it did), a step is claimed by a conditional update, and a
 * schedule slot by an insert that does nothing on conflict.
 */
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
import { inTransaction, type Pool, type Queryable } from './pg-db';
import { pgArray } from './pg-rows';

const nameTaken = (name: string) => new AppError('NAME_TAKEN', `A pipeline named "${name}" exists already.`, { name });
const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

export class PostgresPipelineStore implements PipelineStore {
  constructor(private readonly pool: Pool) {}

  async createPipeline(p: NewPipeline): Promise<PipelineRecord> {
    const document = JSON.stringify(p.document);
    try {
      return await inTransaction(this.pool, async (c) => {
        const { rows } = await c.query<PipelineRow>(
          `INSERT INTO pipelines (id, name, enabled, version, steps_version, document, created_at, updated_at, created_by, updated_by)
           VALUES ($1, $2, $3, 1, 1, $4, $5, $5, $6, $6) RETURNING *`,
          [p.id, p.document.name, p.enabled, document, p.at, p.by],
        );
        await c.query('INSERT INTO pipeline_versions (pipeline_id, version, document, created_at) VALUES ($1, 1, $2, $3)', [p.id, document, p.at]);
        return rowToPipeline(rows[0]!);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(p.document.name);
      throw error;
    }
  }

  async getPipeline(id: string): Promise<PipelineRecord | undefined> {
    const row = (await this.pool.query<PipelineRow>('SELECT * FROM pipelines WHERE id = $1', [id])).rows[0];
    return row ? rowToPipeline(row) : undefined;
  }

  async listPipelines(): Promise<PipelineRecord[]> {
    return (await this.pool.query<PipelineRow>('SELECT * FROM pipelines ORDER BY lower(name), id')).rows.map(rowToPipeline);
  }

  async updatePipeline(u: PipelineUpdate): Promise<UpdateResult> {
    try {
      return await inTransaction(this.pool, async (c): Promise<UpdateResult> => {
        const row = (await c.query<PipelineRow>('SELECT * FROM pipelines WHERE id = $1 FOR UPDATE', [u.id])).rows[0];
        if (!row) return { kind: 'not_found' };
        const current = rowToPipeline(row);
        if (current.version !== u.expectedVersion) return { kind: 'conflict', current };
        const version = current.version + 1;
        const stepsVersion = stepsChanged(current.document, u.document) ? version : current.stepsVersion;
        const document = JSON.stringify(u.document);
        const { rows } = await c.query<PipelineRow>(
          `UPDATE pipelines SET name = $2, enabled = $3, version = $4, steps_version = $5, document = $6, updated_at = $7, updated_by = $8 WHERE id = $1 RETURNING *`,
          [u.id, u.document.name, u.enabled, version, stepsVersion, document, u.at, u.by],
        );
        await c.query('INSERT INTO pipeline_versions (pipeline_id, version, document, created_at) VALUES ($1, $2, $3, $4)', [u.id, version, document, u.at]);
        return { kind: 'updated', pipeline: rowToPipeline(rows[0]!) };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(u.document.name);
      throw error;
    }
  }

  async deletePipeline(id: string): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      const { rowCount } = await c.query('DELETE FROM pipelines WHERE id = $1', [id]);
      await c.query('DELETE FROM pipeline_fingerprints WHERE pipeline_id = $1', [id]);
      await c.query('DELETE FROM pipeline_schedule_slots WHERE pipeline_id = $1', [id]);
      return (rowCount ?? 0) > 0;
    });
  }

  async getPipelineVersion(pipelineId: string, version: number): Promise<PipelineDocument | undefined> {
    const row = (await this.pool.query<{ document: string }>('SELECT document FROM pipeline_versions WHERE pipeline_id = $1 AND version = $2', [pipelineId, version])).rows[0];
    return row ? (JSON.parse(row.document) as PipelineDocument) : undefined;
  }

  async runCounts(pipelineIds: readonly string[]): Promise<Map<string, RunCounts>> {
    const ids = pgArray(pipelineIds);
    const [counts, last] = await Promise.all([
      this.pool.query<{ pipeline_id: string; status: RunStatus; n: string }>(
        'SELECT pipeline_id, status, count(*) AS n FROM pipeline_runs WHERE pipeline_id = ANY($1::text[]) GROUP BY pipeline_id, status',
        [ids],
      ),
      this.pool.query<{ pipeline_id: string; status: RunStatus; created_at: number }>(
        `SELECT DISTINCT ON (pipeline_id) pipeline_id, status, created_at FROM pipeline_runs
         WHERE pipeline_id = ANY($1::text[]) ORDER BY pipeline_id, created_at DESC, id DESC`,
        [ids],
      ),
    ]);
    return buildCounts(pipelineIds, counts.rows, last.rows);
  }

  async startRun(n: NewRun): Promise<StartRunResult> {
    const { run, fingerprint: f } = n;
    return inTransaction(this.pool, async (c): Promise<StartRunResult> => {
      // taken when new, or over an old claim when forced or expired; concurrent claims of the
      // same content serialise on the row, and the losers see it held
      const claimed = await c.query(
        `INSERT INTO pipeline_fingerprints AS fp (pipeline_id, steps_version, size_bytes, mtime_ms, hash, run_id, kind, at)
         VALUES ($1, $2, $3, $4, $5, $6, 'input', $7)
         ON CONFLICT (pipeline_id, steps_version, size_bytes, mtime_ms, hash) DO UPDATE SET run_id = excluded.run_id, kind = 'input', at = excluded.at
           WHERE $8::boolean OR ($9::bigint IS NOT NULL AND fp.at < $9::bigint)
         RETURNING run_id`,
        [run.pipelineId, run.stepsVersion, f.sizeBytes, f.mtimeMs, f.hash, run.id, run.createdAt, n.force, n.repeatBefore],
      );
      if (claimed.rowCount === 0) {
        const held = await c.query<{ run_id: string | null }>(
          'SELECT run_id FROM pipeline_fingerprints WHERE pipeline_id = $1 AND steps_version = $2 AND size_bytes = $3 AND mtime_ms = $4 AND hash = $5',
          [run.pipelineId, run.stepsVersion, f.sizeBytes, f.mtimeMs, f.hash],
        );
        return { started: false, previousRunId: held.rows[0]?.run_id ?? null };
      }
      await c.query(
        `INSERT INTO pipeline_runs (id, pipeline_id, pipeline_version, steps_version, video_id, trigger, trigger_detail, forced, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running', $9, $9)`,
        [run.id, run.pipelineId, run.pipelineVersion, run.stepsVersion, run.videoId, run.trigger, run.triggerDetail, run.forced, run.createdAt],
      );
      await c.query(
        `INSERT INTO pipeline_run_steps (run_id, idx, step_id, state)
         SELECT $1, ord - 1, step_id, 'waiting' FROM unnest($2::text[]) WITH ORDINALITY AS s(step_id, ord)`,
        [run.id, pgArray(n.stepIds)],
      );
      return { started: true, run: (await readRun(c, run.id))! };
    });
  }

  async recordOutputContent(pipelineId: string, stepsVersion: number, f: ContentFingerprint, runId: string, at: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO pipeline_fingerprints (pipeline_id, steps_version, size_bytes, mtime_ms, hash, run_id, kind, at)
       VALUES ($1, $2, $3, $4, $5, $6, 'output', $7) ON CONFLICT DO NOTHING`,
      [pipelineId, stepsVersion, f.sizeBytes, f.mtimeMs, f.hash, runId, at],
    );
  }

  async listProcessedContent(pipelineId: string, stepsVersion: number, since: number | null): Promise<ProcessedContent[]> {
    const { rows } = await this.pool.query<{ size_bytes: number; mtime_ms: number; run_id: string | null; at: number }>(
      'SELECT size_bytes, mtime_ms, run_id, at FROM pipeline_fingerprints WHERE pipeline_id = $1 AND steps_version = $2 AND ($3::bigint IS NULL OR at >= $3::bigint)',
      [pipelineId, stepsVersion, since],
    );
    return rows.map((r) => ({ sizeBytes: Number(r.size_bytes), mtimeMs: Number(r.mtime_ms), runId: r.run_id, at: Number(r.at) }));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return readRun(this.pool, id);
  }

  async listRuns(pipelineId: string, filter: { readonly status?: RunStatus }, offset: number, limit: number): Promise<{ rows: RunRecord[]; total: number }> {
    const status = filter.status ?? null;
    const [page, total] = await Promise.all([
      this.pool.query<RunRow>(
        'SELECT * FROM pipeline_runs WHERE pipeline_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4',
        [pipelineId, status, limit, offset],
      ),
      this.pool.query<{ n: string }>('SELECT count(*) AS n FROM pipeline_runs WHERE pipeline_id = $1 AND ($2::text IS NULL OR status = $2)', [pipelineId, status]),
    ]);
    const ids = page.rows.map((r) => r.id);
    const steps = stepsByRun(ids.length > 0 ? (await this.pool.query<StepRow>('SELECT * FROM pipeline_run_steps WHERE run_id = ANY($1::text[])', [pgArray(ids)])).rows : []);
    return { rows: page.rows.map((r) => rowToRun(r, steps.get(r.id) ?? [])), total: Number(total.rows[0]!.n) };
  }

  async listRunsToAdvance(limit: number): Promise<string[]> {
    return (await this.pool.query<{ id: string }>(runsToAdvanceSql('$1'), [limit])).rows.map((r) => r.id);
  }

  async claimStep(runId: string, stepId: string, jobId: string, params: Record<string, unknown>, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `WITH claimed AS (
         UPDATE pipeline_run_steps SET state = 'running', skip_kind = NULL, job_id = $3, params = $4, reason = NULL, started_at = $5, ended_at = NULL
         WHERE run_id = $1 AND step_id = $2 AND (state = 'waiting' OR (state = 'skipped' AND skip_kind = 'branch')) RETURNING run_id)
       UPDATE pipeline_runs SET updated_at = $5 WHERE id IN (SELECT run_id FROM claimed)`,
      [runId, stepId, jobId, JSON.stringify(params), at],
    );
    return (rowCount ?? 0) > 0;
  }

  async updateStep(runId: string, stepId: string, from: readonly StepState[], patch: StepPatch, at: number): Promise<boolean> {
    const args: unknown[] = [runId, stepId, pgArray(from), patch.state, at];
    const sets = ['state = $4'];
    const differs = ['state IS DISTINCT FROM $4'];
    for (const [key, column, type] of [['skipKind', 'skip_kind', 'text'], ['reason', 'reason', 'text'], ['outputVideoId', 'output_video_id', 'text'], ['endedAt', 'ended_at', 'bigint']] as const) {
      if (patch[key] === undefined) continue;
      args.push(patch[key]);
      sets.push(`${column} = $${args.length}::${type}`);
      differs.push(`${column} IS DISTINCT FROM $${args.length}::${type}`);
    }
    const { rowCount } = await this.pool.query(
      `WITH changed AS (
         UPDATE pipeline_run_steps SET ${sets.join(', ')}
         WHERE run_id = $1 AND step_id = $2 AND state = ANY($3::text[]) AND (${differs.join(' OR ')}) RETURNING run_id)
       UPDATE pipeline_runs SET updated_at = $5 WHERE id IN (SELECT run_id FROM changed)`,
      args,
    );
    return (rowCount ?? 0) > 0;
  }

  async setRunStatus(runId: string, status: RunStatus, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE pipeline_runs SET status = $2, updated_at = $3, ended_at = CASE WHEN $2 = 'running' THEN NULL ELSE coalesce(ended_at, $3) END
       WHERE id = $1 AND status <> $2`,
      [runId, status, at],
    );
    return (rowCount ?? 0) > 0;
  }

  async outputVideoOf(jobId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM videos WHERE source_job_id = $1 ORDER BY created_at DESC, id LIMIT 1', [jobId]);
    return rows[0]?.id ?? null;
  }

  async pipelinesOfJobs(jobIds: readonly string[]): Promise<Map<string, string>> {
    if (jobIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ job_id: string; pipeline_id: string }>(
      'SELECT s.job_id, r.pipeline_id FROM pipeline_run_steps s JOIN pipeline_runs r ON r.id = s.run_id WHERE s.job_id = ANY($1::text[])',
      [pgArray(jobIds)],
    );
    return new Map(rows.map((r) => [r.job_id, r.pipeline_id]));
  }

  async claimScheduleSlot(pipelineId: string, scheduledAt: number, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('INSERT INTO pipeline_schedule_slots (pipeline_id, scheduled_at, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [pipelineId, scheduledAt, at]);
    return (rowCount ?? 0) > 0;
  }
}

async function readRun(db: Queryable, id: string): Promise<RunRecord | undefined> {
  const run = (await db.query<RunRow>('SELECT * FROM pipeline_runs WHERE id = $1', [id])).rows[0];
  if (!run) return undefined;
  const steps = await db.query<StepRow>('SELECT * FROM pipeline_run_steps WHERE run_id = $1', [id]);
  return rowToRun(run, steps.rows);
}
