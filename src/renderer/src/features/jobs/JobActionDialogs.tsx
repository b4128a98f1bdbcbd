/** Confirmation of cancel (spec: "Confirm cancellation dialog") and the set-priority dialog. */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useStore } from 'zustand';
import type { Job } from '../../../../shared/contracts/job';
import { DEFAULT_PRIORITY } from '../../../../shared/domain/statuses';
import { Guarded } from '../../components/Guarded';
import { PrioritySlider } from '../../components/PrioritySlider';
import { actionDialogStore } from './job-action-dialogs-store';
import { JOB_ACTION_OPERATIONS } from './run-job-action';
import { useJobActions } from './use-job-actions';

function jobsPhrase(jobs: readonly Job[]): string {
  return jobs.length === 1 ? `this ${jobs[0]!.type} job` : `${jobs.length} jobs`;
}

export function JobActionDialogs() {
  const dialog = useStore(actionDialogStore, (s) => s.dialog);
  const close = useStore(actionDialogStore, (s) => s.close);
  return (
    <>
      <Modal opened={dialog?.kind === 'cancel'} onClose={close} title="Cancel jobs?" centered>
        {dialog?.kind === 'cancel' && <CancelBody jobs={dialog.jobs} onDone={close} />}
      </Modal>
      <Modal opened={dialog?.kind === 'priority'} onClose={close} title="Change priority" centered>
        {dialog?.kind === 'priority' && <PriorityBody jobs={dialog.jobs} onDone={close} />}
      </Modal>
    </>
  );
}

function CancelBody({ jobs, onDone }: { readonly jobs: readonly Job[]; readonly onDone: () => void }) {
  const { perform } = useJobActions();
  const [busy, setBusy] = useState(false);
  const running = jobs.filter((j) => j.status === 'running').length;
  return (
    <Stack>
      <Text size="sm">
        Cancel {jobsPhrase(jobs)}?{' '}
        {running > 0 && 'A running job’s process is stopped and its partial output removed (it shows Cancelling until then, about a second). '}
        A cancelled job can be retried later.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone} data-autofocus>
          Keep running
        </Button>
        <Guarded operation={JOB_ACTION_OPERATIONS.cancel}>
          <Button
            color="red"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              await perform('cancel', jobs);
              setBusy(false);
              onDone();
            }}
          >
            Cancel {jobs.length === 1 ? 'job' : `${jobs.length} jobs`}
          </Button>
        </Guarded>
      </Group>
    </Stack>
  );
}

function PriorityBody({ jobs, onDone }: { readonly jobs: readonly Job[]; readonly onDone: () => void }) {
  const { perform } = useJobActions();
  const [priority, setPriority] = useState(jobs.length === 1 ? jobs[0]!.priority : DEFAULT_PRIORITY);
  const [busy, setBusy] = useState(false);
  return (
    <Stack>
      <Text size="sm">
        New priority for {jobsPhrase(jobs)} (1 is the highest; only waiting and paused jobs can change).
      </Text>
      <PrioritySlider value={priority} onChange={setPriority} mb="lg" data-autofocus />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Close
        </Button>
        <Guarded operation={JOB_ACTION_OPERATIONS.priority}>
          <Button
            loading={busy}
            onClick={async () => {
              setBusy(true);
              await perform('priority', jobs, priority);
              setBusy(false);
              onDone();
            }}
          >
            Set priority {priority}
          </Button>
        </Guarded>
      </Group>
    </Stack>
  );
}
