/**
 * Mapping between PostgreSQL rows and the stores' records. node-postgres returns BIGINT as a
 * string (it may not fit a JS number); seqs and epoch-millisecond timestamps always do, so the
 * stores' pools read them as numbers (pg-db.ts) and rows from any other client are converted here:
 * the records are identical to the SQLite adapter's.
 */
import type { JobType } from '../../../shared/domain/job-types';
import type { Orientation, VideoDirectory } from '../../../shared/domain/library';
import type { JobStatus, ResourceCategory } from '../../../shared/domain/statuses';
import type { VideoRecord } from '../../core/library-ports';
import type { JobRecord } from '../../core/ports';

type BigInt8 = string | number;

export interface PgJobRow {
  seq: BigInt8;
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
  created_at: BigInt8;
  enqueued_at: BigInt8;
  started_at: BigInt8 | null;
  completed_at: BigInt8 | null;
  retry_count: number;
  max_retries: number;
  retry_after: BigInt8 | null;
  last_error: string | null;
  node_id: string | null;
  created_by: string | null;
  attempt: number;
  log_lines: number;
  log_dropped: number;
  cancel_requested_at: BigInt8 | null;
  /** A pipeline step's job: its run and the job of the step it came after. */
  pipeline_run_id?: string | null;
  parent_job_id?: string | null;
  /** The GPU the attempt was placed on. */
  gpu_index?: number | null;
  gpu_uuid?: string | null;
  updated_at: BigInt8;
}

const num = (v: BigInt8): number => Number(v);
const numOrNull = (v: BigInt8 | null): number | null => (v === null ? null : Number(v));

const JOB_COLUMN_NAMES = ['seq', 'id', 'type', 'status', 'params', 'progress', 'priority', 'waiting_reason', 'resource_category', 'vram_required', 'vram_reserved', 'created_at', 'enqueued_at', 'started_at', 'completed_at', 'retry_count', 'max_retries', 'retry_after', 'last_error', 'node_id', 'created_by', 'attempt', 'log_lines', 'log_dropped', 'cancel_requested_at', 'pipeline_run_id', 'parent_job_id', 'gpu_index', 'gpu_uuid', 'updated_at'] as const satisfies readonly (keyof PgJobRow)[];

/**
 * The columns of a PgJobRow, qualified by `table`, for RETURNING lists of PREPARED statements:
 * `RETURNING jobs.*` would change its result type when a newer node's migration adds a column,
 * and PostgreSQL then refuses every later execution of the prepared statement on that connection.
 */
export function jobColumns(table = 'jobs'): string {
  return JOB_COLUMN_NAMES.map((c) => `${table}.${c}`).join(', ');
}

export function rowToJob(row: PgJobRow): JobRecord {
  return {
    id: row.id,
    seq: num(row.seq),
    type: row.type as JobType,
    status: row.status as JobStatus,
    params: JSON.parse(row.params) as Record<string, unknown>,
    progress: row.progress,
    priority: row.priority,
    waitingReason: row.waiting_reason,
    resourceCategory: row.resource_category as ResourceCategory,
    vramRequired: row.vram_required,
    vramReserved: row.vram_reserved,
    createdAt: num(row.created_at),
    enqueuedAt: num(row.enqueued_at),
    startedAt: numOrNull(row.started_at),
    completedAt: numOrNull(row.completed_at),
    retryCount: row.retry_count,
    maxRetries: row.max_retries,
    retryAfter: numOrNull(row.retry_after),
    lastError: row.last_error,
    nodeId: row.node_id,
    createdBy: row.created_by ?? null,
    attempt: row.attempt,
    logLines: row.log_lines,
    logDropped: row.log_dropped,
    cancelRequestedAt: numOrNull(row.cancel_requested_at ?? null),
    pipelineRunId: row.pipeline_run_id ?? null,
    parentJobId: row.parent_job_id ?? null,
    gpuIndex: row.gpu_index ?? null,
    gpuUuid: row.gpu_uuid ?? null,
  };
}

export interface PgVideoRow {
  id: string;
  path: string;
  filename: string;
  title: string;
  directory_type: string;
  size_bytes: number | null;
  mtime_ms: number | null;
  duration_seconds: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  bitrate: number | null;
  orientation: string | null;
  has_audio: boolean | null;
  valid: boolean | null;
  validation_error: string | null;
  missing: boolean;
  thumbnail_path: string | null;
  reencode_job_id: string | null;
  source_job_id: string | null;
  created_at: BigInt8;
  updated_at: BigInt8;
  probed_at: BigInt8 | null;
}

export function rowToVideo(r: PgVideoRow): VideoRecord {
  return {
    id: r.id,
    path: r.path,
    filename: r.filename,
    title: r.title,
    directoryType: r.directory_type as VideoDirectory,
    sizeBytes: r.size_bytes,
    mtimeMs: r.mtime_ms,
    durationSeconds: r.duration_seconds,
    width: r.width,
    height: r.height,
    fps: r.fps,
    videoCodec: r.video_codec,
    audioCodec: r.audio_codec,
    bitrate: r.bitrate,
    orientation: r.orientation as Orientation | null,
    hasAudio: r.has_audio,
    valid: r.valid,
    validationError: r.validation_error,
    missing: r.missing,
    thumbnailPath: r.thumbnail_path,
    reencodeJobId: r.reencode_job_id,
    sourceJobId: r.source_job_id,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    probedAt: numOrNull(r.probed_at),
  };
}

/** PostgreSQL text cannot hold U+0000 (SQLite can): drop it from free text such as logs and errors. */
export function pgText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

/**
 * The array literal of `values` for an array parameter (`$1::text[]`, `$2::bigint[]`), built in one
 * pass. node-postgres builds it with two regular expressions per element, numbers included: on the
 * claim's hot path (ids, seqs, attempts and log lines of every job) a tenth of the node's
 * allocations. Text is quoted; only a backslash or a double quote needs escaping inside quotes.
 */
export function pgArray(values: readonly (string | number | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? null;
    if (i > 0) literal += ',';
    if (value === null) literal += 'NULL';
    else if (typeof value === 'number') literal += String(value);
    else literal += NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, '\\$&')}"` : `"${value}"`;
  }
  return `${literal}}`;
}
const NEEDS_ESCAPE = /[\\"]/;
const ESCAPED = /[\\"]/g;
