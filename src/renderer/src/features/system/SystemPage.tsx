/**
 * The System page: GPUs, capacity (slots, VRAM budget, CPU), queue statistics with pause/resume of
 * the queue or one category, the media tools and encoders, and the nodes sharing the queue. GPU telemetry changes without any
 * job event, so this page re-reads getSystemInfo every few seconds while it is shown.
 */
import { Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { Icon } from '../../components/icons';
import { ErrorState, LoadingState } from '../../components/StateViews';
import { useAppStore, useStores } from '../../stores/stores-context';
import { CapacityPanel } from './CapacityPanel';
import { FleetPanel } from './FleetPanel';
import { GpuPanel } from './GpuPanel';
import { QueueStatsPanel } from './QueueStatsPanel';
import { ToolsPanel } from './ToolsPanel';

const REFRESH_MS = 5000;

export function SystemPage() {
  const { system } = useStores();
  const info = useAppStore('system', (s) => s.info);
  const loading = useAppStore('system', (s) => s.loading);
  const error = useAppStore('system', (s) => s.error);
  const fleet = useAppStore('system', (s) => s.fleet);
  const fleetError = useAppStore('system', (s) => s.fleetError);
  const stats = useAppStore('queue', (s) => s.stats);

  useEffect(() => {
    void system.getState().load();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void system.getState().load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [system]);

  const reload = () => void system.getState().load();

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={2}>System</Title>
          {info && (
            <Text size="sm" c="dimmed">
              Node <b>{info.nodeId}</b> · version {info.version}
            </Text>
          )}
        </div>
        <Button variant="default" leftSection={<Icon name="retry" size={14} />} onClick={reload} loading={loading && info !== null}>
          Refresh
        </Button>
      </Group>
      {error && <ErrorState title="Could not read the system state" message={error} onRetry={reload} />}
      {!info && !error && <LoadingState label="Reading GPUs, CPU and tools…" />}
      {info && (
        <>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <GpuPanel gpus={info.gpus} />
            <CapacityPanel info={info} onChanged={reload} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {stats ? <QueueStatsPanel stats={stats} onChanged={reload} /> : <LoadingState label="Loading queue statistics…" />}
            <ToolsPanel tools={info.tools} encoders={info.encoders} />
          </SimpleGrid>
          <FleetPanel fleet={fleet} error={fleetError} onRetry={reload} />
        </>
      )}
    </Stack>
  );
}
