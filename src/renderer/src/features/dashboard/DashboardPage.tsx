/**
 * The landing page, what runs where and how fast: a tile per live job (file, type, node and GPU,
 * progress, frame rate, speed, ETA, pause and cancel), slots and VRAM per category, jobs completed
 * per hour over the last day, the day's failures with their reasons, and the space saved. Live: the dashboard store
 * follows the event stream; the counts come from the queue store's stats.
 */
import { Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import type { Fleet } from '../../../../shared/contracts/fleet';
import type { SystemInfo } from '../../../../shared/contracts/system';
import { EmptyView, ErrorState, LoadingState } from '../../components/StateViews';
import { gpuLabel } from '../../lib/gpu-presentation';
import type { JobAction } from '../../lib/job-presentation';
import type { RouteQuery } from '../../stores/navigation-store';
import { useAppStore, useStores } from '../../stores/stores-context';
import { showToast } from '../../stores/toast-store';
import { CreateJobModal } from '../create-job/CreateJobModal';
import { JobActionDialogs } from '../jobs/JobActionDialogs';
import { QueueHeader } from '../jobs/QueueHeader';
import { StatsSummary } from '../jobs/StatsSummary';
import { useJobActions } from '../jobs/use-job-actions';
import { CapacityGauges } from './CapacityGauges';
import { RecentFailures } from './RecentFailures';
import { RunningJobTile } from './RunningJobTile';
import { SavingsTile } from './SavingsTile';

// the chart library (recharts, ~470 kB) loads after the tiles and gauges have painted
const ThroughputChart = lazy(() => import('./ThroughputChart').then((m) => ({ default: m.ThroughputChart })));

export interface DashboardPageProps {
  readonly onOpenJob: (jobId: string) => void;
  /** Shows the Jobs page with these filters (a status chip, "all failed jobs"). */
  readonly onShowJobs: (query: RouteQuery) => void;
  /** Shows the Savings page (the space-saved tile's link); absent: the link is not shown. */
  readonly onShowSavings?: () => void;
}

/**
 * The GPU a job runs on: the one it was placed on (gpuIndex, named from its node's inventory, or
 * this node's telemetry), else its node's only GPU.
 */
function gpuOf(job: Job, fleet: Fleet | null, localGpus: SystemInfo['gpus'] | null): string | null {
  if (job.resourceCategory === 'cpu') return null;
  const nodeGpus = job.nodeId ? fleet?.nodes.find((n) => n.id === job.nodeId)?.gpus : undefined;
  const known = nodeGpus && nodeGpus.length > 0 ? nodeGpus : !job.nodeId || job.nodeId === fleet?.nodeId ? localGpus : null;
  if (job.gpuIndex !== null && job.gpuIndex !== undefined) return gpuLabel(job.gpuIndex, known);
  return known?.length === 1 ? known[0]!.name : null;
}

export function DashboardPage({ onOpenJob, onShowJobs, onShowSavings }: DashboardPageProps) {
  const { dashboard } = useStores();
  const live = useAppStore('dashboard', (s) => s.live);
  // a segmented encode whose parts run is one tile (#20); its parts hold slots, so the gauges count them
  const segmented = useAppStore('dashboard', (s) => s.segmented);
  const parts = useAppStore('dashboard', (s) => s.parts);
  const tiles = useMemo(() => [...live, ...segmented], [live, segmented]);
  const busy = useMemo(() => [...live, ...parts], [live, parts]);
  const failures = useAppStore('dashboard', (s) => s.failures);
  const throughput = useAppStore('dashboard', (s) => s.throughput);
  const fleet = useAppStore('dashboard', (s) => s.fleet);
  const gpus = useAppStore('dashboard', (s) => s.gpus);
  const savings = useAppStore('dashboard', (s) => s.savings);
  const loaded = useAppStore('dashboard', (s) => s.loaded);
  const error = useAppStore('dashboard', (s) => s.error);
  const stats = useAppStore('queue', (s) => s.stats);
  const queue = useAppStore('queue', (s) => s.queue);
  const [creating, setCreating] = useState(false);
  const { request } = useJobActions();
  const open = useCallback((job: Job) => onOpenJob(job.id), [onOpenJob]);
  const onAction = useCallback((action: JobAction, job: Job) => request(action, [job]), [request]);

  useEffect(() => {
    dashboard.getState().activate();
    return () => dashboard.getState().deactivate();
  }, [dashboard]);

  const waiting = stats ? stats.pending + stats.queued : 0;
  return (
    <Stack gap="md">
      <QueueHeader title="Dashboard" onCreate={() => setCreating(true)} />
      <StatsSummary onPick={(status) => onShowJobs({ status })} />
      {error && <ErrorState title="Could not read the dashboard" message={error} onRetry={() => void dashboard.getState().load()} />}

      <section aria-label="Running jobs">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4">
            Running now
          </Title>
          <Text size="sm" c="dimmed">
            {tiles.length} live · {waiting} waiting
          </Text>
        </Group>
        {!loaded ? (
          <LoadingState label="Reading what runs…" />
        ) : tiles.length === 0 ? (
          <EmptyView icon="jobs" title="Nothing is running" description={waiting > 0 ? `${waiting} jobs wait for a slot or their start.` : 'Create a job, or start one from the Library page.'} />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3, xl: 4 }} spacing="sm">
            {tiles.map((job) => (
              <RunningJobTile key={job.id} job={job} gpu={gpuOf(job, fleet, gpus)} onOpen={open} onAction={onAction} />
            ))}
          </SimpleGrid>
        )}
      </section>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <CapacityGauges stats={stats} queue={queue} fleet={fleet} live={busy} gpus={gpus} />
        <Suspense fallback={<LoadingState label="Loading the chart…" />}>
          <ThroughputChart throughput={throughput} />
        </Suspense>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <RecentFailures failures={failures} onOpen={onOpenJob} onShowAll={() => onShowJobs({ status: 'failed' })} />
        <SavingsTile savings={savings} now={Date.now()} onShowSavings={onShowSavings} />
      </SimpleGrid>

      <CreateJobModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          showToast({ color: 'green', title: 'Job created', message: 'It is in the queue; its progress shows here live.' });
          onOpenJob(id);
        }}
      />
      <JobActionDialogs />
    </Stack>
  );
}
