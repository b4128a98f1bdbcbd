import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, type JobStatus } from '../../../shared/domain/statuses';
import { oneJobStatusCounts } from './one-job-stats';

const zero = () => Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;

describe('oneJobStatusCounts', () => {
  it('leaves the parts out and shows a waiting parent with a live part as running; the total is the jobs the user has', () => {
    // one segmented encode waiting (pending) with 2 running parts, 3 done and 1 waiting; another job running
    const byStatus = { ...zero(), pending: 2, running: 3, completed: 3 };
    const partsByStatus = { ...zero(), pending: 1, running: 2, completed: 3 };
    const counts = oneJobStatusCounts({ byStatus, partsByStatus, parentsWithLiveParts: { pending: 1 } });
    expect(counts).toEqual({ ...zero(), running: 2 });
  });
});
