/**
 * Drain, start paused and the GPU yield on the real runtime (SQLite, real dispatcher): a drain
 * starts nothing new and kills nothing, and reports drained (with an event) when the last running
 * job ends; MEDIA_START_PAUSED starts with the queue paused; GPU jobs wait while a named program
 * runs (a fake reading source) and are suspended and resumed with action "suspend".
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MediaEvent } from '../../shared/contracts/events';
import type { GpuActivityReading } from '../core/gpu-yield';
import { childProcessProcessor } from '../processors/testing/test-processors';
import type { GpuActivitySource } from '../system/gpu-activity';
import { loadConfig } from './config';
import { ManualClock } from './testing/manual-clock';
import { startTestRuntime, waitFor, type TestRuntime } from './testing/test-runtime';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe('drain', () => {
  it('starts nothing new, lets the running jobs finish, and reports drained when the last ends', async () => {
    t = await startTestRuntime({ config: { limits: { cpu: 2, gpu_encode: 1, gpu_ai: 1 } } });
    const { runtime } = t;
    const events: MediaEvent[] = [];
    runtime.subscribe((e) => events.push(e));
    const running = [await runtime.execute('createJob', { type: 'scan', params: { sleepMs: 400 } }), await runtime.execute('createJob', { type: 'scan', params: { sleepMs: 600 } })];
    await waitFor(async () => (await runtime.execute('getStats', {})).running === 2, 5000, 'two running');
    const starts: string[] = [];
    runtime.observeTransitions((changes) => changes.filter((c) => c.to === 'running' && c.waitMs !== undefined).forEach((c) => starts.push(c.job.id)));

    const answer = await runtime.execute('drainQueue', {});
    expect(answer).toMatchObject({ paused: true, drain: { state: 'draining', live: 2, drainedAt: null } });
    const waiting = await runtime.execute('createJob', { type: 'scan', params: {} });
    await waitFor(async () => (await runtime.execute('getJob', { id: waiting.id })).waitingReason === 'Queue is draining: running jobs finish, nothing new starts', 5000, 'draining reason');
    expect((await runtime.execute('getStats', {})).drain).toMatchObject({ state: 'draining' });

    await waitFor(async () => (await runtime.execute('getQueueState', {})).drain?.state === 'drained', 5000, 'drained');
    for (const job of running) expect((await runtime.execute('getJob', { id: job.id })).status).toBe('completed');
    expect(starts).toEqual([]);
    expect((await runtime.execute('getJob', { id: waiting.id })).status).toBe('queued');
    expect(events.filter((e) => e.type === 'queue.updated').map((e) => (e as Extract<MediaEvent, { type: 'queue.updated' }>).queue.drain?.state)).toEqual(['draining', 'drained']);

    // the queue's resume ends the drain
    expect(await runtime.execute('resumeQueue', {})).toMatchObject({ paused: false, drain: { state: 'off' } });
    await waitFor(async () => (await runtime.execute('getJob', { id: waiting.id })).status === 'completed', 5000, 'runs after the resume');
  });

  it('with nothing running, is drained at once', async () => {
    t = await startTestRuntime();
    expect(await t.runtime.execute('drainQueue', {})).toMatchObject({ drain: { state: 'drained', live: 0 } });
  });
});

describe('start paused', () => {
  it('MEDIA_START_PAUSED=1 starts the node with the queue paused; resume starts the jobs', async () => {
    expect(loadConfig({ MEDIA_START_PAUSED: '1' }).startPaused).toBe(true);
    expect(() => loadConfig({ MEDIA_START_PAUSED: 'yes' })).toThrow(/MEDIA_START_PAUSED must be 0 or 1/);
    t = await startTestRuntime({ config: { startPaused: true } });
    expect(await t.runtime.execute('getQueueState', {})).toMatchObject({ paused: true });
    const job = await t.runtime.execute('createJob', { type: 'scan', params: {} });
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: job.id })).waitingReason === 'Queue is paused', 5000, 'paused reason');
    await t.runtime.execute('resumeQueue', {});
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: job.id })).status === 'completed', 5000, 'completed');
  });
});

describe('GPU yield', () => {
  class FakeMachine implements GpuActivitySource {
    running: string[] = [];
    async read(names: readonly string[]): Promise<GpuActivityReading> {
      return { namedProcesses: this.running.filter((n) => names.includes(n)).map((name, i) => ({ pid: 90_000 + i, name })), encoderProcesses: null, encoderSessions: null };
    }
  }

  it('holds GPU jobs while a named program runs, with the reason, and starts them when it ends', async () => {
    const clock = new ManualClock();
    const machine = new FakeMachine();
    t = await startTestRuntime({ clock, timers: clock, gpuActivity: machine, config: { hangTimeoutMs: 24 * 3_600_000 } });
    const { runtime } = t;
    machine.running = ['obs'];
    const state = await runtime.execute('setSchedules', { gpuYield: { enabled: true, processNames: ['obs'], watchEncoder: false, action: 'hold', categories: ['gpu_encode', 'gpu_ai'], pollSeconds: 5 } });
    expect(state.gpuHold).toBe('held: obs is running');
    const gpu = await runtime.execute('createJob', { type: 'reencode_streaming', params: {} });
    const cpu = await runtime.execute('createJob', { type: 'scan', params: {} });
    await waitFor(async () => (await runtime.execute('getJob', { id: gpu.id })).waitingReason === 'gpu_encode: held: obs is running', 5000, 'held reason');
    await waitFor(async () => (await runtime.execute('getJob', { id: cpu.id })).status === 'completed', 5000, 'cpu jobs go on');

    machine.running = [];
    await clock.advance(5_000);
    await waitFor(async () => (await runtime.execute('getJob', { id: gpu.id })).status === 'completed', 5000, 'started once obs ended');
    expect((await runtime.execute('getSchedules', {})).gpuHold).toBeNull();
  });

  it('with action "suspend", suspends running GPU jobs and resumes them when the program ends', async () => {
    const clock = new ManualClock();
    const machine = new FakeMachine();
    t = await startTestRuntime({ clock, timers: clock, gpuActivity: machine, processor: childProcessProcessor, config: { hangTimeoutMs: 24 * 3_600_000 } });
    const { runtime } = t;
    await runtime.execute('setSchedules', { gpuYield: { enabled: true, processNames: ['eldenring.exe'], watchEncoder: false, action: 'suspend', categories: ['gpu_encode'], pollSeconds: 2 } });
    const job = await runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepSeconds: 120 } });
    await waitFor(async () => (await runtime.execute('getJob', { id: job.id })).log.includes('as PID'), 5000, 'running');

    machine.running = ['eldenring.exe'];
    await clock.advance(2_000);
    await waitFor(async () => (await runtime.execute('getJob', { id: job.id })).status === 'suspended', 5000, 'suspended for the game');
    machine.running = [];
    await clock.advance(2_000);
    await waitFor(async () => (await runtime.execute('getJob', { id: job.id })).status === 'running', 5000, 'resumed after the game');
    await runtime.execute('cancelJob', { id: job.id });
  });
});
