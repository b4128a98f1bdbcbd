/**
 * What the queue may start now on this node: each category open or closed by its windows (with
 * the next change, in the windows' time zone), held for the person at the machine, and the
 * queue's pause and drain (with the Drain action).
 */
import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { ScheduleState } from '../../../../shared/contracts/queue-control';
import { RESOURCE_CATEGORIES } from '../../../../shared/domain/statuses';
import { useNow } from '../../lib/use-now';
import { useAppStore } from '../../stores/stores-context';
import { DrainControl, queueStateText } from './DrainControl';
import { CATEGORY_LABELS, describeCategory } from './schedule-draft';

export function CategoriesNow({ schedules }: { readonly schedules: ScheduleState }) {
  const now = useNow(true, 30_000);
  const queue = useAppStore('queue', (s) => s.queue);
  const zone = schedules.timeZone;
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-label="Now">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="wrap">
            <Title order={3} size="h4">
              Now
            </Title>
            <Text size="sm" c="dimmed">
              times in {zone}
            </Text>
          </Group>
          {queue && (
            <Group gap="xs" wrap="wrap">
              <Text size="sm">Queue: {queueStateText(queue.paused, queue.drain)}</Text>
              <DrainControl size="xs" />
            </Group>
          )}
        </Group>
        <Table verticalSpacing={4} aria-label="Categories now" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="30%">Category</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {RESOURCE_CATEGORIES.map((category) => {
              const state = describeCategory(
                schedules.categories[category],
                schedules.settings.windows.some((w) => w.category === category),
                zone,
                new Date(now),
              );
              const held = queue?.closedCategories?.[category];
              const paused = queue?.pausedCategories.includes(category) ?? false;
              return (
                <Table.Tr key={category}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {CATEGORY_LABELS[category]}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="wrap">
                      <Badge size="sm" variant="light" color={state.open ? 'green' : 'gray'}>
                        {state.open ? 'open' : 'closed'}
                      </Badge>
                      <Text size="sm">{state.text}</Text>
                      {paused && (
                        <Badge size="sm" variant="light" color="orange">
                          paused
                        </Badge>
                      )}
                      {held && held !== schedules.categories[category]?.reason && !held.includes('outside its window') && (
                        <Text size="xs" c="orange">
                          {held.replace(/^\w+: /, '')}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {schedules.gpuHold && (
          <Text size="sm" c="orange" role="status">
            GPU held for the person at this machine: {schedules.gpuHold}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
