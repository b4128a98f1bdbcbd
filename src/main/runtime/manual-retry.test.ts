/**
 * Manual retry and maxRetries, as the API documents it (operations table, retryJob's summary):
 * a manual retry is allowed for any failed or cancelled job whatever its retryCount; it adds one
 * to retryCount, the counter automatic retries share, so automatic retries happen only while
 * retryCount < maxRetries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../shared/contracts/operations';
import { startTestRuntime, waitFor, type TestRuntime } from './testing/test-runtime';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const get = (id: string) => t!.runtime.execute('getJob', { id });
const until = (id: string, status: string, timeoutMs = 5000) => waitFor(async () => ((await get(id)).status === status ? true : undefined), timeoutMs, `job ${id} ${status}`);

describe('manual retry and maxRetries', () => {
  it('states the rule in the API documentation', () => {
    expect(OPERATIONS.retryJob.summary).toMatch(/always allowed, whatever its retryCount/);
    expect(OPERATIONS.retryJob.summary).toMatch(/retried automatically only while retryCount < maxRetries/);
  });

  it('retries a job that used all its automatic retries, once, with no automatic retry after it', async () => {
    t = await startTestRuntime({ config: { retryPolicy: { baseDelayMs: 20, maxDelayMs: 20 } } });
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { fail: 'retryable' }, maxRetries: 1 });
    await until(job.id, 'failed');
    const exhausted = await get(job.id);
    expect(exhausted).toMatchObject({ retryCount: 1, maxRetries: 1 });
    expect(exhausted.log.match(/Started attempt/g)).toHaveLength(2);

    // allowed although retryCount = maxRetries; it counts
    const retried = await t.runtime.execute('retryJob', { id: job.id });
    expect(retried).toMatchObject({ status: 'pending', retryCount: 2 });
    expect(retried.log).toMatch(/--- RETRY ATTEMPT 2 ---/);
    await until(job.id, 'failed');
    const again = await get(job.id);
    // one more attempt, failed for good at once: no automatic retry is left
    expect(again.retryCount).toBe(2);
    expect(again.log.match(/Started attempt/g)).toHaveLength(3);
    expect(again.log).toMatch(/failed for good: no retries left \(2 of 1 used\)/);

    // and still allowed after that
    expect(await t.runtime.execute('retryJob', { id: job.id })).toMatchObject({ status: 'pending', retryCount: 3 });
  });

  it('a manual retry uses up one of the automatic retries of a job that has some left', async () => {
    t = await startTestRuntime({ config: { retryPolicy: { baseDelayMs: 20, maxDelayMs: 20 } } });
    await t.runtime.execute('pauseQueue', {});
    const job = await t.runtime.execute('createJob', { type: 'scan', params: { fail: 'retryable' }, maxRetries: 3 });
    await t.runtime.execute('cancelJob', { id: job.id });
    expect(await t.runtime.execute('retryJob', { id: job.id })).toMatchObject({ status: 'pending', retryCount: 1 });
    await t.runtime.execute('resumeQueue', {});
    await until(job.id, 'failed');
    const failed = await get(job.id);
    // retries 2 and 3 were automatic: three attempts after the manual retry, then no retries left
    expect(failed.retryCount).toBe(3);
    expect(failed.log.match(/Started attempt/g)).toHaveLength(3);
    expect(failed.log).toMatch(/no retries left \(3 of 3 used\)/);
  });

  it('refuses a retry of a job that is not failed or cancelled', async () => {
    t = await startTestRuntime();
    const job = await t.runtime.execute('createJob', { type: 'scan', params: {} });
    await until(job.id, 'completed');
    await expect(t.runtime.execute('retryJob', { id: job.id })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
  });
});
