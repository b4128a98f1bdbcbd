/**
 * PLACEHOLDER — our side of the fleet benchmark (issue #7), to be written by the engineer building
 * the fleet runtime on PostgreSQL. `bench/fleet-bench.ts` calls `benchFleetOurs` with the shared
 * server; set BENCH_FLEET_PEERS_ONLY=1 to run the peers without it until then.
 *
 * Expected: the same workload as the peers (`jobs` no-op jobs inserted in bulk before the clock,
 * not timed; the clock from starting the runtime(s) until the store says all `jobs` are completed,
 * then the final state checked), on a fresh database (`server.createDatabase()`), with cpu
 * concurrency `concurrency` per node; once with 1 node and once with 3 nodes. It returns the metrics
 * `fleet.noop.throughput` (and the 3-node one) and `fleet.start_latency.p50`, and the 1-node
 * jobs/s, which `fleet.peer.throughput_ratio` divides by the better peer.
 */
import type { PostgresServer } from '../src/main/storage/testing/postgres-server';
import type { Metric } from './report';

export interface FleetOursResult {
  readonly metrics: Metric[];
  /** Jobs/s with 1 node at cpu concurrency `concurrency`: the numerator of fleet.peer.throughput_ratio. */
  readonly jobsPerSecond1: number;
  /** Jobs/s with 3 nodes, each at cpu concurrency `concurrency`. */
  readonly jobsPerSecond3: number;
}

export function benchFleetOurs(_server: PostgresServer, _jobs: number, _concurrency: number): Promise<FleetOursResult> {
  throw new Error('not written yet');
}
