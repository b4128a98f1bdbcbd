/**
 * Job statuses and resource categories of the spec (plus `suspended`: a running job whose process a
 * pause stopped, its slot and VRAM still held). Pure data: imported by every layer.
 */
export const JOB_STATUSES = [
  'pending',
  'queued',
  'running',
  'suspended',
  'completed',
  'failed',
  'cancelled',
  'paused',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * What each status means for the queue. The one place that says it: core's lifecycle table, the
 * stores' SQL predicates, the counts and the UI derive from it (a new status must be classed here,
 * or nothing compiles).
 * - waiting: the dispatcher may start it (pending: not looked at yet; queued: looked at, waiting
 *   for resources or a retry time);
 * - live: an attempt holds a slot (and its VRAM) on a node: running, or suspended (its process
 *   stopped by a pause, its slot kept);
 * - paused: held back by a user before it started; no slot, no attempt;
 * - final: never left on its own (only a manual retry reopens failed/cancelled).
 */
export type StatusClass = 'waiting' | 'live' | 'paused' | 'final';
export const STATUS_CLASS: Readonly<Record<JobStatus, StatusClass>> = {
  pending: 'waiting',
  queued: 'waiting',
  running: 'live',
  suspended: 'live',
  completed: 'final',
  failed: 'final',
  cancelled: 'final',
  paused: 'paused',
};

/** The statuses of one class, in JOB_STATUSES order. */
export function statusesOf(statusClass: StatusClass): readonly JobStatus[] {
  return JOB_STATUSES.filter((s) => STATUS_CLASS[s] === statusClass);
}

/** Statuses a job never leaves on its own (only a manual retry reopens failed/cancelled). */
export const FINAL_STATUSES: readonly JobStatus[] = statusesOf('final');

/** Statuses of jobs that wait for the dispatcher (pending: not looked at yet; queued: looked at, waiting for resources or a retry time). */
export const WAITING_STATUSES: readonly JobStatus[] = statusesOf('waiting');

/** Statuses of jobs whose attempt holds a slot and its VRAM on a node (running, suspended). */
export const LIVE_STATUSES: readonly JobStatus[] = statusesOf('live');

export const RESOURCE_CATEGORIES = ['cpu', 'gpu_encode', 'gpu_ai'] as const;
export type ResourceCategory = (typeof RESOURCE_CATEGORIES)[number];

export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 10;
export const DEFAULT_PRIORITY = 5;
export const DEFAULT_MAX_RETRIES = 3;

export function isFinalStatus(status: JobStatus): boolean {
  return STATUS_CLASS[status] === 'final';
}

/** Whether an attempt holds a slot for the job (running or suspended). */
export function isLiveStatus(status: JobStatus): boolean {
  return STATUS_CLASS[status] === 'live';
}
