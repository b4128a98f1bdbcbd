/**
 * Time windows on the real runtime (SQLite, real dispatcher) driven by a manual clock: a simulated
 * week of jobs created around the clock, none of which starts outside its category's windows; a
 * window closing with "suspend" suspends the running jobs (real child processes, SIGSTOP) and its
 * opening resumes them, leaving a job the user suspended alone; "finish" lets them run on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TimeWindow } from '../../shared/contracts/queue-control';
import { localToEpoch, openWindowAt } from '../core/time-windows';
import { childProcessProcessor } from '../processors/testing/test-processors';
import { ManualClock } from './testing/manual-clock';
import { startTestRuntime, waitFor, type TestRuntime } from './testing/test-runtime';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
/** Monday 2026-01-05, local time in Berlin. */
const monday = (hhmm: string, plusDays = 0) => localToEpoch(2026, 1, 5 + plusDays, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), ZONE);

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

async function start(clock: ManualClock, options: Partial<Parameters<typeof startTestRuntime>[0]> = {}): Promise<TestRuntime> {
  t = await startTestRuntime({
    clock,
    timers: clock,
    // the manual clock jumps hours at a time: no running job may look hung for it
    config: { limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 }, hangTimeoutMs: 30 * 24 * HOUR },
    ...options,
  });
  return t;
}

const job = async (rt: TestRuntime, id: string) => rt.runtime.execute('getJob', { id });

describe('time windows over a simulated week', () => {
  it('starts no job outside its window, and every job once its window opens', async () => {
    const clock = new ManualClock(monday('00:00'));
    const rt = await start(clock);
    const windows = [
      { category: 'gpu_encode', start: '22:00', end: '07:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      { category: 'gpu_ai', start: '12:00', end: '13:00' },
      { category: 'gpu_ai', start: '18:30', end: '19:00' },
    ] as const;
    await rt.runtime.execute('setSchedules', { timeZone: ZONE, windows });
    const starts: { category: string; at: number }[] = [];
    rt.runtime.observeTransitions((changes) => {
      for (const c of changes) if (c.to === 'running' && c.waitMs !== undefined) starts.push({ category: c.job.resourceCategory, at: c.job.startedAt! });
    });
    const settle = async () => {
      for (let i = 0; i < 2; i++) {
        await waitFor(async () => rt.runtime.runningJobIds().length === 0 && (await rt.store.countJobs()).byStatus.running === 0, 5000, 'no job running');
        await new Promise((r) => setTimeout(r, 3));
      }
    };

    const created: string[] = [];
    for (let step = 0; step < 7 * 24 * 2; step++) {
      for (const type of ['reencode_streaming', 'tag_generation', 'scan'] as const) created.push((await rt.runtime.execute('createJob', { type, params: {} })).id);
      await settle();
      if (step === 24) {
        // Monday 12:00: no window since midnight (Sunday night has none); the night window opens tonight
        const waiting = await job(rt, created[0]!);
        expect(waiting).toMatchObject({ status: 'queued', waitingReason: 'gpu_encode: outside its window, opens 22:00' });
      }
      if (step === 5 * 48 + 24) {
        // Saturday 12:00: Friday night's window closed at 07:00 (the first job created then waits first
        // in line); no window opens on the weekend, the next is Monday night
        expect(await job(rt, created[(5 * 48 + 14) * 3]!)).toMatchObject({ status: 'queued', waitingReason: 'gpu_encode: outside its window, opens Mon 22:00' });
      }
      await clock.advance(30 * 60_000);
    }
    // the next Monday: the backlog runs in its windows (at 12:00 for gpu_ai, at 22:00 for gpu_encode)
    const done = (type: string) => async () => (await rt.runtime.execute('getStats', {})).jobsByType[type] === 7 * 48 && (await rt.runtime.execute('listJobs', { page: 1, limit: 1, type, status: 'completed' })).pagination.total === 7 * 48;
    await clock.advance(12 * HOUR);
    await waitFor(done('tag_generation'), 20_000, 'the gpu_ai backlog');
    await clock.advance(10 * HOUR);
    await waitFor(done('reencode_streaming'), 20_000, 'the gpu_encode backlog');
    await settle();

    const inWindow = (s: { category: string; at: number }) => s.category === 'cpu' || openWindowAt(windows as unknown as TimeWindow[], s.category as TimeWindow['category'], s.at, ZONE) !== null;
    expect(starts.filter((s) => !inWindow(s))).toEqual([]);
    expect(starts.filter((s) => s.category === 'gpu_encode').length).toBe(7 * 48);
    expect(starts.filter((s) => s.category === 'gpu_ai').length).toBe(7 * 48);
    expect((await rt.store.countJobs()).byStatus.completed).toBe(created.length);
  }, 120_000);
});

describe('at a window close', () => {
  const setup = async (atClose: 'finish' | 'suspend') => {
    const clock = new ManualClock(monday('08:00'));
    const rt = await start(clock, { processor: childProcessProcessor });
    await rt.runtime.execute('setSchedules', { timeZone: ZONE, windows: [{ category: 'gpu_encode', start: '08:00', end: '09:00', atClose }] });
    const a = await rt.runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepSeconds: 120 } });
    const b = await rt.runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepSeconds: 120 } });
    await waitFor(async () => (await job(rt, a.id)).log.includes('as PID') && (await job(rt, b.id)).log.includes('as PID'), 5000, 'both running');
    return { clock, rt, a, b };
  };

  it('"suspend" suspends what runs and resumes it when the window opens; a job the user suspended stays suspended', async () => {
    const { clock, rt, a, b } = await setup('suspend');
    expect(await rt.runtime.execute('pauseJob', { id: b.id })).toEqual({ id: b.id, status: 'suspended' });

    await clock.advance(HOUR); // 09:00: the window closes
    await waitFor(async () => (await job(rt, a.id)).status === 'suspended', 5000, 'suspended by the window');
    expect((await job(rt, a.id)).log).toMatch(/Suspended by time window gpu_encode 08:00–09:00 \(closed\)/);
    const c = await rt.runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepSeconds: 1 } });
    await waitFor(async () => (await job(rt, c.id)).waitingReason === 'gpu_encode: outside its window, opens Tue 08:00', 5000, 'waiting reason');

    await clock.advance(23 * HOUR); // Tuesday 08:00: open again
    await waitFor(async () => (await job(rt, a.id)).status === 'running', 5000, 'resumed by the window');
    expect((await job(rt, a.id)).log).toMatch(/Resumed by time window of gpu_encode \(opened\)/);
    expect((await job(rt, b.id)).status).toBe('suspended');
    await rt.runtime.execute('cancelJob', { id: a.id });
    await rt.runtime.execute('cancelJob', { id: b.id });
  });

  it('"finish" lets running jobs run on while nothing new starts', async () => {
    const { clock, rt, a, b } = await setup('finish');
    await clock.advance(HOUR);
    const c = await rt.runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepSeconds: 1 } });
    await waitFor(async () => (await job(rt, c.id)).waitingReason === 'gpu_encode: outside its window, opens Tue 08:00', 5000, 'waiting reason');
    expect((await job(rt, a.id)).status).toBe('running');
    expect((await job(rt, b.id)).status).toBe('running');
    const view = await rt.runtime.execute('getSchedules', {});
    expect(view.categories.gpu_encode).toMatchObject({ open: false, reason: 'gpu_encode: outside its window, opens Tue 08:00' });
    expect((await rt.runtime.execute('getQueueState', {})).closedCategories).toEqual({ gpu_encode: 'gpu_encode: outside its window, opens Tue 08:00' });
    await rt.runtime.execute('cancelJob', { id: a.id });
    await rt.runtime.execute('cancelJob', { id: b.id });
  });

  it('a user resuming a job the window suspended takes it over: the opening does not touch it again', async () => {
    const { clock, rt, a, b } = await setup('suspend');
    await clock.advance(HOUR);
    await waitFor(async () => (await job(rt, a.id)).status === 'suspended' && (await job(rt, b.id)).status === 'suspended', 5000, 'both suspended');
    await rt.runtime.execute('resumeJob', { id: a.id });
    await rt.runtime.execute('pauseJob', { id: a.id }); // the user's own suspension now
    await clock.advance(23 * HOUR);
    await waitFor(async () => (await job(rt, b.id)).status === 'running', 5000, 'b resumed by the window');
    expect((await job(rt, a.id)).status).toBe('suspended');
    await rt.runtime.execute('cancelJob', { id: a.id });
    await rt.runtime.execute('cancelJob', { id: b.id });
  });
});
