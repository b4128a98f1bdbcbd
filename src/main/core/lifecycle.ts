/**
 * The job lifecycle as a table. Every status change in the system is one of these actions;
 * anything not listed is refused with INVALID_TRANSITION and a message a person understands.
 *
 *   pending ──look at──▶ queued ──start──▶ running ──complete──▶ completed
 *      │  ╲                │ ▲                │ ├──fail──────────▶ failed ──retry──▶ pending
 *      │   ╲──start────────┼─┼───────────────▶│ ├──scheduleRetry─▶ queued (retryAfter set)
 *      │                   │ │                │ ├──interrupt─────▶ pending (shutdown, no retry spent)
 *   pause/resume ◀─────────┘ │                │ ├──recover───────▶ queued | failed (after a crash)
 *                            │                │ └──suspend───────▶ paused (process stopped, slot held) ──resumeSuspended──▶ running
 *   paused                   └───────────────── cancel (any non-final) ─▶ cancelled ──retry──▶ pending
 *
 * A waiting job (pending, queued, paused without a process) is cancelled at once. Cancel of a LIVE
 * job (running, or suspended) takes two steps, so the status never claims what is not yet true
 * (JobStore.cancelJob decides which): requestCancel keeps the status and marks the job cancelling
 * (cancelRequestedAt); the node running it stops its tool (SIGINT, SIGKILL after 1 s) and removes
 * its partial files, and only then does the attempt's end (finishCancel) make it cancelled. An attempt that failed or was
 * interrupted meanwhile, or is rescued after its node died, ends cancelled too; one that completed
 * first stays completed.
 */
import { AppError } from '../../shared/contracts/errors';
import type { JobStatus } from '../../shared/domain/statuses';

export type LifecycleAction =
  | 'lookAt'
  | 'start'
  | 'complete'
  | 'fail'
  | 'scheduleRetry'
  | 'interrupt'
  | 'recover'
  | 'cancel'
  | 'requestCancel'
  | 'finishCancel'
  | 'pause'
  | 'suspend'
  | 'resume'
  | 'resumeSuspended'
  | 'retry'
  | 'setPriority';

interface TransitionRule {
  readonly from: readonly JobStatus[];
  /** The status after the action; null when the action does not change the status. */
  readonly to: JobStatus | null;
  /** Shown when the action is refused, after "Cannot <verb> a job that is <status>". */
  readonly verb: string;
  readonly allowedHint: string;
}

export const TRANSITIONS: Readonly<Record<LifecycleAction, TransitionRule>> = {
  lookAt: { from: ['pending'], to: 'queued', verb: 'queue', allowedHint: 'only pending jobs' },
  start: { from: ['pending', 'queued'], to: 'running', verb: 'start', allowedHint: 'only pending or queued jobs' },
  complete: { from: ['running'], to: 'completed', verb: 'complete', allowedHint: 'only running jobs' },
  fail: { from: ['running'], to: 'failed', verb: 'fail', allowedHint: 'only running jobs' },
  scheduleRetry: { from: ['running'], to: 'queued', verb: 'schedule a retry of', allowedHint: 'only running jobs' },
  interrupt: { from: ['running'], to: 'pending', verb: 'interrupt', allowedHint: 'only running jobs' },
  recover: { from: ['running'], to: 'queued', verb: 'recover', allowedHint: 'only running jobs' },
  cancel: { from: ['pending', 'queued', 'running', 'paused'], to: 'cancelled', verb: 'cancel', allowedHint: 'only jobs that have not ended' },
  requestCancel: { from: ['running', 'paused'], to: null, verb: 'cancel', allowedHint: 'only jobs that have not ended' },
  finishCancel: { from: ['running', 'paused'], to: 'cancelled', verb: 'finish cancelling', allowedHint: 'only running or suspended jobs' },
  pause: { from: ['pending', 'queued'], to: 'paused', verb: 'pause', allowedHint: 'only pending or queued jobs' },
  suspend: { from: ['running'], to: 'paused', verb: 'suspend', allowedHint: 'only running jobs' },
  resume: { from: ['paused'], to: 'pending', verb: 'resume', allowedHint: 'only paused jobs' },
  resumeSuspended: { from: ['paused'], to: 'running', verb: 'resume', allowedHint: 'only suspended jobs' },
  retry: { from: ['failed', 'cancelled'], to: 'pending', verb: 'retry', allowedHint: 'only failed or cancelled jobs' },
  setPriority: { from: ['pending', 'queued', 'paused'], to: null, verb: 'change the priority of', allowedHint: 'only waiting or paused jobs' },
};

export function canTransition(status: JobStatus, action: LifecycleAction): boolean {
  return TRANSITIONS[action].from.includes(status);
}

/** The error for a refused action, worded for the person who asked. */
export function transitionRefused(status: JobStatus, action: LifecycleAction, jobId?: string): AppError {
  const rule = TRANSITIONS[action];
  return new AppError(
    'INVALID_TRANSITION',
    `Cannot ${rule.verb} a job that is ${status} (${rule.allowedHint} can be).`,
    { status, action, ...(jobId ? { jobId } : {}) },
  );
}

/** The status after `action`, or throws INVALID_TRANSITION. */
export function nextStatus(status: JobStatus, action: LifecycleAction): JobStatus {
  if (!canTransition(status, action)) throw transitionRefused(status, action);
  return TRANSITIONS[action].to ?? status;
}
