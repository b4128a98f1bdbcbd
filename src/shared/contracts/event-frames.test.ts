import { describe, expect, it } from 'vitest';
import type { Job } from './job';
import { NEW_JOB_INITIAL_FIELDS, compactCreatedJob, expandCreatedJob } from './event-frames';

const created: Job = {
  id: '00000000-0000-4000-8000-000000000001',
  type: 'scan',
  status: 'pending',
  params: { directoryType: 'videos', skipExisting: true },
  progress: 0,
  priority: 5,
  queuePosition: null,
  waitingReason: null,
  resourceCategory: 'cpu',
  vramRequired: 0,
  createdAt: '2026-02-13T10:30:15.000Z',
  startedAt: null,
  completedAt: null,
  retryCount: 0,
  maxRetries: 3,
  retryAfter: null,
  lastError: null,
  nodeId: null,
  createdBy: 'ci',
  pipelineRunId: null,
  parentJobId: null,
  cancelling: false,
};

describe('job.created frames', () => {
  it('leave out exactly the fields still at their initial values, and expand back to the same job', () => {
    const compact = compactCreatedJob(created);
    expect(Object.keys(compact).sort()).toEqual(['createdAt', 'createdBy', 'id', 'maxRetries', 'params', 'priority', 'resourceCategory', 'status', 'type', 'vramRequired']);
    expect(JSON.stringify({ type: 'job.created', job: compact }).length).toBeLessThan(0.65 * JSON.stringify({ type: 'job.created', job: created }).length);
    expect(expandCreatedJob(JSON.parse(JSON.stringify(compact)) as Partial<Job>)).toEqual(created);
  });

  it('keep every field that differs from its initial value (a step of a pipeline, a GPU job placed at once)', () => {
    const job: Job = { ...created, pipelineRunId: 'run-1', parentJobId: 'p-1', queuePosition: 4, waitingReason: 'Queue is paused', nodeId: 'n1', progress: 10, retryCount: 1, cancelling: true, gpuIndex: 1, gpuUuid: 'GPU-1',
      startedAt: '2026-02-13T10:30:16.000Z', completedAt: '2026-02-13T10:30:17.000Z', retryAfter: '2026-02-13T10:31:00.000Z', lastError: 'boom' };
    const compact = compactCreatedJob(job);
    for (const key of Object.keys(NEW_JOB_INITIAL_FIELDS)) expect(compact).toHaveProperty(key);
    expect(expandCreatedJob(JSON.parse(JSON.stringify(compact)) as Partial<Job>)).toEqual(job);
  });
});
