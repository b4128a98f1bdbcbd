/**
 * queue.noop.throughput (cpu limit 50) and queue.noop.throughput.c1 (cpu limit 1): 20,000 no-op
 * 'scan' jobs through the whole lifecycle (pending → running → completed in the store) by the real
 * runtime on the durable SQLite store, **with a live event subscriber** as the headless server
 * always has: runtime.subscribe → an EventJournal (the server's own, src/main/server) whose one
 * listener takes each entry's SSE frame (JSON-serialised once per event, as the events route does
 * for its clients). The jobs are inserted in bulk first (not timed); the clock starts at
 * runtime.start(), whose dispatcher claims them, and stops when getStats().completed reaches
 * 20,000 (polled every 20 ms). The subscriber must have seen a `completed` job.updated event for
 * every job.
 */
import { noopProcessor } from '../src/main/processors/testing/test-processors';
import { EventJournal } from '../src/main/server/event-journal';
import { newJobId } from '../src/shared/domain/job-ids';
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

export async function benchQueueThroughput(jobs = THROUGHPUT_JOBS, cpuLimit = THROUGHPUT_CPU_LIMIT): Promise<ThroughputResult> {
  const tmp = tempDir('throughput');
  const label = `throughput (cpu limit ${cpuLimit})`;
  try {
    const bench = createBenchRuntime({ tmp, processor: noopProcessor, limits: { cpu: cpuLimit, gpu_encode: 2, gpu_ai: 1 } });
    try {
      progress(`${label}: inserting ${jobs} scan jobs (not timed)`);
      await insertInChunks(bench.store, Array.from({ length: jobs }, () => benchJob('scan', { id: newJobId() }))); // ids as the runtime makes them
      bench.callStats.clear();

      const { runtime } = bench;
      // the headless server's event path: runtime → journal → its SSE clients (one here), each frame serialised once
      const journal = new EventJournal();
      const live = { events: 0, bytes: 0, completed: 0 };
      const unsubscribeRuntime = runtime.subscribe((event) => journal.append(event));
      const unsubscribeClient = journal.subscribe((entry) => {
        live.events += 1;
        live.bytes += entry.frame.length;
        if (entry.event.type === 'job.updated' && entry.event.job.status === 'completed') live.completed += 1;
      });

      progress(`${label}: running them through the runtime with a live event subscriber`);
      const t0 = performance.now();
      await runtime.start();
      let stats = await runtime.execute('getStats', {});
      while (stats.completed < jobs) {
        if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`${label}: only ${stats.completed} of ${jobs} completed after ${TIMEOUT_MS} ms`);
        assertNoRuntimeErrors(bench.errors, label);
        await sleep(POLL_MS);
        stats = await runtime.execute('getStats', {});
      }
      const elapsedMs = performance.now() - t0;
      unsubscribeClient();
      unsubscribeRuntime();
      assertNoRuntimeErrors(bench.errors, label);
      if (stats.completed !== jobs || stats.failed !== 0 || stats.running !== 0 || stats.pending + stats.queued !== 0) {
        throw new Error(`${label}: unexpected final stats ${JSON.stringify(stats)}`);
      }
      if (live.completed !== jobs) throw new Error(`${label}: the event subscriber saw ${live.completed} completed events, expected ${jobs}`);
      const jobsPerSecond = jobs / (elapsedMs / 1000);
      progress(`${label}: ${jobs} jobs in ${elapsedMs.toFixed(0)} ms = ${jobsPerSecond.toFixed(0)} jobs/s; subscriber got ${live.events} events, ${(live.bytes / 1e6).toFixed(1)} MB of SSE frames`);
      progress(`${label}: store time by call: ${formatCallStats(bench.callStats)}`);
      const eventsText = `a live event subscriber (runtime → EventJournal → one SSE-client listener, each frame JSON-serialised once: ${live.events} events, ${(live.bytes / 1e6).toFixed(1)} MB)`;
      return {
        jobsPerSecond,
        metrics: [
          cpuLimit === THROUGHPUT_CPU_LIMIT
            ? {
                metric: 'queue.noop.throughput',
                value: jobsPerSecond,
                unit: 'jobs/s',
                target: atLeast(10_000),
                note: `${jobs} no-op scan jobs claim→run→complete via the runtime, cpu concurrency limit ${cpuLimit}, with ${eventsText}; SQLite WAL + synchronous=FULL; bulk insert not timed`,
              }
            : {
                metric: `queue.noop.throughput.c${cpuLimit}`,
                value: jobsPerSecond,
                unit: 'jobs/s',
                note: `the same at cpu concurrency limit ${cpuLimit} (one job at a time, like plainjob's single worker), with ${eventsText}`,
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
