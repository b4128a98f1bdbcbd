import { describe, expect, it } from 'vitest';
import { createFakeClient, makeJob, manualTimers, pagedJobs } from '../testing/fake-client';
import { createDashboardStore } from './dashboard-store';
import { createJobRatesStore } from './job-rates-store';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('dashboard store', () => {
  it('loads live jobs, failures and throughput when activated, and re-reads once after jobs start or end', async () => {
    let jobs = [makeJob({ status: 'running' })];
    const client = createFakeClient({
      listJobs: pagedJobs(() => jobs),
      getThroughput: () => ({ hours: [] }),
      listNodes: () => ({ mode: 'embedded', nodeId: 'a', leaseMs: null, nodes: [] }),
      getSystemInfo: () => {
        throw new Error('no telemetry here');
      },
    });
    const timers = manualTimers();
    const store = createDashboardStore(client, { timers, refreshDelayMs: 500 });
    store.getState().applyEvents([{ type: 'job.created', job: makeJob({ status: 'running' }) }]);
    expect(client.callsOf('listJobs')).toHaveLength(0); // not shown: nothing read
    store.getState().activate();
    await settle();
    expect(store.getState().live).toHaveLength(1);
    const started = makeJob({ status: 'running' });
    jobs = [...jobs, started];
    const reads = client.callsOf('listJobs').length;
    store.getState().applyEvents([{ type: 'job.updated', job: started }, { type: 'job.updated', job: { ...started, progress: 3 } }]);
    timers.advance(500);
    await settle();
    expect(client.callsOf('listJobs').length).toBe(reads + 4); // running, suspended, failed, running parts: once
    expect(store.getState().live).toHaveLength(2);
    store.getState().deactivate();
    expect(timers.scheduled).toBe(0);
  });
});

describe('job rates store', () => {
  it('keeps the latest ffmpeg status per running job and forgets jobs that stop', () => {
    const store = createJobRatesStore();
    const job = makeJob({ status: 'running' });
    store.getState().applyEvents([{ type: 'job.console', jobId: job.id, text: 'frame=  10 fps= 25 time=00:00:01.00 speed=1.5x\r' }]);
    expect(store.getState().rates[job.id]).toEqual({ fps: 25, speed: 1.5, outTimeSeconds: 1 });
    const before = store.getState().rates;
    store.getState().applyEvents([{ type: 'job.console', jobId: job.id, text: 'Stream mapping:\n' }]);
    expect(store.getState().rates).toBe(before); // nothing new: no change
    store.getState().applyEvents([{ type: 'job.updated', job: { ...job, status: 'completed' } }]);
    expect(store.getState().rates[job.id]).toBeUndefined();
  });
});
