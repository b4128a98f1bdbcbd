/**
 * The `fleet` section (issue #7): ONE throwaway PostgreSQL server (`startPostgres()`: a real server
 * tuned for tests, fsync, synchronous_commit and full_page_writes off) shared by every contender,
 * each on its own fresh database. Ours (bench/fleet-throughput.ts: 1 and 3 nodes, start latency),
 * then the peers (bench/fleet-peers.ts: graphile-worker and pg-boss) with the same job count and the
 * same concurrency, then `fleet.peer.throughput_ratio` = our 1-node jobs/s / the better peer's.
 * Each contender first runs FLEET_WARMUP_JOBS untimed jobs (JIT warm-up, see there).
 *
 * BENCH_FLEET_PEERS_ONLY=1 runs the peers alone (no ratio).
 */
import { startPostgres } from '../src/main/storage/testing/postgres-server';
import { benchGraphileWorker, benchPgBoss, GRAPHILE_LOCAL_QUEUE_SIZE } from './fleet-peers';
import { benchFleetOurs } from './fleet-throughput';
import { atLeast, type Metric } from './report';
import { progress } from './support';

/**
 * No-op jobs per contender and run (BENCH_FLEET_JOBS overrides): graphile-worker takes 1–2 s with
 * 20,000 on the 2-core machine, pg-boss 5–10 s. With 5,000 graphile-worker is done in ~0.3 s, too
 * short to time well; pg-boss's rate also depends on N (faster with fewer jobs), so every contender
 * must get the same N.
 */
export const FLEET_JOBS = Number(process.env.BENCH_FLEET_JOBS ?? 20_000);
/** Jobs in flight per node (ours: the cpu limit of each node; the peers: their concurrency). */
export const FLEET_CONCURRENCY = 50;
/**
 * Untimed jobs each contender runs first on a database of its own (BENCH_FLEET_WARMUP overrides):
 * the contenders share this process, so without it the first one would compile the shared code
 * (node-postgres above all) for the ones after it, and its own first seconds run cold.
 */
export const FLEET_WARMUP_JOBS = Number(process.env.BENCH_FLEET_WARMUP ?? 2_000);

export async function benchFleet(): Promise<Metric[]> {
  if (!Number.isInteger(FLEET_JOBS) || FLEET_JOBS < 1) throw new Error(`BENCH_FLEET_JOBS must be a positive integer, not ${process.env.BENCH_FLEET_JOBS}`);
  if (!Number.isInteger(FLEET_WARMUP_JOBS) || FLEET_WARMUP_JOBS < 0) throw new Error(`BENCH_FLEET_WARMUP must be a whole number, not ${process.env.BENCH_FLEET_WARMUP}`);
  const peersOnly = process.env.BENCH_FLEET_PEERS_ONLY === '1';
  progress(`fleet: starting a throwaway PostgreSQL server (fsync off)${peersOnly ? '; BENCH_FLEET_PEERS_ONLY=1: the peers alone' : ''}`);
  const server = await startPostgres();
  try {
    const metrics: Metric[] = [];

    // ---- OUR SIDE (bench/fleet-throughput.ts) ------------------------------------------------
    let ours: number | undefined;
    if (!peersOnly) {
      const r = await benchFleetOurs(server, FLEET_JOBS, FLEET_CONCURRENCY, FLEET_WARMUP_JOBS);
      ours = r.jobsPerSecond1;
      metrics.push(...r.metrics);
    }
    // ------------------------------------------------------------------------------------------

    const warmUp = async (name: string, run: (jobs: number) => Promise<unknown>) => {
      if (FLEET_WARMUP_JOBS === 0) return;
      progress(`fleet: warming up ${name} with ${FLEET_WARMUP_JOBS} jobs (not timed, not reported)`);
      await run(FLEET_WARMUP_JOBS);
    };
    await warmUp('graphile-worker', async (n) => benchGraphileWorker(await server.createDatabase(), n, FLEET_CONCURRENCY));
    const graphile = await benchGraphileWorker(await server.createDatabase(), FLEET_JOBS, FLEET_CONCURRENCY);
    metrics.push(...graphile.metrics);
    await warmUp('pg-boss', async (n) => benchPgBoss(await server.createDatabase(), n, FLEET_CONCURRENCY));
    const boss = await benchPgBoss(await server.createDatabase(), FLEET_JOBS, FLEET_CONCURRENCY);
    metrics.push(...boss.metrics);
    const graphileLocalQueue = await benchGraphileWorker(await server.createDatabase(), FLEET_JOBS, FLEET_CONCURRENCY, { localQueueSize: GRAPHILE_LOCAL_QUEUE_SIZE });
    metrics.push(...graphileLocalQueue.metrics);

    if (ours !== undefined) {
      const better = graphile.jobsPerSecond >= boss.jobsPerSecond ? 'graphile_worker' : 'pg_boss';
      metrics.push({
        metric: 'fleet.peer.throughput_ratio',
        value: ours / Math.max(graphile.jobsPerSecond, boss.jobsPerSecond),
        unit: 'ratio',
        target: atLeast(1),
        note:
          `our 1-node fleet.noop.throughput (cpu limit ${FLEET_CONCURRENCY}) / the better peer (here ${better}; each peer one worker process ` +
          `at concurrency ${FLEET_CONCURRENCY}, claiming at most ${FLEET_CONCURRENCY} jobs at a time like our node), same ${FLEET_JOBS} no-op jobs, same PostgreSQL server (fsync off), same run`,
      });
      metrics.push({
        metric: 'fleet.peer.throughput_ratio.graphile_local_queue',
        value: ours / graphileLocalQueue.jobsPerSecond,
        unit: 'ratio',
        note:
          `for the record, no target: our 1-node throughput / graphile-worker with localQueue.size ${GRAPHILE_LOCAL_QUEUE_SIZE}, which locks up to ` +
          `${GRAPHILE_LOCAL_QUEUE_SIZE} jobs ahead of its ${FLEET_CONCURRENCY} running ones (a node of ours never claims past its capacity: the other nodes may run those jobs)`,
      });
    }
    return metrics;
  } finally {
    await server.stop();
  }
}
