/**
 * One row of the jobs table. Memoised: a live update replaces only the changed job objects, so
 * only their rows render again.
 */
import { Checkbox, Stack, Table, Text } from '@mantine/core';
import { memo } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import { CategoryBadge } from '../../components/CategoryBadge';
import { JobProgress } from '../../components/JobProgress';
import { JobTypeLabel } from '../../components/JobTypeLabel';
import { PriorityTag } from '../../components/PriorityTag';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatRelative, formatWhen } from '../../lib/format';
import { isSuspended, type JobAction } from '../../lib/job-presentation';
import { JobRowActions } from './JobRowActions';

export interface JobRowProps {
  readonly job: Job;
  readonly selected: boolean;
  readonly active: boolean;
  readonly onToggle: (id: string) => void;
  readonly onOpen: (job: Job) => void;
  readonly onAction: (action: JobAction, job: Job) => void;
}

function TimeCell({ iso }: { readonly iso: string | null }) {
  return (
    <Text size="xs" c={iso ? undefined : 'dimmed'} title={iso ? formatDateTime(iso) : undefined} style={{ whiteSpace: 'nowrap' }}>
      {formatWhen(iso)}
    </Text>
  );
}

/** The line under the status: why a job waits, when it retries, or why it failed. */
function statusNote(job: Job): string | null {
  if (job.status === 'queued' || job.status === 'pending') {
    if (job.retryAfter) return `Retry ${job.retryCount}/${job.maxRetries} ${formatRelative(job.retryAfter)}`;
    return job.waitingReason;
  }
  if (job.status === 'paused') return job.waitingReason;
  if (job.status === 'failed') return job.lastError;
  return null;
}

export const JobRow = memo(function JobRow({ job, selected, active, onToggle, onOpen, onAction }: JobRowProps) {
  const note = statusNote(job);
  return (
    <Table.Tr
      bg={selected ? 'var(--mantine-primary-color-light)' : undefined}
      data-active={active || undefined}
      data-job-id={job.id}
      style={{ cursor: 'pointer', opacity: job.status === 'paused' ? 0.7 : 1 }}
      onClick={() => onOpen(job)}
    >
      <Table.Td onClick={(e) => e.stopPropagation()}>
        <Checkbox checked={selected} onChange={() => onToggle(job.id)} aria-label={`Select ${job.type} job ${job.id.slice(0, 8)}`} />
      </Table.Td>
      <Table.Td>
        <JobTypeLabel type={job.type} />
      </Table.Td>
      <Table.Td maw={260}>
        <Stack gap={2}>
          <StatusBadge status={job.status} suspended={isSuspended(job)} cancelling={job.cancelling} />
          {note && (
            <Text size="xs" c={job.status === 'failed' ? 'red' : 'dimmed'} lineClamp={2} title={note}>
              {note}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td miw={150}>
        <JobProgress status={job.status} progress={job.progress} />
      </Table.Td>
      <Table.Td>
        <PriorityTag priority={job.priority} />
      </Table.Td>
      <Table.Td miw={110}>
        <CategoryBadge category={job.resourceCategory} />
      </Table.Td>
      <Table.Td>
        <TimeCell iso={job.createdAt} />
      </Table.Td>
      <Table.Td>
        <TimeCell iso={job.startedAt} />
      </Table.Td>
      <Table.Td>
        <TimeCell iso={job.completedAt} />
      </Table.Td>
      <Table.Td>
        <JobRowActions job={job} onAction={onAction} onDetails={onOpen} />
      </Table.Td>
    </Table.Tr>
  );
});
