/**
 * The nodes sharing this queue (GET /api/fleet/nodes): state from their heartbeat, slots in use
 * against each node's own limits, VRAM budget, GPUs, what each runs. Embedded, it is this node alone.
 */
import { Badge, Card, Code, Group, Table, Text, Title, Tooltip } from '@mantine/core';
import type { Fleet, NodeView } from '../../../../shared/contracts/fleet';
import { RESOURCE_CATEGORIES } from '../../../../shared/domain/statuses';
import { Icon } from '../../components/icons';
import { ErrorState } from '../../components/StateViews';
import { formatMegabytes, formatRelative } from '../../lib/format';
import { jobIdToken } from '../../../../shared/domain/job-ids';

const STATE_COLOR: Record<NodeView['state'], string> = { online: 'green', offline: 'red', stopped: 'gray' };
const CATEGORY_SHORT = { cpu: 'CPU', gpu_encode: 'Enc', gpu_ai: 'AI' } as const;

function NodeRow({ node }: { readonly node: NodeView }) {
  const runningIds = node.runningJobIds;
  return (
    <Table.Tr aria-label={`Node ${node.id}`}>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text ff="monospace" fw={600} size="sm">
            {node.id}
          </Text>
          {node.self && (
            <Badge size="xs" variant="outline">
              this node
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {node.hostname} · v{node.version}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={STATE_COLOR[node.state]} variant="light">
          {node.state}
        </Badge>
        <Text size="xs" c="dimmed">
          heartbeat {formatRelative(node.heartbeatAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          {RESOURCE_CATEGORIES.map((c) => (
            <Tooltip key={c} label={`${c}: ${node.running[c] ?? 0} running of ${node.limits[c] ?? 0} slots`}>
              <Badge variant="default" size="sm" aria-label={`${node.id} ${c}: ${node.running[c] ?? 0} of ${node.limits[c] ?? 0}`}>
                {CATEGORY_SHORT[c]} {node.running[c] ?? 0}/{node.limits[c] ?? 0}
              </Badge>
            </Tooltip>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{node.vramBudgetMb === null ? 'no GPU budget' : `${formatMegabytes(node.vramReservedMb)} of ${formatMegabytes(node.vramBudgetMb)}`}</Text>
        <Text size="xs" c="dimmed">
          {node.gpus.length === 0 ? 'no GPU' : node.gpus.map((g) => g.name).join(', ')}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {runningIds.length} running · since start {node.completedSinceStart} done, {node.failedSinceStart} failed
        </Text>
        {runningIds.length > 0 && (
          <Text size="xs" c="dimmed" ff="monospace" lineClamp={1}>
            {runningIds.map(jobIdToken).join(' ')}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function FleetPanel({ fleet, error, onRetry }: { readonly fleet: Fleet | null; readonly error: string | null; readonly onRetry: () => void }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Group gap="xs" mb="sm" justify="space-between">
        <Group gap="xs">
          <Icon name="system" />
          <Title order={4}>Nodes</Title>
        </Group>
        {fleet && (
          <Text size="sm" c="dimmed">
            {fleet.mode === 'fleet' ? (
              <>
                Fleet on PostgreSQL · {fleet.nodes.filter((n) => n.state === 'online').length} of {fleet.nodes.length} online · lease{' '}
                <Code>{Math.round((fleet.leaseMs ?? 0) / 1000)} s</Code>
              </>
            ) : (
              'Embedded (SQLite): this node alone. Set DATABASE_URL to share one PostgreSQL queue between nodes.'
            )}
          </Text>
        )}
      </Group>
      {error && !fleet ? (
        <ErrorState title="Could not read the node list" message={error} onRetry={onRetry} />
      ) : (
        fleet && (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs" aria-label="Nodes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Node</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Slots in use</Table.Th>
                  <Table.Th>VRAM</Table.Th>
                  <Table.Th>Jobs</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {fleet.nodes.map((node) => (
                  <NodeRow key={node.id} node={node} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      )}
    </Card>
  );
}
