/**
 * The metrics count this node's transitions once and observe the histograms per attempt: a job
 * that fails once and is retried gives one run_seconds observation per attempt, each its own
 * duration (not the job's whole life), and its wait is measured from the retry's ready time, not
 * from its creation (that would include the first attempt and the back-off).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from 'prom-client';
import { startTestRuntime, waitFor, type TestRuntime } from '../runtime/testing/test-runtime';
import { createMetrics } from './metrics';

const SLEEP_MS = 300;
const RETRY_DELAY_MS = 400;

async function histogram(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  const byStatus = new Map<string, { count: number; sum: number }>();
  for (const v of metric.values as { value: number; labels: Record<string, string | number>; metricName?: string }[]) {
    const key = String(v.labels.status ?? v.labels.resourceCategory);
    const entry = byStatus.get(key) ?? { count: 0, sum: 0 };
    if (v.metricName === `${name}_count`) entry.count += v.value;
    if (v.metricName === `${name}_sum`) entry.sum += v.value;
    byStatus.set(key, entry);
  }
  return byStatus;
}

async function counter(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  const out: Record<string, number> = {};
  for (const v of metric.values) out[String(v.labels.status)] = (out[String(v.labels.status)] ?? 0) + v.value;
  return out;
}

describe('metrics per attempt', () => {
  let t: TestRuntime;
  let metrics: ReturnType<typeof createMetrics>;

  beforeAll(async () => {
    t = await startTestRuntime({ config: { retryPolicy: { baseDelayMs: RETRY_DELAY_MS, maxDelayMs: RETRY_DELAY_MS } } });
    metrics = createMetrics(t.runtime);
  });
  afterAll(async () => {
    metrics.close();
    await t.dispose();
  });

  it('a retried job: run_seconds once per attempt with its own duration; wait from this attempt\'s ready time', async () => {
    const created = Date.now();
    const { id } = await t.runtime.execute('createJob', { type: 'validate', params: { sleepMs: SLEEP_MS, fail: 'retryable', failTimes: 1 } });
    await waitFor(async () => (await t.runtime.execute('getJob', { id })).status === 'completed', 10_000, 'the retry to complete');
    const life = (Date.now() - created) / 1000;

    const run = await histogram(metrics.registry, 'media_job_run_seconds');
    expect(run.get('retrying')?.count).toBe(1);
    expect(run.get('completed')?.count).toBe(1);
    for (const status of ['retrying', 'completed']) {
      const { sum } = run.get(status)!;
      expect(sum, status).toBeGreaterThanOrEqual(SLEEP_MS / 1000 - 0.02);
      // its own attempt: well under the job's life (two attempts + the back-off)
      expect(sum, status).toBeLessThan(SLEEP_MS / 1000 + RETRY_DELAY_MS / 1000);
    }
    expect(life).toBeGreaterThan((2 * SLEEP_MS + RETRY_DELAY_MS) / 1000 - 0.05);

    const wait = await histogram(metrics.registry, 'media_job_wait_seconds');
    const waits = [...wait.values()].reduce((a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum }), { count: 0, sum: 0 });
    expect(waits.count).toBe(2); // one per start
    // measured from the ready time of each attempt (created; the retry time), not from creation
    expect(waits.sum).toBeLessThan(SLEEP_MS / 1000);

    expect(await counter(metrics.registry, 'media_jobs_total')).toEqual({ pending: 1, running: 2, queued: 1, completed: 1 });
  });

  it('counts a manual action on the node that served it, once; a priority change is no transition', async () => {
    const before = await counter(metrics.registry, 'media_jobs_total');
    await t.runtime.execute('pauseQueue', {});
    try {
      const { id } = await t.runtime.execute('createJob', { type: 'validate', params: {} });
      await t.runtime.execute('setJobPriority', { id, priority: 9 });
      await t.runtime.execute('pauseJob', { id });
      await t.runtime.execute('cancelJob', { id });
      const after = await counter(metrics.registry, 'media_jobs_total');
      const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0));
      expect(delta).toEqual({ pending: 1, paused: 1, cancelled: 1 });
    } finally {
      await t.runtime.execute('resumeQueue', {});
    }
  });
});
