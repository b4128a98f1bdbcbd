/**
 * A segmented encode (#20) is one job to the user: while its parts run, its own status is `pending`
 * (it waits for them, and the API lists it under pending), yet the user should see it encoding. This
 * says which phase such a parent is in, for the jobs table's status cell and the dashboard's tile:
 * "encoding · 2 parts running" (the running colour) while parts run, "waiting for parts" while
 * parts are left but none runs (no slot free, queue paused). Jobs that are not such a parent get null.
 */
import { Badge } from '@mantine/core';
import type { Job } from '../../../../shared/contracts/job';
import { WAITING_STATUSES } from '../../../../shared/domain/statuses';
import { STATUS_COLORS } from '../../lib/job-presentation';

export interface SegmentPhase {
  /** Parts are running now. */
  readonly encoding: boolean;
  readonly label: string;
  /** "Encoding in parts: 2 running, 9 of 16 done". */
  readonly summary: string;
}

/** The phase of a parent waiting on its parts; null for any other job. Pure. */
export function segmentPhase(job: Pick<Job, 'status' | 'chunks'>): SegmentPhase | null {
  const c = job.chunks;
  if (!c || !WAITING_STATUSES.includes(job.status) || c.done >= c.total) return null;
  const encoding = c.running > 0;
  return {
    encoding,
    label: encoding ? `encoding · ${c.running} ${c.running === 1 ? 'part' : 'parts'} running` : 'waiting for parts',
    summary: `Encoding in parts: ${encoding ? `${c.running} running, ` : ''}${c.done} of ${c.total} done`,
  };
}

export function SegmentBadge({ phase }: { readonly phase: SegmentPhase }) {
  const color = phase.encoding ? STATUS_COLORS.running : STATUS_COLORS.pending;
  return (
    <Badge color={color} variant={phase.encoding ? 'filled' : 'light'} autoContrast tt="none" data-status="pending" data-color={color} aria-label={`Status: ${phase.label}`} title="Its own status is pending: it waits for its part jobs (listed under pending)">
      {phase.label}
    </Badge>
  );
}
