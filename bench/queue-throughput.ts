/**
 * queue.noop.throughput: 20,000 no-op 'scan' jobs through the whole lifecycle (pending → running →
 * completed in the store) by the real runtime on the durable SQLite store. The jobs are inserted
 * in bulk first (not timed); the clock starts at runtime.start(), whose dispatcher claims them,
 * and stops when getStats().completed reaches 20,000 (polled every 20 ms).
 */
import { noopProcessor } from '../src/main/processors/testing/test-processors';
import { atLeast, type Metric } from './report';
import { assertNoRuntimeErrors, benchJob, createBenchRuntime, formatCallStats, insertInChunks, progress, sleep, tempDir } from './support';

export const THROUGHPUT_JOBS = 20_000;
export const THROUGHPUT_CPU_LIMIT = 50;
const POLL_MS = 20;
const TIMEOUT_MS = 120_000;

export interface ThroughputResult {
  readonly jobsPerSecond: number;
  readonly metrics: Metric[];
}

export async function benchQueueThroughput(jobs = THROUGHPUT_JOBS): Promise<ThroughputResult> {
  const tmp = tempDir('throughput');
  try {
    const bench = createBenchRuntime({ tmp, processor: noopProcessor, limits: { cpu: THROUGHPUT_CPU_LIMIT, gpu_encode: 2, gpu_ai: 1 } });
    try {
      progress(`throughput: inserting ${jobs} scan jobs (not timed)`);
      await insertInChunks(bench.store, Array.from({ length: jobs }, () => benchJob('scan')));
      bench.callStats.clear();

      progress(`throughput: running them through the runtime (cpu limit ${THROUGHPUT_CPU_LIMIT})`);
      const { runtime } = bench;
      const t0 = performance.now();
      await runtime.start();
      let stats = await runtime.execute('getStats', {});
      while (stats.completed < jobs) {
        if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`throughput: only ${stats.completed} of ${jobs} completed after ${TIMEOUT_MS} ms`);
        assertNoRuntimeErrors(bench.errors, 'throughput');
        await sleep(POLL_MS);
        stats = await runtime.execute('getStats', {});
      }
      const elapsedMs = performance.now() - t0;
      assertNoRuntimeErrors(bench.errors, 'throughput');
      if (stats.completed !== jobs || stats.failed !== 0 || stats.running !== 0 || stats.pending + stats.queued !== 0) {
        throw new Error(`throughput: unexpected final stats ${JSON.stringify(stats)}`);
      }
      const jobsPerSecond = jobs / (elapsedMs / 1000);
      progress(`throughput: ${jobs} jobs in ${elapsedMs.toFixed(0)} ms = ${jobsPerSecond.toFixed(0)} jobs/s`);
      progress(`throughput: store time by call: ${formatCallStats(bench.callStats)}`);
      return {
        jobsPerSecond,
        metrics: [
          {
            metric: 'queue.noop.throughput',
            value: jobsPerSecond,
            unit: 'jobs/s',
            target: atLeast(10_000),
            note: `${jobs} no-op scan jobs claim→run→complete via the runtime, cpu concurrency limit ${THROUGHPUT_CPU_LIMIT}, SQLite WAL + synchronous=FULL; bulk insert not timed`,
          },
        ],
      };
    } finally {
      await bench.dispose();
    }
  } finally {
    tmp.cleanup();
  }
}
