/**
 * Our side of the fleet benchmark, on the section's shared PostgreSQL server, each run on a fresh
 * database:
 *
 * - fleet.noop.throughput (1 node) and fleet.noop.throughput.3_nodes: `jobs` no-op `scan` jobs
 *   inserted in bulk (not timed), then the clock runs from starting the node(s) (pool, migration
 *   check, registration, LISTEN, runtime start) until the store counts all of them completed;
 *   cpu concurrency `concurrency` per node. Nodes are real fleet runtimes (registry, heartbeats,
 *   leases, sweep, wake-ups) in this process; the clock stops as the peers' does: once the
 *   processor has run N times, getStats (the bucketed counts: a few rows) is asked every 2 ms
 *   until it counts N completed; then the final state is checked.
 * - fleet.start_latency.p50: an idle fleet of two nodes; a job is created through node A (no
 *   capacity of its own) and started by node B, woken by NOTIFY; from createJob to the processor's
 *   run() on B. Sequential samples after a warm-up.
 */
import type { Processor } from '../src/main/processors/processor';
import { startFleetTestNode, type FleetTestNode } from '../src/main/runtime/testing/fleet-test-node';
import { PostgresJobStore } from '../src/main/storage/postgres/pg-job-store';
import type { PostgresServer } from '../src/main/storage/testing/postgres-server';
import { atMost, type Metric } from './report';
import { benchJob, insertInChunks, percentile, progress, sleep } from './support';

export interface FleetOursResult {
  readonly metrics: Metric[];
  /** Jobs/s with 1 node at cpu concurrency `concurrency`: the numerator of fleet.peer.throughput_ratio. */
  readonly jobsPerSecond1: number;
  /** Jobs/s with 3 nodes, each at cpu concurrency `concurrency`. */
  readonly jobsPerSecond3: number;
}

const TIMEOUT_MS = 180_000;
/** As in fleet-peers.ts: how often the processor's count is looked at, then the store asked. */
const GATE_POLL_MS = 5;
const TAIL_POLL_MS = 2;
const LATENCY_SAMPLES = 300;
const LATENCY_WARMUP = 30;

function collectErrors(errors: unknown[]): Pick<Console, 'info' | 'warn' | 'error'> {
  return { info() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args.map(String).join(' ')) };
}

async function runThroughput(server: PostgresServer, jobs: number, concurrency: number, nodeCount: number): Promise<number> {
  const url = await server.createDatabase();
  const loader = await PostgresJobStore.open({ url });
  try {
    progress(`fleet: inserting ${jobs} scan jobs (not timed) for ${nodeCount} node(s)`);
    await insertInChunks(loader, Array.from({ length: jobs }, () => benchJob('scan')));
  } finally {
    await loader.close();
  }
  const errors: unknown[] = [];
  const nodes: FleetTestNode[] = [];
  let ran = 0;
  const counting: Processor = {
    async run() {
      ran += 1;
    },
  };
  try {
    const t0 = performance.now();
    nodes.push(
      ...(await Promise.all(
        Array.from({ length: nodeCount }, (_, i) =>
          startFleetTestNode(url, `bench-${i + 1}`, {
            processor: counting,
            config: { limits: { cpu: concurrency, gpu_encode: 2, gpu_ai: 1 }, reportFlushMs: 200 },
            logger: collectErrors(errors),
          }),
        ),
      )),
    );
    const first = nodes[0]!.runtime;
    const check = (state: string) => {
      if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`fleet: ${state} after ${TIMEOUT_MS} ms`);
      if (errors.length > 0) throw new Error(`fleet: runtime errors: ${errors.slice(0, 3).join('; ')}`);
    };
    // the same end of the clock as the peers' (fleet-peers.ts waitForStore): no query while the
    // processor has run fewer than N jobs, then the store's counts every TAIL_POLL_MS until all N are completed
    while (ran < jobs) {
      check(`the processor ran ${ran} of ${jobs} jobs`);
      await sleep(GATE_POLL_MS);
    }
    let stats = await first.execute('getStats', {});
    while (stats.completed < jobs) {
      check(`only ${stats.completed} of ${jobs} completed`);
      await sleep(TAIL_POLL_MS);
      stats = await first.execute('getStats', {});
    }
    const elapsedMs = performance.now() - t0;
    if (stats.completed !== jobs || stats.failed !== 0 || stats.running !== 0 || stats.pending + stats.queued !== 0 || ran !== jobs) {
      throw new Error(`fleet: unexpected final state (the processor ran ${ran} times for ${jobs} jobs) ${JSON.stringify(stats)}`);
    }
    const perNode = await Promise.all(nodes.map(async (n) => (await n.runtime.execute('listNodes', {})).nodes.find((v) => v.self)!.completedSinceStart));
    const jobsPerSecond = jobs / (elapsedMs / 1000);
    progress(`fleet: ${nodeCount} node(s): ${jobs} jobs in ${elapsedMs.toFixed(0)} ms = ${jobsPerSecond.toFixed(0)} jobs/s (completed per node: ${perNode.join(', ')})`);
    return jobsPerSecond;
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
  }
}

async function runStartLatency(server: PostgresServer): Promise<{ p50: number; p90: number; p99: number }> {
  const url = await server.createDatabase();
  const invokedAt = new Map<string, number>();
  const recording: Processor = {
    async run(ctx) {
      invokedAt.set(ctx.job.id, performance.now());
    },
  };
  const errors: unknown[] = [];
  const front = await startFleetTestNode(url, 'front', { processor: recording, config: { limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } }, logger: collectErrors(errors) });
  const worker = await startFleetTestNode(url, 'worker', { processor: recording, logger: collectErrors(errors) });
  try {
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_WARMUP + LATENCY_SAMPLES; i++) {
      const t0 = performance.now();
      const { id } = await front.runtime.execute('createJob', { type: 'scan', params: {} });
      const deadline = t0 + 10_000;
      while (!invokedAt.has(id)) {
        if (performance.now() > deadline) throw new Error(`fleet start latency: job ${id} did not start within 10 s`);
        await new Promise((r) => setImmediate(r));
      }
      if (i >= LATENCY_WARMUP) latencies.push(invokedAt.get(id)! - t0);
      // wait for the completion so every sample starts on an idle fleet
      while ((await worker.runtime.execute('getJob', { id })).status !== 'completed') await sleep(1);
    }
    if (errors.length > 0) throw new Error(`fleet start latency: runtime errors: ${errors.slice(0, 3).join('; ')}`);
    return { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99) };
  } finally {
    await front.close();
    await worker.close();
  }
}

export async function benchFleetOurs(server: PostgresServer, jobs: number, concurrency: number, warmupJobs: number): Promise<FleetOursResult> {
  if (warmupJobs > 0) {
    progress(`fleet: warming up our node with ${warmupJobs} jobs (not timed, not reported)`);
    await runThroughput(server, warmupJobs, concurrency, 1);
  }
  const jobsPerSecond1 = await runThroughput(server, jobs, concurrency, 1);
  const jobsPerSecond3 = await runThroughput(server, jobs, concurrency, 3);
  progress(`fleet: start latency, ${LATENCY_WARMUP} warm-up + ${LATENCY_SAMPLES} samples (created on one node, started on another)`);
  const latency = await runStartLatency(server);
  progress(`fleet: start latency p50 ${latency.p50.toFixed(2)} ms, p90 ${latency.p90.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`);
  const how = `${jobs} no-op scan jobs inserted first (not timed), clock from starting the node(s) to all completed in the store; cpu concurrency ${concurrency} per node; nodes are fleet runtimes in this one process on the section's PostgreSQL server (fsync off)`;
  return {
    jobsPerSecond1,
    jobsPerSecond3,
    metrics: [
      { metric: 'fleet.noop.throughput', value: jobsPerSecond1, unit: 'jobs/s', note: `1 node; ${how}` },
      { metric: 'fleet.noop.throughput.3_nodes', value: jobsPerSecond3, unit: 'jobs/s', note: `3 nodes sharing the queue (one process, so one event loop for the three); ${how}` },
      {
        metric: 'fleet.start_latency.p50',
        value: latency.p50,
        unit: 'ms',
        target: atMost(10),
        note: `${LATENCY_SAMPLES} sequential samples (after ${LATENCY_WARMUP} warm-up) on an idle 2-node fleet: createJob on a node with no capacity → run() on the other, woken by LISTEN/NOTIFY; p90 ${latency.p90.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`,
      },
    ],
  };
}

