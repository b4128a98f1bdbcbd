/**
 * The last webhook tries of every node, newest first (listNotificationDeliveries): when and by which
 * node, which webhook, what for, the outcome with the HTTP status, which try, and the error. Narrow
 * enough for a 1024-pixel window: the error wraps instead of widening the table.
 */
import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useStore } from 'zustand';
import type { Delivery } from '../../../../shared/contracts/notifications';
import { Icon } from '../../components/icons';
import { ErrorState } from '../../components/StateViews';
import { formatWhen } from '../../lib/format';
import type { NotificationsStore } from '../../stores/notifications-store';
import { EVENT_LABELS } from './notifications-draft';

const OUTCOME_COLORS: Readonly<Record<Delivery['outcome'], string>> = { delivered: 'green', retrying: 'yellow', failed: 'red' };

const kindLabel = (kind: string) => (kind === 'test' ? 'Test' : (EVENT_LABELS as Readonly<Record<string, string>>)[kind] ?? kind);

export function DeliveriesTable({ store, webhookNames }: { readonly store: NotificationsStore; readonly webhookNames: ReadonlyMap<string, string> }) {
  const deliveries = useStore(store, (s) => s.deliveries);
  const loaded = useStore(store, (s) => s.deliveriesLoaded);
  const error = useStore(store, (s) => s.deliveriesError);
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-label="Recent deliveries">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Stack gap={0}>
            <Title order={3} size="h4">
              Recent deliveries
            </Title>
            <Text size="xs" c="dimmed">
              Webhook tries of every node, newest first (the last 1,000 are kept). A failed try is retried after 1, 4, 16 and 64 s.
            </Text>
          </Stack>
          <Button size="xs" variant="subtle" leftSection={<Icon name="retry" size={14} />} onClick={() => void store.getState().loadDeliveries()}>
            Refresh deliveries
          </Button>
        </Group>
        {error && <ErrorState title="Could not read the deliveries" message={error} onRetry={() => void store.getState().loadDeliveries()} />}
        {loaded && !error && deliveries.length === 0 && (
          <Text size="sm" c="dimmed">
            No webhook was called yet.
          </Text>
        )}
        {deliveries.length > 0 && (
          <Table aria-label="Webhook deliveries" striped verticalSpacing={6} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time · node</Table.Th>
                <Table.Th>Webhook</Table.Th>
                <Table.Th>Event</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Try</Table.Th>
                <Table.Th>Error</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.map((d) => (
                <Table.Tr key={`${d.notificationId}:${d.webhookId}:${d.attempt}:${d.at}:${d.nodeId}`}>
                  <Table.Td>
                    <time dateTime={d.at} title={new Date(d.at).toLocaleString()}>
                      {formatWhen(d.at)}
                    </time>
                    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {d.nodeId}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{webhookNames.get(d.webhookId) ?? d.webhookId}</Table.Td>
                  <Table.Td>{kindLabel(d.kind)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Badge size="sm" variant="light" color={OUTCOME_COLORS[d.outcome]}>
                        {d.outcome}
                      </Badge>
                      {d.httpStatus !== null && (
                        <Text size="xs" c="dimmed">
                          HTTP {d.httpStatus}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {d.attempt}
                    <Text span size="xs" c="dimmed">
                      {' '}
                      · {d.durationMs} ms
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    {d.error ?? (
                      <Text span c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
