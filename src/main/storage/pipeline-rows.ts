/**
 * Rows of the pipeline tables, shared by the SQLite and PostgreSQL adapters (same columns; flags
 * are 0/1 in SQLite and booleans in PostgreSQL; documents and params are JSON text in both;
 * bigint columns arrive as numbers or numeric strings).
 */
import type { PipelineDocument } from '../../shared/domain/pipeline';
import { FINAL_STATUSES } from '../../shared/domain/statuses';
import { statusIn } from './status-sql';
import type { PipelineRecord, RunCounts, RunRecord, RunStatus, RunTrigger, SkipKind, StepRecord, StepState } from '../core/pipeline-ports';

type Num = number | string;
type Flag = number | boolean;

export interface PipelineRow {
  id: string;
  name: string;
  enabled: Flag;
  version: number;
  steps_version: number;
  document: string;
  created_at: Num;
  updated_at: Num;
  created_by: string | null;
  updated_by: string | null;
}

export interface RunRow {
  id: string;
  pipeline_id: string;
  pipeline_version: number;
  steps_version: number;
  video_id: string;
  trigger: string;
  trigger_detail: string | null;
  forced: Flag;
  status: string;
  created_at: Num;
  updated_at: Num;
  ended_at: Num | null;
}

export interface StepRow {
  run_id: string;
  idx: number;
  step_id: string;
  state: string;
  skip_kind: string | null;
  job_id: string | null;
  params: string | null;
  reason: string | null;
  output_video_id: string | null;
  started_at: Num | null;
  ended_at: Num | null;
}

const num = (v: Num): number => Number(v);
const numOrNull = (v: Num | null): number | null => (v === null ? null : Number(v));

export function rowToPipeline(r: PipelineRow): PipelineRecord {
  return {
    id: r.id,
    name: r.name,
    enabled: Boolean(r.enabled),
    version: r.version,
    stepsVersion: r.steps_version,
    document: JSON.parse(r.document) as PipelineDocument,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    createdBy: r.created_by,
    updatedBy: r.updated_by,
  };
}

export function rowToStep(r: StepRow): StepRecord {
  return {
    stepId: r.step_id,
    state: r.state as StepState,
    skipKind: r.skip_kind as SkipKind | null,
    jobId: r.job_id,
    params: r.params === null ? null : (JSON.parse(r.params) as Record<string, unknown>),
    reason: r.reason,
    outputVideoId: r.output_video_id,
    startedAt: numOrNull(r.started_at),
    endedAt: numOrNull(r.ended_at),
  };
}

export function rowToRun(r: RunRow, steps: readonly StepRow[]): RunRecord {
  return {
    id: r.id,
    pipelineId: r.pipeline_id,
    pipelineVersion: r.pipeline_version,
    stepsVersion: r.steps_version,
    videoId: r.video_id,
    trigger: r.trigger as RunTrigger,
    triggerDetail: r.trigger_detail,
    forced: Boolean(r.forced),
    status: r.status as RunStatus,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    endedAt: numOrNull(r.ended_at),
    steps: [...steps].sort((a, b) => a.idx - b.idx).map(rowToStep),
  };
}

/**
 * listRunsToAdvance in SQL both stores run (one `?`/`$1` placeholder: the limit, spelled by the
 * caller): running runs with no step running, or a step whose job ended, changed or is missing.
 */
export function runsToAdvanceSql(limitParam: string): string {
  return `SELECT r.id FROM pipeline_runs r WHERE r.status = 'running' AND (
      NOT EXISTS (SELECT 1 FROM pipeline_run_steps s WHERE s.run_id = r.id AND s.state = 'running')
      OR EXISTS (SELECT 1 FROM pipeline_run_steps s LEFT JOIN jobs j ON j.id = s.job_id
        WHERE s.run_id = r.id AND s.job_id IS NOT NULL AND (
          (s.state = 'running' AND (j.id IS NULL OR ${statusIn(FINAL_STATUSES, 'j.status')}))
          OR (s.state IN ('completed', 'failed', 'cancelled') AND j.id IS NOT NULL AND j.status <> s.state))))
    ORDER BY r.created_at LIMIT ${limitParam}`;
}

/** Groups step rows by run id. */
export function stepsByRun(rows: readonly StepRow[]): Map<string, StepRow[]> {
  const out = new Map<string, StepRow[]>();
  for (const row of rows) {
    const list = out.get(row.run_id);
    if (list) list.push(row);
    else out.set(row.run_id, [row]);
  }
  return out;
}

/** Whether two steps documents differ (the steps version moves only then). */
export function stepsChanged(a: PipelineDocument, b: PipelineDocument): boolean {
  return JSON.stringify(a.steps) !== JSON.stringify(b.steps);
}

/** Run counts and the last run per pipeline, from grouped rows (both adapters). */
export function buildCounts(
  pipelineIds: readonly string[],
  counts: readonly { pipeline_id: string; status: RunStatus; n: number | string }[],
  last: readonly { pipeline_id: string; status: RunStatus; created_at: number | string }[],
): Map<string, RunCounts> {
  const out = new Map<string, { running: number; completed: number; failed: number; cancelled: number; lastRunAt: number | null; lastRunStatus: RunStatus | null }>();
  for (const id of pipelineIds) out.set(id, { running: 0, completed: 0, failed: 0, cancelled: 0, lastRunAt: null, lastRunStatus: null });
  for (const c of counts) {
    const entry = out.get(c.pipeline_id);
    if (entry) entry[c.status] = Number(c.n);
  }
  for (const l of last) {
    const entry = out.get(l.pipeline_id);
    if (entry) Object.assign(entry, { lastRunAt: Number(l.created_at), lastRunStatus: l.status });
  }
  return out;
}
