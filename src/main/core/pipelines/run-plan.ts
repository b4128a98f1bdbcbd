/**
 * How a pipeline run moves on, as a pure function of its steps' states: which waiting steps are
 * ready to start, which are skipped because their branch was not taken, and the run's status.
 *
 * A step waits for the step it comes `after`; once that step has ended it is ready when the
 * outcome matches `on` (success: completed, or skipped by its own `if`; failure: failed; always:
 * either), and skipped (branch) otherwise; a cancelled step ends its whole branch. Planning is
 * repeated until nothing changes, and again whenever a step's job changes: a skipped-by-branch
 * step goes back to waiting when its parent is live again (a manual retry of a failed job) and then
 * runs if the retry succeeds, so the run follows what really happened.
 *
 * Run status: running while any step waits or runs; then cancelled if a step was cancelled, failed
 * if a step failed (a failure branch that ran does not hide the failure), else completed.
 */
import type { JobStatus } from '../../../shared/domain/statuses';
import { STATUS_CLASS } from '../../../shared/domain/statuses';
import type { RunStatus, SkipKind, StepState } from '../pipeline-ports';

export interface PlanStep {
  readonly id: string;
  readonly after?: { readonly step: string; readonly on: 'success' | 'failure' | 'always' } | undefined;
}

export interface PlanState {
  readonly state: StepState;
  readonly skipKind: SkipKind | null;
}

export type PlanDecision =
  | { readonly kind: 'ready'; readonly stepId: string }
  | { readonly kind: 'skip'; readonly stepId: string; readonly reason: string }
  | { readonly kind: 'wait'; readonly stepId: string };

const ENDED: ReadonlySet<StepState> = new Set(['completed', 'failed', 'cancelled', 'skipped']);

/** The step's outcome as its successors see it; null while it has not ended. */
function outcomeOf(s: PlanState): 'success' | 'failure' | 'cancelled' | 'not_reached' | null {
  switch (s.state) {
    case 'completed':
      return 'success';
    case 'failed':
      return 'failure';
    case 'cancelled':
      return 'cancelled';
    case 'skipped':
      return s.skipKind === 'condition' ? 'success' : 'not_reached';
    default:
      return null;
  }
}

/**
 * One planning pass: a decision for each step that waits or was skipped by its branch and whose
 * situation differs from its state (`wait` only for a branch-skipped step to reopen).
 */
export function planRun(steps: readonly PlanStep[], states: ReadonlyMap<string, PlanState>): PlanDecision[] {
  const decisions: PlanDecision[] = [];
  for (const step of steps) {
    const own = states.get(step.id);
    if (!own) continue;
    const reopenable = own.state === 'skipped' && own.skipKind === 'branch';
    if (own.state !== 'waiting' && !reopenable) continue;
    if (!step.after) {
      if (own.state === 'waiting') decisions.push({ kind: 'ready', stepId: step.id });
      continue;
    }
    const parent = states.get(step.after.step);
    const outcome = parent ? outcomeOf(parent) : 'not_reached';
    if (outcome === null) {
      if (reopenable) decisions.push({ kind: 'wait', stepId: step.id });
      continue;
    }
    const on = step.after.on;
    const matches = (outcome === 'success' && on !== 'failure') || (outcome === 'failure' && on !== 'success');
    if (matches) {
      decisions.push({ kind: 'ready', stepId: step.id });
      continue;
    }
    const reason =
      outcome === 'cancelled'
        ? `step "${step.after.step}" was cancelled`
        : outcome === 'not_reached'
          ? `step "${step.after.step}" did not run`
          : `runs on ${on} of "${step.after.step}", which ${outcome === 'success' ? 'succeeded' : 'failed'}`;
    if (!reopenable) decisions.push({ kind: 'skip', stepId: step.id, reason });
  }
  return decisions;
}

export function runStatusOf(states: Iterable<PlanState>): RunStatus {
  let cancelled = false;
  let failed = false;
  for (const s of states) {
    if (!ENDED.has(s.state)) return 'running';
    if (s.state === 'cancelled') cancelled = true;
    if (s.state === 'failed') failed = true;
  }
  return cancelled ? 'cancelled' : failed ? 'failed' : 'completed';
}

/** A step's state from its job's status: ended as the job ended, running while the job waits or runs (retries included). */
export function stepStateOfJob(status: JobStatus): StepState {
  if (STATUS_CLASS[status] !== 'final') return 'running';
  return status === 'completed' ? 'completed' : status === 'failed' ? 'failed' : 'cancelled';
}
