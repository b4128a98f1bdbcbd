/**
 * Runs one lifecycle action on one or many jobs (row buttons, the detail panel and bulk actions
 * share it). Jobs whose status does not allow the action are skipped, not sent; each refusal
 * by the server is collected with its message.
 */
import type { Job } from '../../../../shared/contracts/job';
import type { JobStatus } from '../../../../shared/domain/statuses';
import { errorMessage } from '../../api/api-error';
import type { MediaClient, OperationName } from '../../api/media-client';
import { isForbidden } from '../../lib/access';
import { canDo, type JobAction } from '../../lib/job-presentation';

export interface ActionOutcome {
  readonly done: ReadonlyArray<{ readonly id: string; readonly status: JobStatus; readonly priority?: number }>;
  readonly failed: ReadonlyArray<{ readonly id: string; readonly message: string; readonly forbidden: boolean }>;
  readonly skipped: number;
}

/** The operation each job action calls (its least role comes from the operations table). */
export const JOB_ACTION_OPERATIONS = { retry: 'retryJob', cancel: 'cancelJob', pause: 'pauseJob', resume: 'resumeJob', priority: 'setJobPriority' } as const satisfies Record<JobAction, OperationName>;

export async function runJobAction(
  client: MediaClient,
  action: JobAction,
  jobs: readonly Pick<Job, 'id' | 'status'>[],
  priority?: number,
): Promise<ActionOutcome> {
  const eligible = jobs.filter((j) => canDo(action, j.status));
  const results = await Promise.allSettled(
    eligible.map(async (job) => {
      if (action === 'priority') {
        if (priority === undefined) throw new Error('No priority given.');
        const updated = await client.call('setJobPriority', { id: job.id, priority });
        return { id: updated.id, status: updated.status, priority: updated.priority };
      }
      const result = await client.call(JOB_ACTION_OPERATIONS[action], { id: job.id });
      return { id: result.id, status: result.status };
    }),
  );
  const done: Array<ActionOutcome['done'][number]> = [];
  const failed: Array<ActionOutcome['failed'][number]> = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') done.push(r.value);
    else failed.push({ id: eligible[i]!.id, message: errorMessage(r.reason), forbidden: isForbidden(r.reason) });
  });
  return { done, failed, skipped: jobs.length - eligible.length };
}

const PAST: Readonly<Record<JobAction, string>> = {
  retry: 'retried',
  cancel: 'cancelled',
  pause: 'paused',
  resume: 'resumed',
  priority: 'reprioritised',
};

/** "2 jobs cancelled, 1 skipped (not allowed in its state)". */
export function describeOutcome(action: JobAction, outcome: ActionOutcome): string {
  const n = outcome.done.length;
  const parts = [`${n} job${n === 1 ? '' : 's'} ${PAST[action]}`];
  if (outcome.failed.length > 0) parts.push(`${outcome.failed.length} refused`);
  if (outcome.skipped > 0) parts.push(`${outcome.skipped} skipped (not allowed in their state)`);
  return parts.join(', ');
}
