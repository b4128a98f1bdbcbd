/**
 * A segmented encode is one job in the stats too (#20): its parts (encode_chunk, encode_audio) are
 * left out of the status counts, and a parent with a live part counts as running (it is encoding,
 * through its parts) instead of under its own waiting status. The store's counts stay exact per
 * row (StatusCounts.byStatus); this is the user's view of them. Pure.
 */
import type { JobStatus } from '../../../shared/domain/statuses';
import type { StatusCounts } from '../../core/ports';

export function oneJobStatusCounts(counts: Pick<StatusCounts, 'byStatus' | 'partsByStatus' | 'parentsWithLiveParts'>): Record<JobStatus, number> {
  const out = { ...counts.byStatus };
  for (const status of Object.keys(out) as JobStatus[]) {
    out[status] -= counts.partsByStatus[status];
    const encoding = status === 'running' ? 0 : (counts.parentsWithLiveParts[status] ?? 0);
    out[status] -= encoding;
    out.running += encoding;
  }
  return out;
}
