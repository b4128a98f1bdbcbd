import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/contracts/errors';
import type { Job } from '../../shared/contracts/job';
import type { Processor } from '../processors/processor';
import type { RuntimeEvent } from './events';
import { startTestRuntime, waitFor, type TestRuntime } from './testing/test-runtime';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const jobStatus = async (id: string) => (await t!.runtime.execute('getJob', { id })).status;
const until = (id: string, status: Job['status'], timeoutMs = 5000) =>
  waitFor(async () => (await jobStatus(id)) === status, timeoutMs, `job ${id} to be ${status}`);

async function expectCode(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toSatisfy((e) => isAppError(e) && e.code === code);
}

describe('runtime: lifecycle through the real dispatcher and SQLite store', () => {
  it('runs a created job to completion within milliseconds and logs it', async () => {
    t = await startTestRuntime();
    const created = await t.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 0 } });
    expect(created).toMatchObject({ type: 'validate', status: 'pending', progress: 0 });
    await until(created.id, 'completed', 2000);
    const job = await t.runtime.execute('getJob', { id: created.id });
    expect(job).toMatchObject({ progress: 100, resourceCategory: 'cpu', vramRequired: 0, nodeId: 'test-node' });
    expect(job.startedAt).not.toBeNull();
    expect(job.log).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] Started attempt 1 on node test-node/);
    expect(job.log).toMatch(/Completed successfully/);
  });

  it('applies the create rules of the catalog', async () => {
    t = await startTestRuntime({ config: { declaredVramMb: 16000 } });
    await expectCode(t.runtime.execute('createJob', { type: 'transmogrify' }), 'UNKNOWN_JOB_TYPE');
    await expectCode(t.runtime.execute('createJob', { type: 'scan', resourceCategory: 'gpu_ai' }), 'CATEGORY_MISMATCH');
    await expectCode(t.runtime.execute('createJob', { type: 'reencode_streaming', vramRequired: 1000 }), 'VRAM_OUT_OF_RANGE');
    await expectCode(t.runtime.execute('createJob', { type: 'reencode_streaming', vramRequired: 20000 }), 'VRAM_OUT_OF_RANGE');
    await expectCode(t.runtime.execute('createJob', { type: 'scan', priority: 11 }), 'VALIDATION_FAILED');
    await expectCode(t.runtime.execute('createJob', { type: 'scan', priority: 0 }), 'VALIDATION_FAILED');
    const raised = await t.runtime.execute('createJob', { type: 'reencode_streaming', vramRequired: 6000, params: { sleepMs: 0 } });
    expect((await t.runtime.execute('getJob', { id: raised.id })).vramRequired).toBe(6000);
    await expectCode(t.runtime.execute('getJob', { id: 'not-a-uuid' }), 'INVALID_ID');
    await expectCode(t.runtime.execute('getJob', { id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');
  });

  it('never runs more than the category limit at once, and starts the next job as soon as a slot frees', async () => {
    t = await startTestRuntime({ config: { limits: { cpu: 2, gpu_encode: 1, gpu_ai: 1 } } });
    let maxCpu = 0;
    const off = t.runtime.subscribe(() => {});
    const ids = await Promise.all(Array.from({ length: 6 }, () => t!.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 60 } }).then((j) => j.id)));
    const sampler = setInterval(() => (maxCpu = Math.max(maxCpu, t!.runtime.runningJobIds().length)), 2);
    await waitFor(async () => (await t!.runtime.execute('getStats', {})).completed === 6, 5000, 'all done');
    clearInterval(sampler);
    off();
    expect(maxCpu).toBe(2);
    for (const id of ids) expect(await jobStatus(id)).toBe('completed');
  });

  it('explains why queued jobs wait, and a GPU job waiting for VRAM does not hold back CPU jobs', async () => {
    t = await startTestRuntime({ config: { declaredVramMb: 10000, limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 } } });
    const big = await t.runtime.execute('createJob', { type: 'scene_extract', params: { sleepMs: 400 } });
    await until(big.id, 'running');
    const blocked = await t.runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepMs: 10 } });
    const cpu = await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 0 } });
    await until(cpu.id, 'completed');
    const waiting = await t.runtime.execute('getJob', { id: blocked.id });
    expect(waiting.status).toBe('queued');
    expect(waiting.waitingReason).toBe('needs 4000 MB VRAM, 2000 MB free');
    expect(waiting.queuePosition).toBe(1);
    await until(blocked.id, 'completed', 3000);
  });

  it('retries a retryable failure after the backoff, then fails for good with the reason', async () => {
    t = await startTestRuntime({ config: { retryPolicy: { baseDelayMs: 50, maxDelayMs: 1000 } } });
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { fail: 'retryable' }, maxRetries: 2 });
    const waiting = await waitFor(async () => {
      const j = await t!.runtime.execute('getJob', { id: job.id });
      return j.status === 'queued' && j.retryAfter ? j : undefined;
    });
    expect(waiting.retryCount).toBe(1);
    expect(waiting.waitingReason).toMatch(/Waiting to retry \(retry 1 of 2\).*last error: scripted retryable failure/);
    await until(job.id, 'failed', 3000);
    const failed = await t.runtime.execute('getJob', { id: job.id });
    expect(failed.retryCount).toBe(2);
    expect(failed.lastError).toBe('scripted retryable failure');
    expect(failed.log.match(/Started attempt/g)).toHaveLength(3);
    expect(failed.log).toMatch(/failed for good: no retries left \(2 of 2 used\)/);
  });

  it('fails at once on an error that cannot heal', async () => {
    t = await startTestRuntime();
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { fail: 'fatal' } });
    await until(job.id, 'failed');
    const failed = await t.runtime.execute('getJob', { id: job.id });
    expect(failed.retryCount).toBe(0);
    expect(failed.log).toMatch(/failed for good: the error cannot heal/);
  });

  it('stops a hung job and retries it', async () => {
    t = await startTestRuntime({ config: { hangTimeoutMs: 1000, retryPolicy: { baseDelayMs: 10, maxDelayMs: 10 } } });
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { hang: true }, maxRetries: 1 });
    await until(job.id, 'failed', 6000);
    const failed = await t.runtime.execute('getJob', { id: job.id });
    expect(failed.lastError).toBe('No progress for 1 s: stopped as hung.');
    expect(failed.retryCount).toBe(1);
  });

  it('does not flag a long job that keeps reporting progress as hung', async () => {
    t = await startTestRuntime({ config: { hangTimeoutMs: 1000 } });
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 2400 } });
    await until(job.id, 'completed', 6000);
    expect((await t.runtime.execute('getJob', { id: job.id })).retryCount).toBe(0);
  });

  it('cancels a running job: cancelling until its processor has returned, then cancelled; its slot freed', async () => {
    // like a tool that takes a moment to exit: the processor returns 300 ms after the abort
    const slowToStop: Processor = {
      async run(ctx) {
        if ((ctx.job.params as { sleepMs?: number }).sleepMs === 0) return;
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
        await new Promise((resolve) => setTimeout(resolve, 300));
        throw ctx.signal.reason;
      },
    };
    t = await startTestRuntime({ processor: slowToStop, config: { limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 } } });
    const running = await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 5000 } });
    const next = await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 0 } });
    await until(running.id, 'running');
    const seen: string[] = [];
    t.runtime.subscribe((e) => {
      if (e.type === 'job.updated' && e.job.id === running.id) seen.push(`${e.job.status}${e.job.cancelling ? ' (cancelling)' : ''}`);
    });
    const result = await t.runtime.execute('cancelJob', { id: running.id });
    // the answer says what is true now: still running, being cancelled
    expect(result).toMatchObject({ status: 'running', cancelling: true });
    expect(result.log).toMatch(/--- CANCEL REQUESTED BY internal \(admin\): stopping its process; the job is cancelled once it has exited and its partial files are removed ---$/);
    // asking again changes nothing and is not refused while it is being cancelled
    expect(await t.runtime.execute('cancelJob', { id: running.id })).toMatchObject({ status: 'running', cancelling: true });
    await expectCode(t.runtime.execute('pauseJob', { id: running.id }), 'INVALID_TRANSITION');
    await until(running.id, 'cancelled', 2000);
    await until(next.id, 'completed', 2000);
    const job = await t.runtime.execute('getJob', { id: running.id });
    expect(job).toMatchObject({ status: 'cancelled', cancelling: false });
    expect(job.log).toMatch(/Cancelled: the tool has exited and the partial files are removed \(\d+\.\d s after the cancel\)$/);
    expect(seen).toEqual(['running (cancelling)', 'cancelled']);
    expect((await t.runtime.execute('getStats', {})).cancelled).toBe(1);
    await expectCode(t.runtime.execute('cancelJob', { id: running.id }), 'INVALID_TRANSITION');
  });

  it('cancels a waiting job at once', async () => {
    t = await startTestRuntime({ config: { limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    const waiting = await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 0 } });
    const result = await t.runtime.execute('cancelJob', { id: waiting.id });
    expect(result).toMatchObject({ status: 'cancelled', cancelling: false });
    expect(result.log).toMatch(/--- JOB CANCELLED BY internal \(admin\) ---$/);
  });

  it('pauses and resumes a waiting job, retries a cancelled one, and refuses transitions the lifecycle forbids', async () => {
    t = await startTestRuntime();
    await t.runtime.execute('pauseQueue', {});
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 0 } });
    expect((await t.runtime.execute('pauseJob', { id: job.id })).status).toBe('paused');
    await expectCode(t.runtime.execute('pauseJob', { id: job.id }), 'INVALID_TRANSITION');
    await expectCode(t.runtime.execute('retryJob', { id: job.id }), 'INVALID_TRANSITION');
    expect((await t.runtime.execute('resumeJob', { id: job.id })).status).toBe('pending');
    await expectCode(t.runtime.execute('resumeJob', { id: job.id }), 'INVALID_TRANSITION');
    await t.runtime.execute('cancelJob', { id: job.id });
    const retried = await t.runtime.execute('retryJob', { id: job.id });
    expect(retried).toMatchObject({ status: 'pending', retryCount: 1, retryAfter: null });
    expect(retried.log).toMatch(/--- RETRY ATTEMPT 1 --- asked by internal \(admin\)$/);
    await t.runtime.execute('resumeQueue', {});
    await until(job.id, 'completed');
  });

  it('holds a paused queue or category and explains it, then resumes at once', async () => {
    t = await startTestRuntime();
    const state = await t.runtime.execute('pauseQueue', { category: 'cpu' });
    expect(state.pausedCategories).toEqual(['cpu']);
    const cpu = await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 0 } });
    const gpu = await t.runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepMs: 0 } });
    await until(gpu.id, 'completed');
    const held = await t.runtime.execute('getJob', { id: cpu.id });
    expect(held).toMatchObject({ status: 'queued', waitingReason: 'cpu: category is paused' });
    await t.runtime.execute('resumeQueue', { category: 'cpu' });
    await until(cpu.id, 'completed');
  });

  it('runs higher priority first and lets a waiting job change priority', async () => {
    t = await startTestRuntime({ config: { limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 } } });
    await t.runtime.execute('pauseQueue', {});
    const low = await t.runtime.execute('createJob', { type: 'scan', priority: 9, params: {} });
    const mid = await t.runtime.execute('createJob', { type: 'scan', priority: 5, params: {} });
    const raised = await t.runtime.execute('setJobPriority', { id: low.id, priority: 1 });
    expect(raised.priority).toBe(1);
    const order: string[] = [];
    const off = t.runtime.subscribe((e: RuntimeEvent) => {
      if (e.type === 'job.updated' && e.job.status === 'running') order.push(e.job.id);
    });
    await t.runtime.execute('resumeQueue', {});
    await until(mid.id, 'completed');
    off();
    expect(order).toEqual([low.id, mid.id]);
    await expectCode(t.runtime.execute('setJobPriority', { id: low.id, priority: 3 }), 'INVALID_TRANSITION');
  });

  it('reports stats in the spec shape and lists with filters and pagination', async () => {
    t = await startTestRuntime({ config: { declaredVramMb: 16000 } });
    for (let i = 0; i < 3; i++) await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 0 } });
    const gpu = await t.runtime.execute('createJob', { type: 'reencode_streaming', params: { fail: 'fatal' } });
    await until(gpu.id, 'failed');
    await waitFor(async () => (await t!.runtime.execute('getStats', {})).completed === 3);
    const stats = await t.runtime.execute('getStats', {});
    expect(stats).toMatchObject({ pending: 0, queued: 0, running: 0, completed: 3, failed: 1, paused: 0, totalVramUsed: 0, totalVramAvailable: 16000, jobsByType: { scan: 3, reencode_streaming: 1 } });
    expect(stats.averageProcessingTime).toBeGreaterThanOrEqual(0);
    const page = await t.runtime.execute('listJobs', { page: 2, limit: 3 });
    expect(page.pagination).toEqual({ page: 2, limit: 3, total: 4, totalPages: 2 });
    expect(page.data).toHaveLength(1);
    const failed = await t.runtime.execute('listJobs', { status: 'failed' });
    expect(failed.data.map((j) => j.id)).toEqual([gpu.id]);
    await expectCode(t.runtime.execute('listJobs', { status: 'exploded' }), 'VALIDATION_FAILED');
  });

  it('reads a job log incrementally', async () => {
    t = await startTestRuntime();
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { fail: 'fatal' } });
    await until(job.id, 'failed');
    const first = await t.runtime.execute('getJobLog', { id: job.id, after: 0, limit: 1 });
    expect(first.lines).toHaveLength(1);
    const rest = await t.runtime.execute('getJobLog', { id: job.id, after: first.nextAfter });
    expect(rest.lines.map((l) => l.text)).toEqual(['Scripted failure on attempt 1', expect.stringMatching(/^ERROR: scripted fatal failure/)]);
    const none = await t.runtime.execute('getJobLog', { id: job.id, after: rest.nextAfter });
    expect(none).toMatchObject({ lines: [], nextAfter: rest.nextAfter });
  });

  it('on a machine without a GPU and no declared budget, GPU jobs run (in software) instead of waiting forever', async () => {
    t = await startTestRuntime({ config: { declaredVramMb: null } });
    const job = await t.runtime.execute('createJob', { type: 'digest_generate', params: { sleepMs: 0 } });
    await until(job.id, 'completed');
    expect((await t.runtime.execute('getStats', {})).totalVramAvailable).toBeNull();
  });

  it('reserves VRAM only for work that runs on the GPU, and caps gpu_encode at the NVENC session limit', async () => {
    t = await startTestRuntime({ config: { declaredVramMb: 8000 }, gpuWork: () => ({ gpuCategories: ['gpu_ai'], gpuEncodeCap: 1 }) });
    // created together (one commit), so the claim that starts a also tells b why it waits
    const [a, b] = await Promise.all([
      t.runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepMs: 300 } }),
      t.runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepMs: 300 } }),
    ]);
    await until(a.id, 'running');
    expect((await t.runtime.execute('getStats', {})).totalVramUsed).toBe(0);
    expect(await t.runtime.execute('getJob', { id: b.id })).toMatchObject({ status: 'queued', waitingReason: 'gpu_encode: 1 of 1 slots busy' });
    expect((await t.runtime.execute('getQueueState', {})).limits.gpu_encode).toBe(1);
    await until(b.id, 'completed');
  });

  it('sizes the VRAM budget from GPU telemetry minus other programs and headroom', async () => {
    t = await startTestRuntime({ config: { declaredVramMb: null, vramHeadroomMb: 500 }, gpu: { current: () => ({ totalMb: 24000, usedMb: 3500 }) } });
    expect((await t.runtime.execute('getQueueState', {})).vramBudgetMb).toBe(20000);
  });

  it('shuts down gracefully: a running job goes back to pending without spending a retry, and runs after restart', async () => {
    t = await startTestRuntime();
    const dir = t.dir;
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { sleepMs: 3000 } });
    await until(job.id, 'running');
    await t.close();
    const again = await startTestRuntime({ dir });
    const after = await again.runtime.execute('getJob', { id: job.id });
    expect(after.retryCount).toBe(0);
    expect(after.log).toMatch(/Interrupted by shutdown/);
    await again.dispose();
  });
});
