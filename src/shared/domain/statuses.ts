/**
 * Job statuses and resource categories of the spec. Pure data: imported by every layer.
 */
export const JOB_STATUSES = [
  'pending',
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
  'paused',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a job never leaves on its own (only a manual retry reopens failed/cancelled). */
export const FINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** Statuses of jobs that wait for the dispatcher (pending: not looked at yet; queued: looked at, waiting for resources or a retry time). */
export const WAITING_STATUSES: readonly JobStatus[] = ['pending', 'queued'];

export const RESOURCE_CATEGORIES = ['cpu', 'gpu_encode', 'gpu_ai'] as const;
export type ResourceCategory = (typeof RESOURCE_CATEGORIES)[number];

export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 10;
export const DEFAULT_PRIORITY = 5;
export const DEFAULT_MAX_RETRIES = 3;

export function isFinalStatus(status: JobStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
