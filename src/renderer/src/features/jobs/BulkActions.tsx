/** Actions on the selected rows: cancel, retry, set priority (each sent only where the state allows). */
import { Button, Group, Paper, Text } from '@mantine/core';
import type { Job } from '../../../../shared/contracts/job';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { canDo } from '../../lib/job-presentation';
import { useAppStore, useStores } from '../../stores/stores-context';
import { JOB_ACTION_OPERATIONS } from './run-job-action';
import { useJobActions } from './use-job-actions';

export function BulkActions() {
  const { jobs: store } = useStores();
  const selected = useAppStore('jobs', (s) => s.selected);
  const jobs = useAppStore('jobs', (s) => s.jobs);
  const { request } = useJobActions();
  if (selected.size === 0) return null;
  const chosen: Job[] = jobs.filter((j) => selected.has(j.id));
  const count = (action: 'cancel' | 'retry' | 'priority') => chosen.filter((j) => canDo(action, j.status)).length;
  const cancellable = count('cancel');
  const retryable = count('retry');
  const reprioritisable = count('priority');
  return (
    <Paper withBorder p="xs" radius="md" role="region" aria-label="Bulk actions">
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {selected.size} selected
        </Text>
        <Group gap="xs">
          <Guarded operation={JOB_ACTION_OPERATIONS.cancel}>
            <Button size="xs" variant="light" color="red" leftSection={<Icon name="cancel" size={14} />} disabled={cancellable === 0} onClick={() => request('cancel', chosen.filter((j) => canDo('cancel', j.status)))}>
              Cancel ({cancellable})
            </Button>
          </Guarded>
          <Guarded operation={JOB_ACTION_OPERATIONS.retry}>
            <Button size="xs" variant="light" leftSection={<Icon name="retry" size={14} />} disabled={retryable === 0} onClick={() => request('retry', chosen.filter((j) => canDo('retry', j.status)))}>
              Retry ({retryable})
            </Button>
          </Guarded>
          <Guarded operation={JOB_ACTION_OPERATIONS.priority}>
            <Button size="xs" variant="light" color="orange" leftSection={<Icon name="priority" size={14} />} disabled={reprioritisable === 0} onClick={() => request('priority', chosen.filter((j) => canDo('priority', j.status)))}>
              Set priority ({reprioritisable})
            </Button>
          </Guarded>
          <Button size="xs" variant="subtle" color="gray" onClick={() => store.getState().clearSelection()}>
            Clear selection
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
