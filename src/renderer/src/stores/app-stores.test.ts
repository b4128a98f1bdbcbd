import { describe, expect, it } from 'vitest';
import type { MediaEvent } from '../../../shared/contracts/events';
import { createFakeClient, EMPTY_STATS, makeJob, manualTimers, pagedJobs } from '../testing/fake-client';
import { createAppStores } from './app-stores';

function setup(jobCount: number) {
  const jobs = Array.from({ length: jobCount }, () => makeJob({ status: 'running' }));
  const client = createFakeClient({
    listJobs: pagedJobs(() => jobs),
    getStats: () => ({ ...EMPTY_STATS, running: jobCount }),
    getQueueState: () => ({ paused: false, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null }),
  });
  const timers = manualTimers();
  const stores = createAppStores(client, { timers, batchIntervalMs: 250 });
  return { jobs, client, timers, stores };
}

const settle = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('app stores: batching of live events', () => {
  it('applies a flood of progress events from 50 running jobs at most once per 250 ms', async () => {
    const { jobs, client, timers, stores } = setup(50);
    stores.jobs.setState({ limit: 50 });
    const stop = stores.start();
    await settle();
    expect(stores.jobs.getState().jobs).toHaveLength(50);

    let updates = 0;
    stores.jobs.subscribe(() => (updates += 1));
    // 10 rounds of one progress event per job, 50 ms apart: 500 events over 500 ms
    for (let round = 1; round <= 10; round += 1) {
      for (const job of jobs) client.emit([{ type: 'job.progress', jobId: job.id, progress: round * 5 }]);
      timers.advance(50);
    }
    timers.advance(250);
    expect(updates).toBeLessThanOrEqual(3);
    expect(updates).toBeGreaterThanOrEqual(2);
    expect(stores.jobs.getState().jobs.every((j) => j.progress === 50)).toBe(true);
    stop();
  });

  it('feeds every store from one subscription: stats and the open job', async () => {
    const { jobs, client, timers, stores } = setup(1);
    const job = jobs[0]!;
    const detailClient = client;
    detailClient.handlers.getJob = () => ({ ...job, log: '' });
    detailClient.handlers.getJobLog = () => ({ jobId: job.id, lines: [], dropped: 0, nextAfter: 0 });
    detailClient.handlers.getJobConsole = () => ({ jobId: job.id, running: true, lines: [], droppedLines: 0 });
    const stop = stores.start();
    stores.detail.getState().open(job.id);
    await settle();
    const events: MediaEvent[] = [
      { type: 'stats.changed', stats: { ...EMPTY_STATS, running: 7 } },
      { type: 'job.log', jobId: job.id, at: '2026-02-13T10:30:20.000Z', text: 'Progress: 5%' },
    ];
    client.emit(events);
    expect(stores.queue.getState().stats?.running).toBe(1);
    timers.advance(250);
    expect(stores.queue.getState().stats?.running).toBe(7);
    expect(stores.detail.getState().log.lines.map((l) => l.text)).toEqual(['Progress: 5%']);
    stop();
  });

  it('reloads the jobs and the stats when the stream says events were missed', async () => {
    const { client, stores } = setup(3);
    const stop = stores.start();
    await settle();
    const before = client.callsOf('listJobs').length;
    client.reset();
    await settle();
    expect(client.callsOf('listJobs').length).toBe(before + 1);
    expect(client.callsOf('getStats').length).toBe(2);
    stop();
  });

  it('re-reads the page after the stream was down (a restarted server cannot replay)', async () => {
    const { client, stores } = setup(2);
    const stop = stores.start();
    await settle();
    const before = client.callsOf('listJobs').length;
    client.status('reconnecting');
    expect(stores.connection.getState().status).toBe('reconnecting');
    client.status('live');
    await settle();
    expect(client.callsOf('listJobs').length).toBe(before + 1);
    client.status('live');
    await settle();
    expect(client.callsOf('listJobs').length).toBe(before + 1);
    stop();
  });
});
