/**
 * queue.start_latency.p50 / p99: on an idle queue, the time from calling
 * runtime.execute('createJob', …) to the moment the processor's run() is invoked (the processor
 * records performance.now()). Samples are sequential: each job completes before the next is created.
 * A few warm-up samples (JIT, statement caches) run first and are not counted.
 */
import type { Processor } from '../src/main/processors/processor';
import { atMost, type Metric } from './report';
import { assertNoRuntimeErrors, createBenchRuntime, formatCallStats, percentile, progress, tempDir } from './support';

export const LATENCY_SAMPLES = 1000;
const WARMUP_SAMPLES = 50;
const JOB_TIMEOUT_MS = 10_000;

export async function benchStartLatency(samples = LATENCY_SAMPLES): Promise<Metric[]> {
  const tmp = tempDir('latency');
  const invokedAt = new Map<string, number>();
  const processor: Processor = {
    async run(ctx) {
      invokedAt.set(ctx.job.id, performance.now());
    },
  };
  try {
    const bench = createBenchRuntime({ tmp, processor });
    const { runtime } = bench;
    const completed = new Set<string>();
    let waiting: { id: string; resolve: () => void } | null = null;
    runtime.subscribe((event) => {
      if (event.type !== 'job.updated' || event.job.status !== 'completed') return;
      completed.add(event.job.id);
      if (waiting && waiting.id === event.job.id) waiting.resolve();
    });
    const untilCompleted = (id: string) =>
      new Promise<void>((resolve, reject) => {
        if (completed.has(id)) return resolve();
        const timer = setTimeout(() => reject(new Error(`start latency: job ${id} did not complete within ${JOB_TIMEOUT_MS} ms`)), JOB_TIMEOUT_MS);
        waiting = {
          id,
          resolve: () => {
            clearTimeout(timer);
            waiting = null;
            resolve();
          },
        };
      });

    try {
      await runtime.start();
      progress(`start latency: ${WARMUP_SAMPLES} warm-up + ${samples} sequential samples on an idle queue (default limits)`);
      const latencies: number[] = [];
      for (let i = 0; i < WARMUP_SAMPLES + samples; i++) {
        if (i === WARMUP_SAMPLES) bench.callStats.clear();
        const t0 = performance.now();
        const { id } = await runtime.execute('createJob', { type: 'scan', params: {} });
        await untilCompleted(id);
        const at = invokedAt.get(id);
        if (at === undefined) throw new Error(`start latency: job ${id} completed but its processor never ran`);
        invokedAt.delete(id);
        completed.delete(id);
        if (i >= WARMUP_SAMPLES) latencies.push(at - t0);
      }
      assertNoRuntimeErrors(bench.errors, 'start latency');
      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      progress(
        `start latency: p50 ${p50.toFixed(3)} ms, p90 ${percentile(latencies, 90).toFixed(3)} ms, p99 ${p99.toFixed(3)} ms, max ${Math.max(...latencies).toFixed(3)} ms`,
      );
      progress(`start latency: store time by call (${samples} samples): ${formatCallStats(bench.callStats)}`);
      const note = `${samples} sequential createJob→processor.run() samples (after ${WARMUP_SAMPLES} warm-up), idle queue, default limits, WAL + synchronous=FULL`;
      return [
        { metric: 'queue.start_latency.p50', value: p50, unit: 'ms', target: atMost(2), note },
        { metric: 'queue.start_latency.p99', value: p99, unit: 'ms', target: atMost(10) },
      ];
    } finally {
      await bench.dispose();
    }
  } finally {
    tmp.cleanup();
  }
}
