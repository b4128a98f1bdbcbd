/**
 * The lease sweeper (rescuer): every `intervalMs` it re-queues (or fails, as the retry policy
 * decides) the jobs whose lease ran out, any node's, this one's included if it was cut off. Not
 * until this node's own heartbeats have succeeded for a whole lease: after a database outage every
 * lease looks expired, and the live nodes need one heartbeat each to renew theirs first. Expiry is
 * decided by the store in the database's clock; only the "healthy for a lease" wait is this node's.
 */
import type { FleetRegistry } from '../../core/fleet-ports';
import type { JobRecord } from '../../core/ports';
import type { Clock, Timers } from '../../core/clock';
import type { FailureDecision } from '../../core/retry-policy';
import { ChainedLoop } from './chained-loop';
import type { FleetHealth } from './fleet-health';
import type { OutageLog } from './outage-log';
import type { RuntimeService } from './service';

export interface LeaseSweeperDeps {
  readonly registry: Pick<FleetRegistry, 'rescueExpired' | 'leaseMs'>;
  readonly intervalMs: number;
  readonly clock: Pick<Clock, 'now'>;
  readonly timers: Timers;
  readonly health: FleetHealth;
  readonly outages: OutageLog;
  readonly decideRescue: (job: JobRecord) => FailureDecision;
  /** The jobs a sweep rescued (published, counted, their partials removed); a test signal too. */
  onRescued(jobs: readonly JobRecord[]): void;
  /** Claim soon (rescued jobs are waiting). */
  requestDispatch(): void;
  readonly logger: Pick<Console, 'warn'>;
}

export class LeaseSweeper implements RuntimeService {
  readonly name = 'lease sweeper';
  private readonly loop: ChainedLoop;

  constructor(private readonly deps: LeaseSweeperDeps) {
    this.loop = new ChainedLoop(() => this.sweep(), { timers: deps.timers, intervalMs: deps.intervalMs, shouldContinue: () => !deps.health.superseded });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One sweep now (the loop's body): says whether it looked (false: not healthy for a lease yet). */
  async sweep(): Promise<boolean> {
    const healthyFor = this.deps.health.healthyForMs();
    if (this.deps.health.superseded || healthyFor === null || healthyFor < this.deps.registry.leaseMs) return false;
    return this.deps.outages.guard('lease sweep', async () => {
      const rescued = await this.deps.registry.rescueExpired(this.deps.clock.now(), this.deps.decideRescue);
      if (rescued.length === 0) return;
      this.deps.logger.warn(`Lease sweep: rescued ${rescued.length} job(s) whose node stopped renewing their lease: ${rescued.map((j) => `${j.id} → ${j.status}`).join(', ')}`);
      this.deps.onRescued(rescued);
      this.deps.requestDispatch();
    });
  }
}
