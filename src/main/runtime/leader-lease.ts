/**
 * A leader lease: one node of a fleet runs a duty (the library watcher, the pipelines' scheduler)
 * while it holds the named lease in the database. A start/stop service: it claims the lease at
 * start and every `renewMs`, and tells its owner when it becomes or stops being the leader.
 *
 * - The lease runs out in the database's clock (LeaderLeaseStore); a holder that stops renewing
 *   (crashed, frozen, cut off) loses it after `ttlMs` and the next claim of another node takes it.
 * - A holder that cannot reach the database steps down by itself once `ttlMs` has passed (by the
 *   injected clock) since it sent its last successful claim: by then another node may hold it.
 * - stop() gives the lease up at once, so another node takes over at its next claim.
 * - Without a store (the embedded default, one process per data folder) this node is always the leader.
 */
import type { Clock, TimerHandle, Timers } from '../core/clock';
import type { LeaderLeaseStore } from '../core/watch-ports';

export interface LeaderLeaseOptions {
  /** The duty: 'library-watcher', 'scheduler' … */
  readonly name: string;
  /** This process: node id and instance (a restarted node waits for its old lease to run out). */
  readonly holder: string;
  /** Null: always the leader (embedded). */
  readonly store: LeaderLeaseStore | null;
  readonly ttlMs: number;
  readonly renewMs: number;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Called when this node becomes (true) or stops being (false) the leader. */
  readonly onChange: (leader: boolean) => void;
  readonly logger?: Pick<Console, 'warn'>;
}

export class LeaderLease {
  private leader = false;
  private timer: TimerHandle | null = null;
  private running = false;
  private ticking: Promise<void> | null = null;
  /** Local time at which the last successful claim was SENT (the lease runs out ttlMs after it at the earliest). */
  private lastClaimSentAt: number | null = null;
  private lastHolder: string | null = null;
  private failing = false;

  constructor(private readonly options: LeaderLeaseOptions) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /** Who held the lease at the last claim (this holder when leader). */
  get holder(): string | null {
    return this.options.store ? this.lastHolder : this.options.holder;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.options.store) {
      this.set(true);
      return;
    }
    void this.tick();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    const wasLeader = this.leader;
    this.set(false);
    if (wasLeader && this.options.store) {
      await this.options.store.releaseLease(this.options.name, this.options.holder).catch((error: unknown) => {
        this.options.logger?.warn(`Could not give up the ${this.options.name} lease (it runs out by itself): ${String(error)}`);
      });
    }
  }

  /** One claim now (the timer's body; tests call it). */
  tick(): Promise<void> {
    this.ticking ??= this.claim().finally(() => {
      this.ticking = null;
      if (this.running && this.options.store) this.timer = this.options.timers.setTimeout(() => this.tick(), this.options.renewMs);
    });
    return this.ticking;
  }

  private async claim(): Promise<void> {
    const store = this.options.store!;
    const sentAt = this.options.clock.now();
    // a claim that hangs (a database that stopped answering) must not keep a stale leader going
    const left = this.leader && this.lastClaimSentAt !== null ? this.lastClaimSentAt + this.options.ttlMs - sentAt : null;
    const guard = left === null ? null : this.options.timers.setTimeout(() => this.stepDown(), Math.max(0, left));
    try {
      const claim = await store.claimLease(this.options.name, this.options.holder, this.options.ttlMs);
      if (!this.running) return;
      this.lastHolder = claim.holder;
      this.failing = false;
      if (claim.held) this.lastClaimSentAt = sentAt;
      this.set(claim.held);
    } catch (error) {
      if (!this.running) return;
      const since = this.lastClaimSentAt === null ? null : this.options.clock.now() - this.lastClaimSentAt;
      if (this.leader && since !== null && since >= this.options.ttlMs) this.stepDown();
      else if (!this.leader && !this.failing) this.options.logger?.warn(`Could not claim the ${this.options.name} lease (trying again every ${this.options.renewMs} ms): ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true; // said once per outage
    } finally {
      if (guard !== null) this.options.timers.clearTimeout(guard);
    }
  }

  private stepDown(): void {
    if (!this.running || !this.leader) return;
    const since = this.lastClaimSentAt === null ? 0 : this.options.clock.now() - this.lastClaimSentAt;
    this.options.logger?.warn(`No claim of the ${this.options.name} lease reached the database for ${since} ms: stepping down (another node may hold it now).`);
    this.set(false);
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.options.onChange(leader);
  }
}
