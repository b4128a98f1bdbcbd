import { describe, expect, it } from 'vitest';
import type { Job } from './job';
import { newScanJob as created } from './testing/new-job';
import { NEW_JOB_INITIAL_FIELDS, compactCreatedJob, expandCreatedBatch, expandCreatedJob, splitCreatedBatch } from './event-frames';

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

describe('job.created.batch data', () => {
  const wire = (data: unknown) => JSON.parse(JSON.stringify(data)) as unknown;
  const burst = Array.from({ length: 20 }, (_, i) => ({ ...created, id: `00000000-0000-4000-8000-${String(100 + i).padStart(12, '0')}`, createdAt: `2026-02-13T10:30:${String(10 + i)}.000Z` }));

  it('sends what a burst of jobs shares once: each job carries only its id and creation time', () => {
    const batch = splitCreatedBatch(burst.map(compactCreatedJob));
    expect(Object.keys(batch.shared).sort()).toEqual(['createdBy', 'maxRetries', 'params', 'priority', 'resourceCategory', 'status', 'type', 'vramRequired']);
    for (const own of batch.jobs) expect(Object.keys(own).sort()).toEqual(['createdAt', 'id']);
    expect(JSON.stringify(batch).length).toBeLessThan(0.45 * JSON.stringify(burst.map(compactCreatedJob)).length);
    expect(expandCreatedBatch(wire(batch))).toEqual(burst);
  });

  it('shares a field only when every job has it with the same value (params compared whole, a field left out by one job not shared)', () => {
    const mixed: Job[] = [
      { ...burst[0]!, params: { directoryType: 'videos', skipExisting: true } },
      { ...burst[1]!, params: { skipExisting: true, directoryType: 'videos' }, type: 'validate' }, // same params, other key order: not shared
      { ...burst[2]!, queuePosition: 3, priority: 1 }, // queuePosition absent from the others' short form
    ];
    const batch = splitCreatedBatch(mixed.map(compactCreatedJob));
    expect(batch.shared).not.toHaveProperty('type');
    expect(batch.shared).not.toHaveProperty('params');
    expect(batch.shared).not.toHaveProperty('priority');
    expect(batch.shared).not.toHaveProperty('queuePosition');
    expect(batch.shared).toMatchObject({ status: 'pending', maxRetries: 3 });
    expect(expandCreatedBatch(wire(batch))).toEqual(mixed);
  });

  it('reads a bare array (the form before shared fields) and refuses anything else as empty', () => {
    expect(expandCreatedBatch(wire(burst.slice(0, 2).map(compactCreatedJob)))).toEqual(burst.slice(0, 2));
    for (const bad of [null, 3, 'x', { jobs: 'no' }, { shared: null, jobs: [] }, { shared: {} }, [null], { shared: {}, jobs: [{ id: 'a' }, 7] }, { shared: [], jobs: [{ id: 'a' }] }]) {
      expect(expandCreatedBatch(bad)).toEqual([]);
    }
  });
});
