/**
 * This node's part in a fleet: it registers, heartbeats (renewing the leases of its live attempts,
 * stopping those the store no longer gives it and those a user asked to cancel through any node), sweeps for jobs whose lease ran out, claims
 * when woken by another node, and polls as a backstop (a lost notification, the database
 * restarting, a retry falling due that another node scheduled).
 *
 * Timers chain (each run is scheduled after the previous one ends), so a slow database never
 * piles up overlapping heartbeats. Failures are logged once per outage, not once per beat.
 */
import type { FleetRegistry, LiveAttempt, NodeHeartbeat, NodeRegistration, WakeReason, WakeSource } from '../core/fleet-ports';
import type { JobRecord } from '../core/ports';
import type { FailureDecision } from '../core/retry-policy';

export interface FleetTiming {
  /** Heartbeat (and lease renewal) interval; well under the lease. */
  readonly heartbeatMs: number;
  /** How often this node looks for expired leases. */
  readonly sweepMs: number;
  /** Polling backstop of the wake-ups. */
  readonly pollMs: number;
}

export interface FleetMemberDeps {
  readonly registry: FleetRegistry;
  readonly wake?: WakeSource;
  readonly registration: NodeRegistration;
  readonly timing: FleetTiming;
  /** This node's state for a heartbeat. */
  beat(): Omit<NodeHeartbeat, 'nodeId' | 'instanceId'>;
  /** Stops an attempt the store no longer gives this node. */
  stopAttempt(attempt: LiveAttempt): void;
  /** Stops an attempt whose job a user asked to cancel (through any node); its end cancels the job. */
  cancelAttempt(attempt: LiveAttempt): void;
  /** Claim soon (work may be waiting). */
  requestDispatch(): void;
  /** Re-read the queue flags (another node paused or resumed the queue). */
  reloadFlags(): Promise<void>;
  readonly decideRescue: (job: JobRecord) => FailureDecision;
  readonly now: () => number;
  onRescued(jobs: readonly JobRecord[]): void;
  /**
   * Another process took this node id over: claim nothing more and stop every attempt (its
   * successor re-queued them when it registered). This member has stopped its own timers already.
   */
  onSuperseded(): void;
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
}

export class FleetMember {
  private readonly timers = new Set<NodeJS.Timeout>();
  private unsubscribe: (() => void) | null = null;
  private running = false;
  private beating: Promise<void> | null = null;
  private beatAgain = false;
  private readonly failing = new Set<string>();
  /** Monotonic time of the last heartbeat the database accepted. */
  private lastBeatOkAt = performance.now();
  /** Since when heartbeats have succeeded without a failure (null while they fail). */
  private healthySince: number | null = performance.now();

  constructor(private readonly deps: FleetMemberDeps) {}

  /** Registers this node (waiting out a previous process of the same id that has just died). */
  async register(): Promise<void> {
    await this.deps.registry.register(this.deps.registration);
    // and says at once what it can give (VRAM budget, GPUs): every node's create-time VRAM check
    // reads it, and a record without a budget would read as "takes any size"
    const { nodeId, instanceId } = this.deps.registration;
    await this.deps.registry.heartbeat({ nodeId, instanceId, ...this.deps.beat() });
  }

  /** Starts heartbeats, sweeps, wake-ups and polling. */
  start(): void {
    this.running = true;
    this.lastBeatOkAt = performance.now();
    this.healthySince = this.lastBeatOkAt;
    this.unsubscribe = this.deps.wake?.subscribe((reason) => this.woken(reason)) ?? null;
    const { heartbeatMs, sweepMs, pollMs } = this.deps.timing;
    this.every(heartbeatMs, () => this.heartbeat());
    this.every(sweepMs, () => this.sweep());
    this.every(pollMs, async () => {
      await this.guard('poll', () => this.deps.reloadFlags());
      this.deps.requestDispatch();
    });
  }

  /** Stops the timers; `markStopped` after the attempts ended, so the node shows as stopped, not offline. */
  stop(): void {
    this.running = false;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  async markStopped(): Promise<void> {
    const { nodeId, instanceId } = this.deps.registration;
    await this.deps.registry.markStopped(nodeId, instanceId).catch((error: unknown) => this.deps.logger.warn(`Could not mark node ${nodeId} stopped: ${describe(error)}`));
  }

  /** One heartbeat now; concurrent requests share it (and one more runs after it if asked meanwhile). */
  heartbeat(): Promise<void> {
    if (this.beating) {
      this.beatAgain = true;
      return this.beating;
    }
    this.beating = (async () => {
      do {
        this.beatAgain = false;
        const ok = await this.guard('heartbeat', async () => {
          const { nodeId, instanceId } = this.deps.registration;
          const { lost, cancelRequested, supersededBy } = await this.deps.registry.heartbeat({ nodeId, instanceId, ...this.deps.beat() });
          if (supersededBy !== undefined) return this.superseded(supersededBy);
          for (const attempt of lost) this.deps.stopAttempt(attempt);
          for (const attempt of cancelRequested ?? []) this.deps.cancelAttempt(attempt);
        });
        this.afterHeartbeat(ok);
      } while (this.beatAgain && this.running);
    })().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  private superseded(host: string): void {
    const { nodeId } = this.deps.registration;
    this.deps.logger.error(
      `Node id "${nodeId}" was taken over by another process (on ${host}) while this one was silent for longer than the takeover wait: ` +
        `this process stops working as "${nodeId}" (it claims no more jobs and stops its running ones, which the other process re-queued). ` +
        `Restart it to rejoin the fleet, with its own MEDIA_NODE_ID if both should run.`,
    );
    this.stop();
    this.deps.onSuperseded();
  }

  /**
   * Self-fencing: once no heartbeat has reached the database for a whole lease, this node's leases
   * may have run out and other nodes may rerun its jobs, so its own attempts must stop (two
   * processes writing the same output otherwise). Raise MEDIA_LEASE_MS where database outages of
   * that length are expected and long encodes should ride them out.
   */
  private afterHeartbeat(ok: boolean): void {
    const now = performance.now();
    if (ok) {
      this.lastBeatOkAt = now;
      this.healthySince ??= now;
      return;
    }
    this.healthySince = null;
    const silentMs = now - this.lastBeatOkAt;
    const attempts = this.deps.beat().attempts;
    if (silentMs < this.deps.registry.leaseMs || attempts.length === 0) return;
    this.deps.logger.error(
      `No heartbeat reached the database for ${Math.round(silentMs)} ms (lease ${this.deps.registry.leaseMs} ms): stopping ${attempts.length} running attempt(s), which other nodes may now rerun.`,
    );
    for (const attempt of attempts) this.deps.stopAttempt(attempt);
  }

  /**
   * Rescues jobs whose lease ran out (any node's, this one's included if it was cut off). Not until
   * this node's own heartbeats have succeeded for a whole lease: after a database outage every
   * lease looks expired, and the live nodes need one heartbeat each to renew theirs first.
   */
  async sweep(): Promise<void> {
    if (this.healthySince === null || performance.now() - this.healthySince < this.deps.registry.leaseMs) return;
    await this.guard('lease sweep', async () => {
      const rescued = await this.deps.registry.rescueExpired(this.deps.now(), this.deps.decideRescue);
      if (rescued.length === 0) return;
      this.deps.logger.warn(`Lease sweep: rescued ${rescued.length} job(s) whose node stopped renewing their lease: ${rescued.map((j) => `${j.id} → ${j.status}`).join(', ')}`);
      this.deps.onRescued(rescued);
      this.deps.requestDispatch();
    });
  }

  private woken(reason: WakeReason): void {
    if (!this.running) return;
    if (reason === 'cancel') void this.heartbeat();
    else if (reason === 'flags') void this.guard('flags', () => this.deps.reloadFlags()).then(() => this.deps.requestDispatch());
    else this.deps.requestDispatch();
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const schedule = () => {
      if (!this.running) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void fn().finally(schedule);
      }, ms);
      timer.unref();
      this.timers.add(timer);
    };
    schedule();
  }

  /** Runs `fn`, logging the first failure of an outage and the recovery, never throwing; says whether it succeeded. */
  private async guard(what: string, fn: () => Promise<void>): Promise<boolean> {
    try {
      await fn();
      if (this.failing.delete(what)) this.deps.logger.info(`Fleet ${what}: the database answers again.`);
      return true;
    } catch (error) {
      if (!this.failing.has(what)) {
        this.failing.add(what);
        this.deps.logger.error(`Fleet ${what} failed (retrying every interval; further failures are not logged until it recovers): ${describe(error)}`);
      }
      return false;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
