/**
 * A job's status as a badge in the spec's colours (pending grey, queued blue, running yellow,
 * completed green, failed red; suspended: a running job's outline). A running (or suspended) job being cancelled shows CANCELLING until
 * its tool has exited and its partial files are gone: only then is it cancelled.
 */
import { Badge } from '@mantine/core';
import type { JobStatus } from '../../../shared/domain/statuses';
import { STATUS_COLORS, STATUS_LABELS } from '../lib/job-presentation';

export function StatusBadge({ status, cancelling = false }: { readonly status: JobStatus; readonly cancelling?: boolean }) {
  const label = cancelling ? 'Cancelling' : STATUS_LABELS[status];
  const color = cancelling ? 'red' : STATUS_COLORS[status];
  return (
    <Badge
      color={color}
      // paused jobs are "greyed out" (spec), and so are suspended ones (their process is stopped): an
      // outline instead of a filled badge; a cancelling one is light
      variant={cancelling ? 'light' : status === 'paused' || status === 'suspended' ? 'outline' : 'filled'}
      autoContrast
      data-status={status}
      data-cancelling={cancelling || undefined}
      data-color={color}
      aria-label={`Status: ${label}`}
    >
      {label}
    </Badge>
  );
}
