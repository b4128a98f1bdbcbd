/**
 * How jobs look and what can be done with them: status colours (the spec's: pending grey, queued
 * blue, running yellow, completed green, failed red), priority colours, category labels, icons,
 * and the actions each status allows (mirrors the lifecycle table of the runtime).
 */
import type { JobType } from '../../../shared/domain/job-types';
import type { JobStatus, ResourceCategory } from '../../../shared/domain/statuses';
import type { IconName } from '../components/icons';

export const STATUS_COLORS: Readonly<Record<JobStatus, string>> = {
  pending: 'gray',
  queued: 'blue',
  running: 'yellow',
  // holds its slot like a running job; shown as an outline (its process is stopped)
  suspended: 'yellow',
  completed: 'green',
  failed: 'red',
  cancelled: 'dark',
  paused: 'gray',
};

export const STATUS_LABELS: Readonly<Record<JobStatus, string>> = {
  pending: 'Pending',
  queued: 'Queued',
  running: 'Running',
  suspended: 'Suspended',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  paused: 'Paused',
};

export const CATEGORY_LABELS: Readonly<Record<ResourceCategory, string>> = {
  cpu: 'CPU',
  gpu_encode: 'GPU Encode',
  gpu_ai: 'GPU AI',
};

export const CATEGORY_COLORS: Readonly<Record<ResourceCategory, string>> = {
  cpu: 'cyan',
  gpu_encode: 'violet',
  gpu_ai: 'grape',
};

/** 1–3 red, 4–6 orange, 7–10 the default colour. */
export function priorityColor(priority: number): string | undefined {
  if (priority <= 3) return 'red';
  if (priority <= 6) return 'orange';
  return undefined;
}

export const JOB_TYPE_ICONS: Readonly<Record<JobType, IconName>> = {
  scan: 'scan',
  public_scan: 'scan',
  validate: 'validate',
  reencode_streaming: 'encode',
  compile_random: 'grid',
  compile_quad: 'grid',
  compile_mega: 'grid',
  compile_gif: 'gif',
  digest_generate: 'ai',
  clip_generate: 'ai',
  highlight_generate: 'ai',
  tag_generation: 'ai',
  scene_extract: 'ai',
  thumbnail_generate: 'image',
  move_to_library: 'move',
  transcode: 'encode',
  encode_chunk: 'encode',
  encode_audio: 'encode',
};

export type JobAction = 'retry' | 'cancel' | 'pause' | 'resume' | 'priority';

const ACTION_STATUSES: Readonly<Record<JobAction, readonly JobStatus[]>> = {
  retry: ['failed', 'cancelled'],
  cancel: ['pending', 'queued', 'running', 'suspended', 'paused'],
  // a running job is suspended (its process stopped, its slot kept)
  pause: ['pending', 'queued', 'running'],
  // a suspended job is continued (running again), a paused one goes back to the queue
  resume: ['paused', 'suspended'],
  priority: ['pending', 'queued', 'paused'],
};

export function canDo(action: JobAction, status: JobStatus): boolean {
  return ACTION_STATUSES[action].includes(status);
}

export function actionsFor(status: JobStatus): JobAction[] {
  return (Object.keys(ACTION_STATUSES) as JobAction[]).filter((a) => canDo(a, status));
}

export const ACTION_LABELS: Readonly<Record<JobAction, string>> = {
  retry: 'Retry',
  cancel: 'Cancel',
  pause: 'Pause',
  resume: 'Resume',
  priority: 'Change priority',
};

export function actionLabel(action: JobAction, status: JobStatus): string {
  if (action === 'pause' && status === 'running') return 'Suspend';
  return ACTION_LABELS[action];
}

export function progressColor(status: JobStatus): string {
  if (status === 'completed') return 'green';
  if (status === 'failed') return 'red';
  if (status === 'running') return 'yellow';
  if (status === 'queued') return 'blue';
  return 'gray';
}
