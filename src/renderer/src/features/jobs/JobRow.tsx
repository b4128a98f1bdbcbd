/**
 * One row of the jobs table, file first: what the job works on (its input's title and path), its
 * status with why it waits or failed, progress with speed and time left, then (on wider screens)
 * its type, output, node and creation time, and the actions. Memoised: a live update replaces only
 * the changed job objects, so only their rows render again. Columns that yield on narrow screens
 * are named in JOB_COLUMNS (JobsTable uses the same breakpoints for the headers).
 */
import { Checkbox, Stack, Table, Text } from '@mantine/core';
import { memo } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import { JobProgress } from '../../components/JobProgress';
import { JobTypeLabel } from '../../components/JobTypeLabel';
import { RunRate } from '../../components/RunRate';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatRelative, formatWhen } from '../../lib/format';
import type { JobAction } from '../../lib/job-presentation';
import { jobSubject } from '../../lib/job-subject';
import { JobRowActions } from './JobRowActions';
import { ChunkDisclosure } from './ChunkDisclosure';
import { SegmentBadge, segmentPhase } from './SegmentStatus';
import { useWaitingReason } from './suspended-slots';
import { jobIdToken } from '../../../../shared/domain/job-ids';

/** Widths (px) and the breakpoint from which each optional column shows. */
export const JOB_COLUMNS = {
  select: { w: 36 },
  status: { w: 150 },
  progress: { w: 164 },
  type: { w: 190, from: 'xl' },
  output: { w: 170, from: 'xl' },
  created: { w: 112, from: 'lg' },
  actions: { w: 136 },
} as const;

export interface JobRowProps {
  readonly job: Job;
  readonly selected: boolean;
  readonly active: boolean;
  readonly onToggle: (id: string) => void;
  readonly onOpen: (job: Job) => void;
  readonly onAction: (action: JobAction, job: Job) => void;
}

/** The line under the status: why a job waits, when it retries, or why it failed. */
function statusNote(job: Job, waitingReason: string | null): string | null {
  if (job.status === 'queued' || job.status === 'pending') {
    if (job.retryAfter) return `Retry ${job.retryCount}/${job.maxRetries} ${formatRelative(job.retryAfter)}`;
    return waitingReason;
  }
  if (job.status === 'paused') return job.waitingReason;
  if (job.status === 'failed') return job.lastError;
  return null;
}

function FileCell({ job }: { readonly job: Job }) {
  const subject = jobSubject(job);
  return (
    <Stack gap={0} miw={0}>
      <Text size="sm" fw={500} truncate title={subject.title}>
        {subject.title}
      </Text>
      {subject.path && (
        <Text size="xs" c="dimmed" ff="monospace" truncate title={subject.path}>
          {subject.path}
        </Text>
      )}
      {/* the type has its own column on wide screens only */}
      <Text size="xs" c="dimmed" ff="monospace" hiddenFrom={JOB_COLUMNS.type.from} truncate>
        {job.type}
      </Text>
    </Stack>
  );
}

export const JobRow = memo(function JobRow({ job, selected, active, onToggle, onOpen, onAction }: JobRowProps) {
  const note = statusNote(job, useWaitingReason(job.waitingReason));
  // a segmented encode waiting on its parts reads as encoding, not as an idle queued job (#20)
  const segment = segmentPhase(job);
  const outputs = job.outputs ?? [];
  return (
    <Table.Tr
      bg={selected ? 'var(--mantine-primary-color-light)' : undefined}
      data-active={active || undefined}
      data-job-id={job.id}
      style={{ cursor: 'pointer', opacity: job.status === 'paused' ? 0.7 : 1 }}
      onClick={() => onOpen(job)}
    >
      <Table.Td onClick={(e) => e.stopPropagation()}>
        <Checkbox checked={selected} onChange={() => onToggle(job.id)} aria-label={`Select ${job.type} job ${jobIdToken(job.id)}`} />
      </Table.Td>
      <Table.Td>
        <FileCell job={job} />
      </Table.Td>
      <Table.Td visibleFrom={JOB_COLUMNS.type.from}>
        <JobTypeLabel type={job.type} />
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          {segment ? <SegmentBadge phase={segment} /> : <StatusBadge status={job.status} cancelling={job.cancelling} />}
          {note && (
            <Text size="xs" c={job.status === 'failed' ? 'red' : 'dimmed'} lineClamp={2} title={note}>
              {note}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <JobProgress status={segment?.encoding ? 'running' : job.status} progress={job.progress} />
        <RunRate job={job} compact />
        <ChunkDisclosure job={job} />
      </Table.Td>
      <Table.Td visibleFrom={JOB_COLUMNS.output.from}>
        {outputs.length > 0 ? (
          <Text size="xs" ff="monospace" truncate title={outputs.map((o) => o.path).join('\n')}>
            {outputs[0]!.path}
            {outputs.length > 1 ? ` +${outputs.length - 1}` : ''}
          </Text>
        ) : (
          <Text size="xs" c="dimmed">
            —
          </Text>
        )}
        {job.nodeId && (
          <Text size="xs" c="dimmed" truncate title={`Node ${job.nodeId}`}>
            on {job.nodeId}
          </Text>
        )}
      </Table.Td>
      <Table.Td visibleFrom={JOB_COLUMNS.created.from}>
        <Text size="xs" title={formatDateTime(job.createdAt)} style={{ whiteSpace: 'nowrap' }}>
          {formatWhen(job.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <JobRowActions job={job} onAction={onAction} onDetails={onOpen} />
      </Table.Td>
    </Table.Tr>
  );
});
