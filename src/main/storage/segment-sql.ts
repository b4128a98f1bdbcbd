/** SQL and helpers shared by both stores for the parts of segmented encodes (#20). */
import { SEGMENT_CHILD_TYPES } from '../../shared/domain/job-types';
import { LIVE_STATUSES } from '../../shared/domain/statuses';
import type { JobRecord } from '../core/ports';
import { statusIn } from './status-sql';

/**
 * The parents that have a live (running, suspended) part, by the parent's own status (a waiting
 * one: pending): the stats show such a parent as running. From the live parts (few, and indexed)
 * to their parents by id.
 */
export const PARENTS_WITH_LIVE_PARTS = `SELECT p.status AS status, count(DISTINCT p.id) AS n FROM jobs c JOIN jobs p ON p.id = c.parent_job_id
  WHERE ${statusIn(LIVE_STATUSES, 'c.status')} AND c.type IN (${SEGMENT_CHILD_TYPES.map((t) => `'${t}'`).join(', ')}) GROUP BY p.status`;

/** Parts (oldest first) grouped by their parent's id, in their order. */
export function groupByParent(parts: readonly JobRecord[]): Map<string, JobRecord[]> {
  const out = new Map<string, JobRecord[]>();
  for (const p of parts) {
    if (!p.parentJobId) continue;
    const list = out.get(p.parentJobId);
    if (list) list.push(p);
    else out.set(p.parentJobId, [p]);
  }
  return out;
}

/** The predicate that leaves out the parts of segmented encodes, for the job list's default view. */

export function notSegmentChild(column = 'type'): string {
  return `${column} NOT IN (${SEGMENT_CHILD_TYPES.map((t) => `'${t}'`).join(', ')})`;
}
