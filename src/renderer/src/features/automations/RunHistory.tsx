/**
 * A pipeline's runs, newest first, live: each with its video, trigger, status and timings, and its
 * steps with their state and job (a link that opens the job's detail on the Jobs page).
 */
import { Anchor, Badge, Group, Pagination, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { PipelineRun } from '../../../../shared/contracts/pipeline';
import { JobTypeLabel } from '../../components/JobTypeLabel';
import { EmptyView, ErrorState, LoadingState } from '../../components/StateViews';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatRelative, formatSpan } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import type { AutomationsStore } from '../../stores/automations-store';
import { RunStatusBadge } from './RunStatusBadge';
import { jobIdToken } from '../../../../shared/domain/job-ids';

type Step = PipelineRun['steps'][number];

const STATE_COLORS: Readonly<Record<Step['state'], string>> = { waiting: 'gray', running: 'yellow', completed: 'green', failed: 'red', cancelled: 'dark', skipped: 'gray' };

const TRIGGER_LABELS: Readonly<Record<PipelineRun['trigger'], string>> = { manual: 'run by hand', file_added: 'new file', schedule: 'schedule', job_completed: 'job completed' };

function StepRow({ step, onOpenJob }: { readonly step: Step; readonly onOpenJob: (jobId: string) => void }) {
  return (
    <Table.Tr data-step-id={step.id}>
      <Table.Td>
        <Text size="xs" ff="monospace" truncate>
          {step.id}
        </Text>
        {step.after && (
          <Text size="xs" c="dimmed" truncate>
            after {step.after.step} ({step.after.on})
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <JobTypeLabel type={step.type} />
      </Table.Td>
      <Table.Td>
        <Badge size="sm" variant={step.state === 'skipped' || step.state === 'waiting' ? 'outline' : 'light'} color={STATE_COLORS[step.state]}>
          {step.state}
        </Badge>
      </Table.Td>
      <Table.Td>
        {step.jobId ? (
          <Group gap={6} wrap="wrap">
            <Anchor
              href={`#/jobs/${step.jobId}`}
              size="xs"
              ff="monospace"
              aria-label={`Open the ${step.type} job of step ${step.id}`}
              onClick={(e) => {
                e.preventDefault();
                onOpenJob(step.jobId!);
              }}
            >
              {jobIdToken(step.jobId)}
            </Anchor>
            {step.jobStatus && <StatusBadge status={step.jobStatus} />}
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            —
          </Text>
        )}
        {(step.jobError ?? step.reason) && (
          <Text size="xs" c={step.state === 'failed' ? 'red' : 'dimmed'} style={{ overflowWrap: 'anywhere' }}>
            {step.jobError ?? step.reason}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function RunCard({ run, now, onOpenJob }: { readonly run: PipelineRun; readonly now: number; readonly onOpenJob: (jobId: string) => void }) {
  return (
    <Paper withBorder radius="md" p="sm" role="article" aria-label={`Run on ${run.videoPath ?? run.videoId}`} data-run-id={run.id} data-run-status={run.status}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="wrap" miw={0}>
            <RunStatusBadge status={run.status} />
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {run.videoPath ?? `${run.videoId} (no longer in the library)`}
            </Text>
          </Group>
          <Group gap="xs" wrap="wrap">
            <Text size="xs" c="dimmed">
              {TRIGGER_LABELS[run.trigger]}
              {run.triggerDetail ? ` (${run.triggerDetail})` : ''}
              {run.forced ? ' · forced' : ''} · v{run.pipelineVersion}
            </Text>
            <Tooltip label={formatDateTime(run.createdAt)}>
              <Text size="xs" c="dimmed">
                {formatRelative(run.createdAt, now)}
              </Text>
            </Tooltip>
            {run.durationMs !== null && (
              <Text size="xs" c="dimmed">
                took {formatSpan(run.durationMs / 1000)}
              </Text>
            )}
          </Group>
        </Group>
        <Table verticalSpacing={2} layout="fixed" aria-label="Steps and jobs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="22%">Step</Table.Th>
              <Table.Th w="26%">Job type</Table.Th>
              <Table.Th w={116}>State</Table.Th>
              <Table.Th>Job</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {run.steps.map((step) => (
              <StepRow key={step.id} step={step} onOpenJob={onOpenJob} />
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

export function RunHistory({ store, pipelineId, onOpenJob }: { readonly store: AutomationsStore; readonly pipelineId: string; readonly onOpenJob: (jobId: string) => void }) {
  const history = useStore(store, (s) => s.history[pipelineId]);
  const now = useNow(true, 30_000);

  useEffect(() => {
    void store.getState().loadRuns(pipelineId);
  }, [store, pipelineId]);

  if (!history || (history.loading && history.runs.length === 0 && !history.error)) return <LoadingState label="Loading the runs…" />;
  return (
    <Stack gap="sm" aria-busy={history.loading}>
      {history.error && <ErrorState title="Could not load the runs" message={history.error} onRetry={() => void store.getState().loadRuns(pipelineId)} />}
      {history.runs.length === 0 && !history.error && <EmptyView icon="jobs" title="No runs yet" description="Runs start from the trigger once the pipeline is on, or from Run now." />}
      {history.runs.map((run) => (
        <RunCard key={run.id} run={run} now={now} onOpenJob={onOpenJob} />
      ))}
      {history.totalPages > 1 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {history.total} runs
          </Text>
          <Pagination size="sm" total={history.totalPages} value={history.page} onChange={(p) => void store.getState().loadRuns(pipelineId, p)} getItemProps={(n) => ({ 'aria-label': `Runs page ${n}` })} />
        </Group>
      )}
    </Stack>
  );
}
