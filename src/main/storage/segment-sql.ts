/** The predicate that leaves out the parts of segmented encodes (#20), for the job list's default view. */
import { SEGMENT_CHILD_TYPES } from '../../shared/domain/job-types';

export function notSegmentChild(column = 'type'): string {
  return `${column} NOT IN (${SEGMENT_CHILD_TYPES.map((t) => `'${t}'`).join(', ')})`;
}
