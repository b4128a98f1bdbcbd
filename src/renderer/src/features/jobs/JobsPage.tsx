/**
 * The Jobs page: counts per status, queue controls, filters, the live jobs table with bulk
 * actions and pagination, the create-job modal and the job detail drawer (`#/jobs/<id>`).
 */
import { Stack } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import type { JobAction } from '../../lib/job-presentation';
import { useAppStore, useStores } from '../../stores/stores-context';
import { showToast } from '../../stores/toast-store';
import { CreateJobModal } from '../create-job/CreateJobModal';
import { JobDetailDrawer } from '../job-detail/JobDetailDrawer';
import { BulkActions } from './BulkActions';
import { JobActionDialogs } from './JobActionDialogs';
import { JobFilters } from './JobFilters';
import { JobsTable } from './JobsTable';
import { QueueHeader } from './QueueHeader';
import { StatsSummary } from './StatsSummary';
import { useJobActions } from './use-job-actions';
import { useJobsUrl } from './jobs-url';
import type { RouteQuery } from '../../stores/navigation-store';
import { SuspendedSlotsProvider } from './suspended-slots';

export interface JobsPageProps {
  readonly jobId: string | null;
  readonly onOpenJob: (jobId: string | null) => void;
  /** The page's filters and page number in the URL (see jobs-url.ts); absent: not kept anywhere. */
  readonly query?: RouteQuery;
  readonly onQueryChange?: (query: RouteQuery) => void;
}

export function JobsPage({ jobId, onOpenJob, query, onQueryChange }: JobsPageProps) {
  const { jobs } = useStores();
  useJobsUrl(jobs, query, onQueryChange);
  const [creating, setCreating] = useState(false);
  const { request } = useJobActions();
  const setFilters = useAppStore('jobs', (s) => s.setFilters);
  const open = useCallback((job: Job) => onOpenJob(job.id), [onOpenJob]);
  const onAction = useCallback((action: JobAction, job: Job) => request(action, [job]), [request]);

  return (
    <SuspendedSlotsProvider>
      <Stack gap="md">
        <QueueHeader title="Jobs" onCreate={() => setCreating(true)} />
        <StatsSummary onPick={(status) => setFilters({ status })} />
        <JobFilters />
        <BulkActions />
        <JobsTable activeJobId={jobId} onOpen={open} onAction={onAction} onCreate={() => setCreating(true)} />
        <CreateJobModal
          opened={creating}
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            showToast({ color: 'green', title: 'Job created', message: 'It is in the queue; its progress shows here live.' });
            void jobs.getState().load();
            onOpenJob(id);
          }}
        />
        <JobDetailDrawer jobId={jobId} onClose={() => onOpenJob(null)} onAction={onAction} />
        <JobActionDialogs />
      </Stack>
    </SuspendedSlotsProvider>
  );
}
