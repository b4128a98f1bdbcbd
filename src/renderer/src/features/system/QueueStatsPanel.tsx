/** The queue's statistics (getStats, live through stats.changed) and whole-queue pause/resume. */
import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { Stats } from '../../../../shared/contracts/job';
import type { JobStatus } from '../../../../shared/domain/statuses';
import { Guarded } from '../../components/Guarded';
import { formatSpan } from '../../lib/format';
import { STATUS_COLORS, STATUS_LABELS } from '../../lib/job-presentation';
import { useAppStore } from '../../stores/stores-context';

const STATUSES: readonly JobStatus[] = ['running', 'suspended', 'queued', 'pending', 'paused', 'completed', 'failed', 'cancelled'];

export function QueueStatsPanel({ stats, onChanged }: { readonly stats: Stats; readonly onChanged: () => void }) {
  const queue = useAppStore('queue', (s) => s.queue);
  const busy = useAppStore('queue', (s) => s.busy);
  const pause = useAppStore('queue', (s) => s.pause);
  const resume = useAppStore('queue', (s) => s.resume);
  const byType = Object.entries(stats.jobsByType).sort((a, b) => b[1] - a[1]);
  return (
    <Card withBorder radius="md" padding="md">
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Title order={4}>Queue</Title>
          {queue?.paused && (
            <Badge color="orange" variant="light">
              paused
            </Badge>
          )}
        </Group>
        {queue && (
          <Guarded operation={queue.paused ? 'resumeQueue' : 'pauseQueue'}>
            <Button
              size="xs"
              variant={queue.paused ? 'light' : 'default'}
              color={queue.paused ? 'green' : undefined}
              loading={busy === 'all'}
              onClick={async () => {
                await (queue.paused ? resume() : pause());
                onChanged();
              }}
            >
              {queue.paused ? 'Resume queue' : 'Pause queue'}
            </Button>
          </Guarded>
        )}
      </Group>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
          {STATUSES.map((s) => (
            <div key={s}>
              <Text size="xs" c={STATUS_COLORS[s] === 'gray' || STATUS_COLORS[s] === 'dark' ? 'dimmed' : STATUS_COLORS[s]} tt="uppercase" fw={600}>
                {STATUS_LABELS[s]}
              </Text>
              <Text size="xl" fw={600}>
                {stats[s]}
              </Text>
            </div>
          ))}
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Avg. run time
            </Text>
            <Text size="xl" fw={600}>
              {formatSpan(stats.averageProcessingTime)}
            </Text>
          </div>
        </SimpleGrid>
        {byType.length > 0 && (
          <Table verticalSpacing={2} aria-label="Jobs by type">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Type</Table.Th>
                <Table.Th ta="right">Jobs</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {byType.map(([type, n]) => (
                <Table.Tr key={type}>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {type}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{n}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
