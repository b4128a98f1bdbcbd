/**
 * The job lifecycle as a table: the one place that says which action moves a job from what to
 * what. The stores render their SQL status predicates from it (storage/status-sql.ts), the runtime
 * asks it (canTransition, nextStatus, transitionRefused), and the tests are generated from it.
 * Anything not listed is refused with INVALID_TRANSITION and a message a person understands.
 * Status classes (waiting, live, paused, final) come from the domain (shared/domain/statuses.ts).
 *
 *   pending ──lookAt──▶ queued ──start──▶ running ──suspend──────────▶ suspended
 *      ╲─────────────start───────────────▶   ▲                            │
 *                                            └──────resumeSuspended───────┘
 *   pending | queued ──pause──▶ paused ──resume──▶ pending
 *
 *   live (running | suspended) ──complete──────▶ completed
 *                              ──fail──────────▶ failed ──retry──▶ pending
 *                              ──scheduleRetry─▶ queued (retryAfter set)
 *                              ──interrupt─────▶ pending (shutdown, no retry spent)
 *                              ──recover───────▶ queued (rescued after its node died; out of retries: fail)
 *                              ──requestCancel─▶ the same status, cancelling ──finishCancel──▶ cancelled
 *   pending | queued | paused  ──cancel────────▶ cancelled (at once) ──retry──▶ pending
 *
 * A waiting or paused job is cancelled at once (cancel). Cancel of a LIVE job takes two steps, so
 * the status never claims what is not yet true (JobStore.cancelJob picks the step: cancelActionFor):
 * requestCancel keeps the status and marks the job cancelling (cancelRequestedAt); the node running
 * it stops its tool (SIGINT, SIGKILL after 1 s) and removes its partial files, and only then does
 * the attempt's end (finishCancel) make it cancelled. An attempt that failed or was interrupted
 * meanwhile, or is rescued after its node died, ends cancelled too; one that completed first stays
 * completed.
 *
 * Why the attempt's outcomes (complete, fail, scheduleRetry, interrupt, recover) apply to a
 * SUSPENDED job too: an attempt's end is a fact, not a request. A tool can exit between the SIGSTOP
 * and the store's write (a process that has exited but is not reaped yet accepts the signal), or
 * be killed while stopped; a shutdown interrupts a suspended attempt like a running one. Refusing
 * such an outcome would leave a job suspended with no process, holding its slot until a restart.
 * Only the user's actions distinguish the two: pause suspends a running job, resume continues a
 * suspended one.
 */
import { AppError } from '../../shared/contracts/errors';
import { LIVE_STATUSES, WAITING_STATUSES, type JobStatus } from '../../shared/domain/statuses';

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

/** The user's actions a store applies with JobStore.transitionJob (the others have their own store methods). */
export type ManualAction = Extract<LifecycleAction, 'pause' | 'resume' | 'retry'>;

interface TransitionRule {
  readonly from: readonly JobStatus[];
  /** The status after the action; null when the action does not change the status. */
  readonly to: JobStatus | null;
  /** Shown when the action is refused, after "Cannot <verb> a job that is <status>". */
  readonly verb: string;
  readonly allowedHint: string;
}

const LIVE = LIVE_STATUSES;
const WAITING = WAITING_STATUSES;

export const TRANSITIONS: Readonly<Record<LifecycleAction, TransitionRule>> = {
  lookAt: { from: ['pending'], to: 'queued', verb: 'queue', allowedHint: 'only pending jobs' },
  start: { from: WAITING, to: 'running', verb: 'start', allowedHint: 'only pending or queued jobs' },
  complete: { from: LIVE, to: 'completed', verb: 'complete', allowedHint: 'only running or suspended jobs' },
  fail: { from: LIVE, to: 'failed', verb: 'fail', allowedHint: 'only running or suspended jobs' },
  scheduleRetry: { from: LIVE, to: 'queued', verb: 'schedule a retry of', allowedHint: 'only running or suspended jobs' },
  interrupt: { from: LIVE, to: 'pending', verb: 'interrupt', allowedHint: 'only running or suspended jobs' },
  recover: { from: LIVE, to: 'queued', verb: 'recover', allowedHint: 'only running or suspended jobs' },
  cancel: { from: [...WAITING, 'paused'], to: 'cancelled', verb: 'cancel', allowedHint: 'only jobs that have not ended' },
  requestCancel: { from: LIVE, to: null, verb: 'cancel', allowedHint: 'only jobs that have not ended' },
  finishCancel: { from: LIVE, to: 'cancelled', verb: 'finish cancelling', allowedHint: 'only running or suspended jobs' },
  pause: { from: WAITING, to: 'paused', verb: 'pause', allowedHint: 'only pending or queued jobs' },
  suspend: { from: ['running'], to: 'suspended', verb: 'suspend', allowedHint: 'only running jobs' },
  resume: { from: ['paused'], to: 'pending', verb: 'resume', allowedHint: 'only paused jobs' },
  resumeSuspended: { from: ['suspended'], to: 'running', verb: 'resume', allowedHint: 'only suspended jobs' },
  retry: { from: ['failed', 'cancelled'], to: 'pending', verb: 'retry', allowedHint: 'only failed or cancelled jobs' },
  setPriority: { from: [...WAITING, 'paused'], to: null, verb: 'change the priority of', allowedHint: 'only waiting or paused jobs' },
};

/** Every action of the table. */
export const LIFECYCLE_ACTIONS = Object.keys(TRANSITIONS) as readonly LifecycleAction[];

/** The statuses `action` applies to: what a store renders into its `status IN (…)` predicate. */
export function statusesFor(action: LifecycleAction): readonly JobStatus[] {
  return TRANSITIONS[action].from;
}

/** The status `action` leads to (null: unchanged). */
export function targetOf(action: LifecycleAction): JobStatus | null {
  return TRANSITIONS[action].to;
}

export function canTransition(status: JobStatus, action: LifecycleAction): boolean {
  return TRANSITIONS[action].from.includes(status);
}

/** A user's cancel: at once for a job without an attempt, asked of the attempt for a live one; null once ended. */
export function cancelActionFor(status: JobStatus): 'cancel' | 'requestCancel' | null {
  if (canTransition(status, 'cancel')) return 'cancel';
  if (canTransition(status, 'requestCancel')) return 'requestCancel';
  return null;
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
