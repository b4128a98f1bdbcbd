/** The heading of the pages that show the queue (dashboard, jobs): title, queue controls, Create job. */
import { Button, Group, Title } from '@mantine/core';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { QueueControls } from './QueueControls';

export function QueueHeader({ title, onCreate }: { title: string; onCreate: () => void }) {
  return (
    <Group justify="space-between" align="center" gap="sm">
      <Title order={2}>{title}</Title>
      <Group gap="sm" wrap="wrap">
        <QueueControls />
        <Guarded operation="createJob">
          <Button leftSection={<Icon name="plus" size={16} />} onClick={onCreate}>
            Create job
          </Button>
        </Guarded>
      </Group>
    </Group>
  );
}
