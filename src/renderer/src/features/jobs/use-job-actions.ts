/**
 * What a job action button does: cancel and change-priority open a confirmation dialog first;
 * the others run at once. Results patch the jobs table (events confirm them moments later) and
 * are told in a toast. An action the caller's role does not allow is not offered (see Guarded).
 */
import { useCallback } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import type { JobAction } from '../../lib/job-presentation';
import { useStores } from '../../stores/stores-context';
import { showToast } from '../../stores/toast-store';
import { actionDialogStore } from './job-action-dialogs-store';
import { describeOutcome, runJobAction } from './run-job-action';

export function useJobActions() {
  const { client, jobs: jobsStore, detail } = useStores();

  const perform = useCallback(
    async (action: JobAction, jobs: readonly Job[], priority?: number) => {
      const outcome = await runJobAction(client, action, jobs, priority);
      for (const d of outcome.done) {
        jobsStore.getState().patchJob(d.id, d.priority === undefined ? { status: d.status } : { status: d.status, priority: d.priority });
      }
      if (outcome.done.some((d) => d.id === detail.getState().jobId)) void detail.getState().reloadJob();
      // a refusal for the role (403) was told once already, by the session (see app-stores)
      if (outcome.failed.length > 0 && outcome.failed.every((f) => f.forbidden) && outcome.done.length === 0) return outcome;
      if (jobs.length === 1 && outcome.failed.length === 1) {
        showToast({ color: 'red', title: 'The server refused', message: outcome.failed[0]!.message }, 8000);
      } else if (jobs.length > 1 || outcome.failed.length > 0) {
        showToast({
          color: outcome.failed.length > 0 ? 'yellow' : 'green',
          title: describeOutcome(action, outcome),
          message: outcome.failed[0]?.message,
        });
      }
      if (outcome.done.length > 0 && jobs.length > 1) jobsStore.getState().clearSelection();
      return outcome;
    },
    [client, jobsStore, detail],
  );

  const request = useCallback(
    (action: JobAction, jobs: readonly Job[]) => {
      if (action === 'cancel' || action === 'priority') actionDialogStore.getState().open(action, jobs);
      else void perform(action, jobs);
    },
    [perform],
  );

  return { request, perform };
}
