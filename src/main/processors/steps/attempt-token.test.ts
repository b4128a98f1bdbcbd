/**
 * Output names carry a token of the job id. Job ids are time-ordered (UUIDv7): jobs created in the
 * same millisecond share their first digits, so the token must come from the id's random end.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JOB_TYPE_CATALOG } from '../../../shared/domain/job-types';
import { buildNewJob } from '../../runtime/create-job';
import { attemptToken } from './publish-output';

afterEach(() => vi.useRealTimers());

describe('attempt token of output names', () => {
  it('differs for jobs the runtime creates in the same millisecond', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3_600_000); // one frozen millisecond, later than any id made before
    const jobs = Array.from({ length: 200 }, () => buildNewJob({ type: 'scan', params: {}, priority: 5 }, JOB_TYPE_CATALOG, () => null, Date.now()));
    expect(new Set(jobs.map((j) => j.id.slice(0, 8))).size).toBe(1); // what the old token was: the same for all
    const partials = jobs.map((j) => `videos/a.${attemptToken({ id: j.id, attempt: 1 })}.partial.mkv`);
    expect(new Set(partials).size).toBe(jobs.length);
    expect(partials[0]).toMatch(/^videos\/a\.[0-9a-f]{8}-a1\.partial\.mkv$/);
  });
});
