/**
 * Wake-ups and their polling backstop: another node's notification makes this one claim at once
 * (work arrived), re-read the queue flags (paused or resumed elsewhere) or heartbeat at once (one of
 * its jobs was cancelled elsewhere: the answer says which attempt to stop). Every `pollMs` it also
 * re-reads the flags and claims, for what a notification cannot bring: one lost, the database
 * restarting, a retry falling due that another node scheduled.
 */
import type { WakeReason, WakeSource } from '../../core/fleet-ports';
import type { Timers } from '../../core/clock';
import { ChainedLoop } from './chained-loop';
import type { FleetHealth } from './fleet-health';
import type { OutageLog } from './outage-log';
import type { RuntimeService } from './service';

export interface WakeListenerDeps {
  readonly wake?: WakeSource;
  readonly pollMs: number;
  readonly timers: Timers;
  readonly health: FleetHealth;
  readonly outages: OutageLog;
  /** Claim soon (work may be waiting). */
  requestDispatch(): void;
  /** Re-read the queue flags (another node paused or resumed the queue). */
  reloadFlags(): Promise<void>;
  /** Heartbeat now (a job of this node was cancelled through another node). */
  beatNow(): Promise<void>;
}

export class WakeListener implements RuntimeService {
  readonly name = 'wake listener';
  private readonly loop: ChainedLoop;
  private unsubscribe: (() => void) | null = null;
  private listening = false;
  /** The work a wake-up started (a test signal: resolves when what it asked for is done). */
  private handling: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WakeListenerDeps) {
    this.loop = new ChainedLoop(() => this.poll(), { timers: deps.timers, intervalMs: deps.pollMs, shouldContinue: () => !deps.health.superseded });
  }

  start(): void {
    this.listening = true;
    this.unsubscribe = this.deps.wake?.subscribe((reason) => void this.woken(reason)) ?? null;
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.listening = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.loop.stop();
    await this.handling;
  }

  /** What a wake-up does; resolves when it is done (tests await it). */
  woken(reason: WakeReason): Promise<void> {
    if (!this.listening || this.deps.health.superseded) return Promise.resolve();
    const work =
      reason === 'cancel'
        ? this.deps.beatNow()
        : reason === 'flags'
          ? this.deps.outages.guard('flags', () => this.deps.reloadFlags()).then(() => this.deps.requestDispatch())
          : Promise.resolve(this.deps.requestDispatch());
    this.handling = Promise.all([this.handling, work]).then(() => undefined);
    return work;
  }

  private async poll(): Promise<void> {
    if (this.deps.health.superseded) return;
    await this.deps.outages.guard('poll', () => this.deps.reloadFlags());
    this.deps.requestDispatch();
  }
}
