import { describe, expect, it } from 'vitest';
import { NO_JOB_FILTERS, listInputOf } from '../../stores/jobs-store';
import { jobsQueryOf, jobsViewOf } from './jobs-url';

describe('the Jobs page in the URL', () => {
  it('round-trips filters, page and page size', () => {
    const view = { filters: { ...NO_JOB_FILTERS, status: 'failed' as const, type: 'scan' as const, search: 'beach', createdFrom: '2026-02-01', createdTo: '2026-02-03' }, page: 3, limit: 50 };
    const query = jobsQueryOf(view);
    expect(query).toEqual({ status: 'failed', type: 'scan', q: 'beach', from: '2026-02-01', to: '2026-02-03', page: '3', limit: '50' });
    expect(jobsViewOf(query)).toEqual(view);
  });

  it('ignores what it does not know', () => {
    expect(jobsViewOf({ status: 'exploded', type: 'nope', from: 'yesterday', page: '-1', limit: '7' })).toEqual({ filters: NO_JOB_FILTERS, page: 1, limit: 25 });
  });

  it('asks the server for whole local days', () => {
    const input = listInputOf({ ...NO_JOB_FILTERS, createdFrom: '2026-02-01', createdTo: '2026-02-01', search: '  beach ' });
    expect(input.search).toBe('beach');
    expect(Date.parse(input.createdTo!) - Date.parse(input.createdFrom!)).toBe(24 * 3_600_000);
    expect(new Date(input.createdFrom!).getHours()).toBe(0);
  });
});
