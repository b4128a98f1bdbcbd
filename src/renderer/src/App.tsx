/**
 * Placeholder page until the real UI lands: in the desktop app it shows the queue statistics
 * through `window.mediaApi`; in a plain browser (headless mode) it shows `GET /api/health`.
 */
import { Alert, Code, Container, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Stats } from '../../shared/contracts/job';

type Status =
  | { readonly kind: 'loading' }
  | { readonly kind: 'stats'; readonly stats: Stats }
  | { readonly kind: 'health'; readonly health: unknown }
  | { readonly kind: 'error'; readonly message: string };

async function loadStatus(): Promise<Status> {
  const api = window.mediaApi;
  if (api) {
    const result = await api.getStats();
    return result.ok ? { kind: 'stats', stats: result.value } : { kind: 'error', message: result.error.message };
  }
  const response = await fetch('/api/health', { headers: { accept: 'application/json' } });
  if (!response.ok) return { kind: 'error', message: `GET /api/health answered ${response.status}` };
  return { kind: 'health', health: (await response.json()) as unknown };
}

const STAT_ROWS: ReadonlyArray<readonly [keyof Stats, string]> = [
  ['running', 'Running'],
  ['pending', 'Pending'],
  ['queued', 'Waiting for resources'],
  ['paused', 'Paused'],
  ['completed', 'Completed'],
  ['failed', 'Failed'],
  ['cancelled', 'Cancelled'],
  ['totalVramUsed', 'VRAM in use (MB)'],
  ['totalVramAvailable', 'VRAM budget (MB)'],
];

function StatsTable({ stats }: { readonly stats: Stats }) {
  return (
    <Table striped withTableBorder maw={420} aria-label="Queue statistics">
      <Table.Tbody>
        {STAT_ROWS.map(([key, label]) => (
          <Table.Tr key={key}>
            <Table.Td>{label}</Table.Td>
            <Table.Td>{String(stats[key] ?? '—')}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function App() {
  const [status, setStatus] = useState<Status>({ kind: 'loading' });

  useEffect(() => {
    let active = true;
    loadStatus()
      .then((next) => active && setStatus(next))
      .catch((error: unknown) => active && setStatus({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
    return () => {
      active = false;
    };
  }, []);

  return (
    <Container size="md" py="xl">
      <Stack gap="md">
        <Title order={1}>Media Job Control</Title>
        <Text c="dimmed">
          Resource-aware media job queue for GPU workstations. The full job table, logs and GPU panel arrive in a later
          version.
        </Text>
        {status.kind === 'loading' && <Loader aria-label="Loading" />}
        {status.kind === 'stats' && <StatsTable stats={status.stats} />}
        {status.kind === 'health' && (
          <Stack gap="xs">
            <Text fw={500}>Server health</Text>
            <Code block>{JSON.stringify(status.health, null, 2)}</Code>
          </Stack>
        )}
        {status.kind === 'error' && (
          <Alert color="red" title="Could not reach the queue">
            {status.message}
          </Alert>
        )}
      </Stack>
    </Container>
  );
}
