/**
 * Suspending and resuming a running job stops and continues its real child process while its
 * slot stays reserved; after a crash, the child processes it left behind are killed on restart.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/contracts/errors';
import { readStartTicks } from '../processors/media/orphan-cleanup';
import { startProcess } from '../processors/media/process-runner';
import type { Processor } from '../processors/processor';
import { SqliteJobStore } from '../storage/sqlite/sqlite-job-store';
import { loadConfig } from './config';
import { childProcessProcessor } from '../processors/testing/test-processors';
import { startTestRuntime, waitFor, type TestRuntime } from './testing/test-runtime';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

function processState(pid: number): string | null {
  try {
    // field 3 of /proc/<pid>/stat: R running, S sleeping, T stopped, Z zombie
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0]!;
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  const state = processState(pid);
  return state !== null && state !== 'Z';
};

describe('suspend and resume of a running job', () => {
  it('stops and continues the process, keeps the slot reserved, and cancels a suspended job cleanly', async () => {
    t = await startTestRuntime({ processor: childProcessProcessor, config: { limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, hangTimeoutMs: 1000 } });
    const { runtime } = t;
    const job = await runtime.execute('createJob', { type: 'scan', params: { sleepSeconds: 30 } });
    const next = await runtime.execute('createJob', { type: 'scan', params: { sleepSeconds: 0 } });
    const pid = await waitFor(async () => {
      const log = (await runtime.execute('getJob', { id: job.id })).log;
      const m = /as PID (\d+)/.exec(log);
      return m ? Number(m[1]) : undefined;
    });
    expect(await runtime.execute('pauseJob', { id: job.id })).toEqual({ id: job.id, status: 'suspended' });
    await waitFor(() => processState(pid) === 'T', 2000, 'process stopped');
    // the slot stays taken: the next job waits; the watchdog leaves the suspended job alone
    await new Promise((r) => setTimeout(r, 1600));
    expect(await runtime.execute('getJob', { id: next.id })).toMatchObject({ status: 'queued', waitingReason: 'cpu: 1 of 1 slots busy' });
    expect((await runtime.execute('getJob', { id: job.id })).status).toBe('suspended');
    // suspended everywhere: the list (and its filter), the counts
    expect((await runtime.execute('listJobs', { page: 1, limit: 10, status: 'suspended' })).data.map((j) => [j.id, j.status])).toEqual([[job.id, 'suspended']]);
    expect(await runtime.execute('getStats', {})).toMatchObject({ suspended: 1, running: 0, paused: 0, queued: 1 });
    // a suspended job cannot be paused again; resume continues it
    await expect(runtime.execute('pauseJob', { id: job.id })).rejects.toSatisfy((e) => isAppError(e) && e.code === 'INVALID_TRANSITION');

    expect(await runtime.execute('resumeJob', { id: job.id })).toEqual({ id: job.id, status: 'running' });
    await waitFor(() => processState(pid) !== 'T', 2000, 'process continued');
    expect(alive(pid)).toBe(true);

    await runtime.execute('pauseJob', { id: job.id });
    await runtime.execute('cancelJob', { id: job.id });
    await waitFor(() => !alive(pid), 3000, 'process gone');
    await waitFor(async () => (await runtime.execute('getJob', { id: next.id })).status === 'completed', 3000, 'next job done');
    const log = (await runtime.execute('getJob', { id: job.id })).log;
    expect(log).toMatch(/Suspended by internal \(admin\)/);
    expect(log).toMatch(/Resumed by internal \(admin\): process continued/);
  });

  it('refuses to suspend work that has no external process', async () => {
    t = await startTestRuntime();
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 3000 } });
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: job.id })).status === 'running');
    await expect(t.runtime.execute('pauseJob', { id: job.id })).rejects.toSatisfy((e) => isAppError(e) && e.code === 'INVALID_TRANSITION' && /no external process/.test(e.message));
  });
});

describe('orphaned child processes after a crash', () => {
  it('kills a recorded process still running its command, and leaves a reused PID alone', async () => {
    t = await startTestRuntime();
    const orphan = spawn('sleep', ['60'], { stdio: 'ignore', detached: true });
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore', detached: true });
    const dir = t.dir;
    await t.store.recordProcess({ pid: orphan.pid!, jobId: 'x', command: 'sleep', nodeId: 'test-node', startedAt: 1, startTicks: await readStartTicks(orphan.pid!) });
    // recorded as another program: must not be killed
    await t.store.recordProcess({ pid: bystander.pid!, jobId: 'y', command: 'ffmpeg', nodeId: 'test-node', startedAt: 1, startTicks: await readStartTicks(bystander.pid!) });
    await t.close();
    const restarted = await startTestRuntime({ dir });
    try {
      await waitFor(() => !alive(orphan.pid!), 3000, 'orphan killed');
      expect(alive(bystander.pid!)).toBe(true);
      expect(await restarted.store.takeRecordedProcesses('test-node')).toEqual([]);
    } finally {
      bystander.kill('SIGKILL');
      orphan.kill('SIGKILL');
      await restarted.close();
    }
  });
});

describe('process records at a clean stop', () => {
  it('leave no job_processes rows and no tool behind, even a tool that outlived its attempt', async () => {
    // a tool that ignores SIGINT/SIGTERM and gets its SIGKILL only after 30 s: it outlives the
    // attempt's grace (500 ms here) and the runtime's stop, which used to leave its row (and it) behind
    const stubborn: Processor = {
      async run(ctx) {
        const running = await startProcess({ command: '/bin/sh', args: ['-c', 'trap "" INT TERM; while :; do sleep 0.05; done'], signal: ctx.signal, killGraceMs: 30_000 });
        const untrack = ctx.trackProcess({ pid: running.pid, command: '/bin/sh', suspend: () => running.suspend(), resume: () => running.resume() });
        ctx.log(`Started the tool as PID ${running.pid}`);
        try {
          await running.result;
        } finally {
          untrack();
        }
      },
    };
    t = await startTestRuntime({ processor: stubborn });
    const quick = await t.runtime.execute('createJob', { type: 'scan', params: {} });
    const job = await t.runtime.execute('createJob', { type: 'scan', params: {} });
    const pid = await waitFor(async () => {
      const m = /as PID (\d+)/.exec((await t!.runtime.execute('getJob', { id: job.id })).log);
      return m ? Number(m[1]) : undefined;
    });
    await waitFor(() => alive(pid), 2000, 'tool running');
    const { dir } = t;
    await t.runtime.execute('cancelJob', { id: quick.id }).catch(() => undefined);
    await t.close();
    t = undefined;
    await waitFor(() => !alive(pid), 2000, 'tool killed at stop');
    const store = new SqliteJobStore({ file: loadConfig({ MEDIA_DATA_DIR: dir }).databaseFile });
    try {
      expect(await store.takeRecordedProcesses('test-node')).toEqual([]);
    } finally {
      await store.close();
    }
  }, 20_000);
});
