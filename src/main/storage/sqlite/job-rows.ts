/** Mapping between SQLite rows and the store's JobRecord. */
import type { JobType } from '../../../shared/domain/job-types';
import type { JobStatus, ResourceCategory } from '../../../shared/domain/statuses';
import type { JobRecord } from '../../core/ports';

export interface JobRow {
  seq: number;
  id: string;
  type: string;
  status: string;
  params: string;
  progress: number;
  priority: number;
  waiting_reason: string | null;
  resource_category: string;
  vram_required: number;
  vram_reserved: number;
  created_at: number;
  enqueued_at: number;
  started_at: number | null;
  completed_at: number | null;
  retry_count: number;
  max_retries: number;
  retry_after: number | null;
  last_error: string | null;
  node_id: string | null;
  created_by: string | null;
  attempt: number;
  log_lines: number;
  log_dropped: number;
  /** Unused since `suspended` became a status (the column stays: dropping it rewrites the table). */
  suspended: number;
  /** Absent from rows read before the migration that added it ran (never, after open). */
  cancel_requested_at?: number | null;
  /** A pipeline step's job: its run and the job of the step it came after (absent before that migration). */
  pipeline_run_id?: string | null;
  parent_job_id?: string | null;
  /** The GPU the attempt was placed on (absent before that migration). */
  gpu_index?: number | null;
  gpu_uuid?: string | null;
  updated_at: number;
}

export function rowToJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    seq: row.seq,
    type: row.type as JobType,
    status: row.status as JobStatus,
    params: JSON.parse(row.params) as Record<string, unknown>,
    progress: row.progress,
    priority: row.priority,
    waitingReason: row.waiting_reason,
    resourceCategory: row.resource_category as ResourceCategory,
    vramRequired: row.vram_required,
    vramReserved: row.vram_reserved,
    createdAt: row.created_at,
    enqueuedAt: row.enqueued_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    retryCount: row.retry_count,
    maxRetries: row.max_retries,
    retryAfter: row.retry_after,
    lastError: row.last_error,
    nodeId: row.node_id,
    createdBy: row.created_by ?? null,
    attempt: row.attempt,
    logLines: row.log_lines,
    logDropped: row.log_dropped,
    cancelRequestedAt: row.cancel_requested_at ?? null,
    pipelineRunId: row.pipeline_run_id ?? null,
    parentJobId: row.parent_job_id ?? null,
    gpuIndex: row.gpu_index ?? null,
    gpuUuid: row.gpu_uuid ?? null,
  };
}
