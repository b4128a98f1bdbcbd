/** A job's status as a badge in the spec's colours (pending grey, queued blue, running yellow, completed green, failed red). */
import { Badge } from '@mantine/core';
import type { JobStatus } from '../../../shared/domain/statuses';
import { STATUS_COLORS, STATUS_LABELS } from '../lib/job-presentation';

export function StatusBadge({ status, suspended = false }: { readonly status: JobStatus; readonly suspended?: boolean }) {
  const label = suspended ? 'Suspended' : STATUS_LABELS[status];
  return (
    <Badge
      color={STATUS_COLORS[status]}
      // paused jobs are "greyed out" (spec): an outline instead of a filled badge
      variant={status === 'paused' ? 'outline' : 'filled'}
      autoContrast
      data-status={status}
      data-color={STATUS_COLORS[status]}
      aria-label={`Status: ${label}`}
    >
      {label}
    </Badge>
  );
}
