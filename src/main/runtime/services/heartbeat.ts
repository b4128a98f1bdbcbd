/**
 * The heartbeat service: every `intervalMs` this node tells the registry it lives and what it runs,
 * which renews the leases of its live attempts. The answer stops the attempts the store no longer
 * gives this node (rescued after a lost lease, cancelled elsewhere) and those a user asked to
 * cancel through any node; it may also say another process took this node id over, and then every
 * fleet service of this process ends (FleetHealth.superseded) and every attempt stops.
 *
 * Self-fencing: once no heartbeat has reached the database for a whole lease, this node's leases
 * may have run out and other nodes may rerun its jobs, so its own attempts stop (two processes
 * writing the same output otherwise). Raise MEDIA_LEASE_MS where database outages of that length
 * are expected and long encodes should ride them out.
 */
import type { FleetRegistry, LiveAttempt, NodeHeartbeat, NodeRegistration } from '../../core/fleet-ports';
import type { Timers } from '../../core/clock';
import { ChainedLoop } from './chained-loop';
import type { FleetHealth } from './fleet-health';
import type { OutageLog } from './outage-log';
import type { RuntimeService } from './service';

export interface HeartbeatDeps {
  readonly registry: Pick<FleetRegistry, 'heartbeat' | 'leaseMs'>;
  readonly registration: Pick<NodeRegistration, 'nodeId' | 'instanceId'>;
  readonly intervalMs: number;
  readonly timers: Timers;
  readonly health: FleetHealth;
  readonly outages: OutageLog;
  /** This node's state for a heartbeat. */
  beat(): Omit<NodeHeartbeat, 'nodeId' | 'instanceId'>;
  /** Stops an attempt the store no longer gives this node. */
  stopAttempt(attempt: LiveAttempt): void;
  /** Stops an attempt whose job a user asked to cancel (through any node); its end cancels the job. */
  cancelAttempt(attempt: LiveAttempt): void;
  /**
   * Another process took this node id over: claim nothing more and stop every attempt (its
   * successor re-queued them when it registered). The fleet services have ended their work already.
   */
  onSuperseded(): void;
  readonly logger: Pick<Console, 'warn' | 'error'>;
}

export class HeartbeatService implements RuntimeService {
  readonly name = 'heartbeat';
  private readonly loop: ChainedLoop;
  private running = false;
  private beating: Promise<void> | null = null;
  private beatAgain = false;

  constructor(private readonly deps: HeartbeatDeps) {
    this.loop = new ChainedLoop(() => this.beatNow(), { timers: deps.timers, intervalMs: deps.intervalMs, shouldContinue: () => !deps.health.superseded });
  }

  start(): void {
    this.running = true;
    this.deps.health.reset();
    this.loop.start();
  }

  /** No more beats; resolves once a beat in progress has ended. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop.stop();
    await this.beating;
  }

  /** One heartbeat now; concurrent requests share it (and one more runs after it if asked meanwhile). */
  beatNow(): Promise<void> {
    if (this.beating) {
      this.beatAgain = true;
      return this.beating;
    }
    this.beating = (async () => {
      do {
        this.beatAgain = false;
        await this.beatOnce();
      } while (this.beatAgain && this.running && !this.deps.health.superseded);
    })().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  private async beatOnce(): Promise<void> {
    const ok = await this.deps.outages.guard('heartbeat', async () => {
      const { nodeId, instanceId } = this.deps.registration;
      const { lost, cancelRequested, supersededBy } = await this.deps.registry.heartbeat({ nodeId, instanceId, ...this.deps.beat() });
      if (supersededBy !== undefined) return this.superseded(supersededBy);
      for (const attempt of lost) this.deps.stopAttempt(attempt);
      for (const attempt of cancelRequested ?? []) this.deps.cancelAttempt(attempt);
    });
    if (ok) this.deps.health.beatSucceeded();
    else this.fenceIfSilent(this.deps.health.beatFailed());
  }

  private superseded(host: string): void {
    const { nodeId } = this.deps.registration;
    this.deps.logger.error(
      `Node id "${nodeId}" was taken over by another process (on ${host}) while this one was silent for longer than the takeover wait: ` +
        `this process stops working as "${nodeId}" (it claims no more jobs and stops its running ones, which the other process re-queued). ` +
        `Restart it to rejoin the fleet, with its own MEDIA_NODE_ID if both should run.`,
    );
    this.deps.health.markSuperseded(host);
    this.running = false;
    this.deps.onSuperseded();
  }

  private fenceIfSilent(silentMs: number): void {
    const attempts = this.deps.beat().attempts;
    if (silentMs < this.deps.registry.leaseMs || attempts.length === 0) return;
    this.deps.logger.error(
      `No heartbeat reached the database for ${Math.round(silentMs)} ms (lease ${this.deps.registry.leaseMs} ms): stopping ${attempts.length} running attempt(s), which other nodes may now rerun.`,
    );
    for (const attempt of attempts) this.deps.stopAttempt(attempt);
  }
}
