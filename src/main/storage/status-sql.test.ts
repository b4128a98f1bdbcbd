import { describe, expect, it } from 'vitest';
import { LIVE, WAITING, appliesTo, categoryIn, setStatusOf, sqlStatus, statusIn } from './status-sql';
import type { JobStatus } from '../../shared/domain/statuses';

describe('status predicates rendered from the lifecycle table', () => {
  it('renders the classes exactly as the partial indexes spell them (jobs_active, jobs_waiting, jobs_waiting_vram)', () => {
    expect(LIVE).toBe("status IN ('running', 'suspended')");
    expect(WAITING).toBe("status IN ('pending', 'queued')");
    expect(categoryIn(['gpu_ai', 'gpu_encode'])).toBe("resource_category IN ('gpu_encode', 'gpu_ai')");
  });

  it('renders what an action applies to and the status it sets', () => {
    expect(appliesTo('complete')).toBe("status IN ('running', 'suspended')");
    expect(appliesTo('start', 'jobs.status')).toBe("jobs.status IN ('pending', 'queued')");
    expect(appliesTo('suspend')).toBe("status = 'running'");
    expect(setStatusOf('suspend')).toBe("status = 'suspended'");
    expect(() => setStatusOf('setPriority')).toThrow(/does not change the status/);
  });

  it('inlines nothing but known statuses and plain column names', () => {
    expect(statusIn(['queued', 'pending'])).toBe("status IN ('pending', 'queued')");
    expect(() => sqlStatus("x'; DROP TABLE jobs; --" as JobStatus)).toThrow(/Not a job status/);
    expect(() => statusIn(['running', 'bogus' as JobStatus])).toThrow(/Unknown status/);
    expect(() => statusIn(['running'], 'status; --')).toThrow(/Not a column/);
    expect(() => statusIn([])).toThrow();
  });
});
