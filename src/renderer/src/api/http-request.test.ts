import { describe, expect, it } from 'vitest';
import { OPERATIONS, OPERATION_NAMES } from '../../../shared/contracts/operations';
import { buildHttpRequest } from './http-request';

const ID = '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d';

describe('buildHttpRequest', () => {
  it('puts GET inputs in the query string and skips empty values', () => {
    const spec = buildHttpRequest('listJobs', { page: 2, limit: 50, status: 'running', type: undefined });
    expect(spec).toEqual({ method: 'GET', url: '/api/media/jobs?page=2&limit=50&status=running', body: undefined });
  });

  it('substitutes :id and keeps it out of the query and the body', () => {
    expect(buildHttpRequest('getJobLog', { id: ID, after: 10 }).url).toBe(`/api/media/jobs/${ID}/log?after=10`);
    const post = buildHttpRequest('setJobPriority', { id: ID, priority: 2 });
    expect(post).toEqual({ method: 'POST', url: `/api/media/jobs/${ID}/priority`, body: JSON.stringify({ priority: 2 }) });
  });

  it('sends POST inputs as a JSON object, an empty one when there is none', () => {
    expect(buildHttpRequest('pauseQueue', {})).toEqual({ method: 'POST', url: '/api/media/queue/pause', body: '{}' });
    expect(buildHttpRequest('pauseQueue', { category: 'gpu_ai' }).body).toBe('{"category":"gpu_ai"}');
    const create = buildHttpRequest('createJob', { type: 'scan', params: { directoryType: 'inbox' }, priority: 3 });
    expect(JSON.parse(create.body!)).toEqual({ type: 'scan', params: { directoryType: 'inbox' }, priority: 3 });
  });

  it('refuses a call that lacks a path parameter', () => {
    expect(() => buildHttpRequest('getJob', {} as never)).toThrow(/needs "id"/);
  });

  it('uses the method and path of the shared operations table for every operation', () => {
    for (const name of OPERATION_NAMES) {
      const spec = buildHttpRequest(name, { id: ID } as never);
      expect(spec.method).toBe(OPERATIONS[name].method);
      expect(spec.url.split('?')[0]).toBe(OPERATIONS[name].path.replace(':id', ID));
    }
  });
});
