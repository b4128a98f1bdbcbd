/**
 * The landing page, what runs where and how fast: a tile per live job (file, type, node and GPU,
 * progress, frame rate, speed, ETA, pause and cancel), slots and VRAM per category, jobs completed
 * per hour over the last day, and the day's failures with their reasons. Live: the dashboard store
 * follows the event stream; the counts come from the queue store's stats.
 */
import { Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import type { Fleet } from '../../../../shared/contracts/fleet';
import { EmptyView, ErrorState, LoadingState } from '../../components/StateViews';
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
import { ThroughputChart } from './ThroughputChart';

export interface DashboardPageProps {
  readonly onOpenJob: (jobId: string) => void;
  /** Shows the Jobs page with these filters (a status chip, "all failed jobs"). */
  readonly onShowJobs: (query: RouteQuery) => void;
}

/** The GPU a job runs on, when its node has exactly one (jobs record no GPU index). */
function gpuOf(job: Job, fleet: Fleet | null): string | null {
  if (job.resourceCategory === 'cpu' || !job.nodeId) return null;
  const gpus = fleet?.nodes.find((n) => n.id === job.nodeId)?.gpus ?? [];
  return gpus.length === 1 ? gpus[0]!.name : null;
}

export function DashboardPage({ onOpenJob, onShowJobs }: DashboardPageProps) {
  const { dashboard } = useStores();
  const live = useAppStore('dashboard', (s) => s.live);
  const failures = useAppStore('dashboard', (s) => s.failures);
  const throughput = useAppStore('dashboard', (s) => s.throughput);
  const fleet = useAppStore('dashboard', (s) => s.fleet);
  const gpus = useAppStore('dashboard', (s) => s.gpus);
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
            {live.length} live · {waiting} waiting
          </Text>
        </Group>
        {!loaded ? (
          <LoadingState label="Reading what runs…" />
        ) : live.length === 0 ? (
          <EmptyView icon="jobs" title="Nothing is running" description={waiting > 0 ? `${waiting} jobs wait for a slot or their start.` : 'Create a job, or start one from the Library page.'} />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3, xl: 4 }} spacing="sm">
            {live.map((job) => (
              <RunningJobTile key={job.id} job={job} gpu={gpuOf(job, fleet)} onOpen={open} onAction={onAction} />
            ))}
          </SimpleGrid>
        )}
      </section>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <CapacityGauges stats={stats} queue={queue} fleet={fleet} live={live} gpus={gpus} />
        <ThroughputChart throughput={throughput} />
      </SimpleGrid>
      <RecentFailures failures={failures} onOpen={onOpenJob} onShowAll={() => onShowJobs({ status: 'failed' })} />

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
