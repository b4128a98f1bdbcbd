/**
 * The retention cleaner: a start/stop service that deletes ended jobs past their retention
 * (core/retention.ts: completed and cancelled after `completedDays`, failed after `failedDays`,
 * 0 keeps forever), with their log lines and analysis segments, never a library video.
 *
 * Schedule: one pass `firstRunDelayMs` after start, then one every `intervalMs` (timed from the
 * end of the pass before). A pass walks the jobs oldest first in batches of `batchSize` (one short
 * transaction each, JobStore.pruneJobs) with `batchPauseMs` between them, so claims and reports
 * run between batches and a pass over a million jobs never holds them up. `batchSize` is the most
 * a batch examines; a store may end a batch sooner to keep it short (SQLite stops after a few ms of
 * work and checkpoints what the batch wrote on the cleaner's time, sqlite-prune.ts). In a fleet only one node
 * cleans at a time (JobStore.asSoleCleaner: a try-lock; a node that finds it taken skips its
 * turn). stop() ends a pass after its current batch.
 *
 * Cutoffs are read from the injected clock and the schedule and pauses run on the injected timers;
 * tests call runOnce() (the timer's body) or drive the manual clock instead of waiting.
 */
import type { JobStore } from '../core/ports';
import type { Clock, Timers } from '../core/clock';
import { laterCutoff, retentionCutoffs, type RetentionDays } from '../core/retention';
import { ChainedLoop } from './services/chained-loop';
import type { RuntimeService } from './services/service';
import { sleepOn, systemTimers } from './services/timers';

export interface CleanerConfig extends RetentionDays {
  /** Time between the end of a pass and the start of the next. */
  readonly intervalMs: number;
  /** The first pass, after start. */
  readonly firstRunDelayMs: number;
  /** Jobs examined (so at most deleted) per batch. */
  readonly batchSize: number;
  /** Pause between two batches of a pass. */
  readonly batchPauseMs: number;
}

export const DEFAULT_CLEANER_CONFIG: CleanerConfig = {
  completedDays: 30,
  failedDays: 90,
  intervalMs: 60 * 60_000,
  firstRunDelayMs: 60_000,
  batchSize: 250,
  batchPauseMs: 20,
};

export interface CleanerHooks {
  /** After a pass that deleted jobs (the runtime refreshes stats; tests wait on it). */
  readonly onPruned?: (deleted: number) => void;
  /** A failed pass (the next one runs at its time all the same). */
  readonly onError?: (error: unknown) => void;
  /** The schedule and the pauses between batches (default: real timers). */
  readonly timers?: Timers;
  /** The pause between batches (default: on `timers`; a test may record the pauses instead). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export class JobCleaner implements RuntimeService {
  readonly name = 'retention cleaner';
  private readonly loop: ChainedLoop;
  private readonly timers: Timers;
  private pass: Promise<number> | null = null;
  private stopping = false;

  constructor(
    private readonly store: Pick<JobStore, 'pruneJobs' | 'asSoleCleaner'>,
    private readonly config: CleanerConfig,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly hooks: CleanerHooks = {},
  ) {
    this.timers = hooks.timers ?? systemTimers;
    this.loop = new ChainedLoop(
      async () => {
        await this.runOnce().catch((error: unknown) => this.hooks.onError?.(error));
      },
      { timers: this.timers, intervalMs: config.intervalMs, firstDelayMs: config.firstRunDelayMs },
    );
  }

  /** Whether there is anything to clean at all (both windows 0: keep everything, never run). */
  get enabled(): boolean {
    return this.config.completedDays > 0 || this.config.failedDays > 0;
  }

  start(): void {
    this.stopping = false;
    if (this.enabled) this.loop.start();
  }

  /** Stops the schedule and waits for a pass in progress to end (after its current batch). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop.stop();
    await this.pass?.catch(() => undefined);
  }

  /**
   * One pass now (the timer's body; tests call it with a fake clock): returns the jobs deleted, 0
   * when another node holds the cleaner lock. A pass already running is joined, not doubled.
   */
  runOnce(): Promise<number> {
    this.pass ??= this.runPass().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  private async runPass(): Promise<number> {
    const cutoffs = retentionCutoffs(this.clock.now(), this.config);
    if (laterCutoff(cutoffs) === null) return 0;
    const sleep = this.hooks.sleep ?? ((ms: number) => sleepOn(this.timers, ms));
    let deleted = 0;
    await this.store.asSoleCleaner(async () => {
      let after: number | null = 0;
      while (after !== null && !this.stopping) {
        const batch = await this.store.pruneJobs({ ...cutoffs, after, limit: this.config.batchSize });
        deleted += batch.deleted;
        after = batch.next;
        if (after !== null && this.config.batchPauseMs > 0) await sleep(this.config.batchPauseMs);
      }
    });
    if (deleted > 0) this.hooks.onPruned?.(deleted);
    return deleted;
  }
}
