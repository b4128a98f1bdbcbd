/**
 * The job detail panel (a drawer over the Jobs page, opened by `#/jobs/<id>`): overview, log
 * and, for a running job, its live console. Actions are the same as in the table.
 */
import { Drawer, Group, Stack, Tabs, Text } from '@mantine/core';
import { lazy, Suspense, useEffect, useState } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import { JOB_TYPE_CATALOG, type JobType } from '../../../../shared/domain/job-types';
import { JobProgress } from '../../components/JobProgress';
import { RunRate } from '../../components/RunRate';
import { JobTypeLabel } from '../../components/JobTypeLabel';
import { ErrorState, LoadingState } from '../../components/StateViews';
import { StatusBadge } from '../../components/StatusBadge';
import type { JobAction } from '../../lib/job-presentation';
import { useAppStore, useStores } from '../../stores/stores-context';
import { JobRowActions } from '../jobs/JobRowActions';
import { TranscodeResultCard } from '../savings/TranscodeResultCard';
import { JobOverview } from './JobOverview';
import { LogViewer } from './LogViewer';

// xterm.js loads when a console is first shown, not with the jobs table
const ConsoleView = lazy(() => import('./ConsoleView').then((m) => ({ default: m.ConsoleView })));

export interface JobDetailDrawerProps {
  readonly jobId: string | null;
  readonly onClose: () => void;
  readonly onAction: (action: JobAction, job: Job) => void;
}

export function JobDetailDrawer({ jobId, onClose, onAction }: JobDetailDrawerProps) {
  const { detail } = useStores();
  const job = useAppStore('detail', (s) => s.job);
  const loading = useAppStore('detail', (s) => s.loading);
  const error = useAppStore('detail', (s) => s.error);
  const log = useAppStore('detail', (s) => s.log);
  const consoleState = useAppStore('detail', (s) => s.console);
  const [tab, setTab] = useState<string | null>('overview');

  useEffect(() => {
    if (jobId) detail.getState().open(jobId);
    else detail.getState().close();
  }, [jobId, detail]);

  const hasConsole = job !== null && (job.status === 'running' || consoleState.feed !== null);
  useEffect(() => {
    if (tab === 'console' && !hasConsole) setTab('log');
  }, [tab, hasConsole]);

  return (
    <Drawer
      opened={jobId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        job ? (
          <Group gap="sm">
            <JobTypeLabel type={job.type} />
            <StatusBadge status={job.status} cancelling={job.cancelling} />
          </Group>
        ) : (
          'Job'
        )
      }
      closeButtonProps={{ 'aria-label': 'Close job details' }}
    >
      {loading && !job && <LoadingState label="Loading the job…" />}
      {error && !job && <ErrorState title="Could not load the job" message={error} onRetry={() => void detail.getState().reloadJob()} />}
      {job && (
        <Stack gap="md">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ flex: 1 }}>
              <JobProgress status={job.status} progress={job.progress} />
              <RunRate job={job} />
            </div>
            <JobRowActions job={job} onAction={onAction} />
          </Group>
          <Text size="sm" c="dimmed">
            {descriptionOf(job.type)}
          </Text>
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="overview">Overview</Tabs.Tab>
              <Tabs.Tab value="log">Log ({log.lines.length})</Tabs.Tab>
              {hasConsole && <Tabs.Tab value="console">Console{job.status === 'running' ? ' • live' : ''}</Tabs.Tab>}
            </Tabs.List>
            <Tabs.Panel value="overview" pt="md">
              <TranscodeResultCard job={job} />
              <JobOverview job={job} />
            </Tabs.Panel>
            <Tabs.Panel value="log" pt="md">
              <LogViewer log={log} height="calc(100vh - 300px)" />
            </Tabs.Panel>
            {hasConsole && (
              <Tabs.Panel value="console" pt="md">
                <Suspense fallback={<LoadingState label="Loading the console…" />}>
                  <ConsoleView console={consoleState} height="calc(100vh - 300px)" />
                </Suspense>
              </Tabs.Panel>
            )}
          </Tabs>
        </Stack>
      )}
    </Drawer>
  );
}

function descriptionOf(type: JobType): string {
  return JOB_TYPE_CATALOG[type]?.description ?? '';
}
