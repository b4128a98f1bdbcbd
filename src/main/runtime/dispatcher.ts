/**
 * The event-driven dispatcher. A tick writes what running attempts reported, then claims the jobs
 * the scheduler lets start and starts them. Ticks are requested by events (a job created, an
 * attempt ended, a job resumed, a retry time reached) and coalesced; there is no polling delay.
 * Ticks never overlap, so reports reach the store in order.
 */
import { withStoredFlags } from '../core/queue-flags';
import { candidateLookahead, fittingRead, schedule } from '../core/scheduler';
import type { AttemptOutcome, JobRecord, JobStore, ReportBatch } from '../core/ports';
import type { Clock } from '../core/clock';
import { maxUsage, type NodeCapacity, type NodeUsage } from '../core/capacity';
import { addToGpu, type GpuUse } from '../core/gpu-placement';
import { RESOURCE_CATEGORIES, type ResourceCategory } from '../../shared/domain/statuses';
import type { ProcessorRegistry, TrackedProcess } from '../processors/processor';
import { Attempt, type AttemptHooks, type AttemptOptions, type StopReason } from './attempt';
import { ReportBuffer } from './report-buffer';
import { StoreAttemptFiles } from './attempt-files';
import type { JobTransition } from './transitions';

/**
 * Other nodes held or took some of the chosen jobs: claim again at once for the capacity still
 * free; while claims start nothing, wait this long before the next, doubling (a node frozen
 * mid-claim holds its rows until the server ends its session).
 */
const CONTENTION_RETRY_MS = { first: 5, max: 1_000 } as const;

export interface DispatcherOptions extends AttemptOptions {
  readonly nodeId: string;
  /**
   * Other nodes share the store (fleet): categories this node has no slots for (limit 0) are left
   * to them, neither read nor given this node's "no slots here" waiting reason (which would be
   * wrong for the fleet and would hold the rows while an idle node wants them).
   */
  readonly sharedStore?: boolean;
  readonly starvationGuardMs: number;
  readonly reportFlushMs: number;
}

export interface DispatcherHooks {
  onProcessStarted(jobId: string, process: TrackedProcess): void;
  onProcessEnded(jobId: string, process: TrackedProcess): void;
  /** Jobs whose status changed through the dispatcher (started, completed, failed, retry scheduled). */
  onJobsChanged(jobs: readonly JobRecord[]): void;
  /**
   * The real status transitions among those (metrics): starts with their wait, recorded outcomes
   * with their attempt's own run time, pending → queued; not a queued job's reason rewritten.
   */
  onTransitions?(transitions: readonly JobTransition[]): void;
  onProgress(jobId: string, progress: number): void;
  onLog(jobId: string, at: number, text: string): void;
  /** Raw console output of an attempt's tools. */
  onConsole(jobId: string, chunk: string): void;
  onError(error: unknown): void;
}

export class Dispatcher {
  private readonly active = new Map<string, Attempt>();
  /** Fenced attempts replaced in `active` by a newer attempt of the same job, still ending. */
  private readonly stopping = new Set<Attempt>();
  private readonly reports = new ReportBuffer();
  /** Run time (start → end, ms) of ended attempts whose outcome is not written yet, by `jobId#attempt`. */
  private readonly endedRuns = new Map<string, number>();
  private tickQueued = false;
  private claimWanted = false;
  private ticking: Promise<void> | null = null;
  private accepting = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryTimerAt = Number.POSITIVE_INFINITY;
  private flushTimer: NodeJS.Timeout | null = null;
  private contentionTimer: NodeJS.Timeout | null = null;
  /** Claims in a row that other nodes contended. */
  private contendedClaims = 0;
  /** The `now` of the last claim: retries due after it have not been looked at yet. */
  private lastClaimAt = 0;
  /**
   * Whether the next retry time must be asked again: at start, after an outside request (a job
   * created, retried or resumed, a wake-up from another node, a poll) and after a tick that put a
   * job in retry. Not after every tick: on a shared database that is a round trip per claim.
   */
  private retryCheckWanted = true;

  constructor(
    private readonly store: JobStore,
    private readonly processors: ProcessorRegistry,
    /** Capacity for the next claim, given what this process runs now. */
    private readonly capacity: (local: NodeUsage) => NodeCapacity,
    private readonly hooks: DispatcherHooks,
    private readonly options: DispatcherOptions,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.accepting = true;
    this.requestDispatch();
  }

  /** Ask for a claim soon: capacity may have freed or work may have arrived. */
  requestDispatch(): void {
    if (!this.accepting) return;
    this.claimWanted = true;
    this.retryCheckWanted = true;
    this.queueTick();
  }

  runningAttempts(): Iterable<Attempt> {
    return this.active.values();
  }

  get runningCount(): number {
    return this.active.size;
  }

  /** Stops the attempt of a job that is running here (cancel or hang); false when it is not running here. */
  stopAttempt(jobId: string, reason: StopReason): boolean {
    const attempt = this.active.get(jobId);
    if (!attempt) return false;
    attempt.stop(reason);
    return true;
  }

  /**
   * This process may no longer act as its node (another process took the node id over): no more
   * claims, and every attempt stops without an outcome. Reports already buffered are still written.
   */
  fenceAll(): void {
    this.accepting = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.contentionTimer) clearTimeout(this.contentionTimer);
    for (const attempt of this.active.values()) attempt.stop('fenced');
  }

  /** The attempt of a job running in this process, if any. */
  attemptOf(jobId: string): Attempt | undefined {
    return this.active.get(jobId);
  }

  /** Graceful shutdown: no new claims; running attempts are interrupted and re-queued without spending a retry. */
  async stop(): Promise<void> {
    this.accepting = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.contentionTimer) clearTimeout(this.contentionTimer);
    for (const attempt of this.active.values()) attempt.stop('shutdown');
    await this.waitForIdle();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flushReports();
  }

  private async waitForIdle(): Promise<void> {
    const deadline = this.clock.now() + this.options.stopGraceMs + 1000;
    while (this.active.size > 0 && this.clock.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    while (this.ticking) await this.ticking;
  }

  private queueTick(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    setImmediate(() => {
      this.tickQueued = false;
      if (this.ticking) {
        // run again when the current tick ends
        void this.ticking.then(() => this.queueTick());
        return;
      }
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
      });
    });
  }

  private async tick(): Promise<void> {
    try {
      if (this.claimWanted && this.accepting) {
        this.claimWanted = false;
        await this.claim();
      } else {
        await this.flushReports();
      }
      if (this.retryCheckWanted) {
        this.retryCheckWanted = false;
        await this.armRetryTimer().catch((error: unknown) => {
          this.retryCheckWanted = true;
          throw error;
        });
      }
    } catch (error) {
      this.hooks.onError(error);
    }
  }

  private async flushReports(): Promise<void> {
    if (this.reports.isEmpty) return;
    const batch = this.reports.take();
    try {
      const changed = await this.store.recordReports(batch);
      this.outcomesRecorded(batch.outcomes, changed);
      if (changed.length > 0) this.jobsChanged(changed);
    } catch (error) {
      this.reports.restore(batch);
      throw error;
    }
  }

  private async claim(): Promise<void> {
    const local = this.localUsage();
    const capacity = this.capacity(local);
    const { starvationGuardMs, nodeId } = this.options;
    const now = this.clock.now();
    this.lastClaimAt = now;
    const reports = this.reports.take();
    // the best-ranked jobs that fit the free VRAM too, however deep they rank (no head-of-line blocking)
    const fitting = fittingRead(capacity, local, now, starvationGuardMs);
    let result;
    try {
      result = await this.store.claimJobs({
        nodeId,
        now,
        capacity,
        lookahead: this.lookahead(capacity, local),
        ...(fitting ? { fitting } : {}),
        decide: (usage, candidates, stored) => schedule({ capacity: withStoredFlags(capacity, stored), usage: maxUsage(usage, local), candidates, now, starvationGuardMs }),
        reports,
      });
    } catch (error) {
      this.reports.restore(reports);
      this.claimWanted = true;
      throw error;
    }
    const { started, waitingChanged, reported, contended } = result;
    if (contended) this.claimAgainSoon(started.length > 0);
    else this.contendedClaims = 0;
    this.outcomesRecorded(reports.outcomes, reported);
    if (this.hooks.onTransitions) {
      const becameQueued = new Set(result.becameQueued ?? []);
      const transitions: JobTransition[] = [];
      for (const job of waitingChanged) if (becameQueued.has(job.id)) transitions.push({ job, from: 'pending', to: 'queued' });
      for (const job of started) transitions.push({ job, from: null, to: job.status, waitMs: Math.max(0, (job.startedAt ?? job.enqueuedAt) - job.enqueuedAt) });
      if (transitions.length > 0) this.hooks.onTransitions(transitions);
    }
    if (reported.length > 0) this.jobsChanged(reported);
    if (waitingChanged.length > 0) this.jobsChanged(waitingChanged);
    if (started.length === 0) return;
    this.jobsChanged(started);
    for (const job of started) this.startAttempt(job);
  }

  /** The outcomes of a batch are written (or refused: a fenced attempt's): one transition per written one. */
  private outcomesRecorded(outcomes: ReportBatch['outcomes'], changed: readonly JobRecord[]): void {
    if (outcomes.length === 0) return;
    const transitions: JobTransition[] = [];
    for (const job of changed) {
      const runMs = this.endedRuns.get(`${job.id}#${job.attempt}`);
      if (runMs === undefined) continue;
      // `from`: running, or suspended when it ended while suspended
      transitions.push({ job, from: null, to: job.status, runMs });
    }
    for (const o of outcomes) this.endedRuns.delete(`${o.jobId}#${o.attempt}`);
    if (transitions.length > 0) this.hooks.onTransitions?.(transitions);
  }

  private jobsChanged(jobs: readonly JobRecord[]): void {
    if (jobs.some((j) => j.status === 'queued' && j.retryAfter !== null)) this.retryCheckWanted = true;
    this.hooks.onJobsChanged(jobs);
  }

  private lookahead(capacity: NodeCapacity, local: NodeUsage): Record<ResourceCategory, number> {
    const lookahead = candidateLookahead(capacity, local);
    if (this.options.sharedStore) for (const c of RESOURCE_CATEGORIES) if (capacity.limits[c] === 0) lookahead[c] = 0;
    return lookahead;
  }

  /** What the attempts alive in this process hold, whatever the store says. */
  localUsage(): NodeUsage {
    const running = { cpu: 0, gpu_encode: 0, gpu_ai: 0 };
    let vramReservedMb = 0;
    let gpus: Record<number, GpuUse> | undefined;
    for (const a of [...this.active.values(), ...this.stopping]) {
      running[a.job.resourceCategory] += 1;
      vramReservedMb += a.job.vramReserved;
      const gpu = a.job.gpuIndex;
      if (gpu !== null && gpu !== undefined) addToGpu((gpus ??= {}), gpu, a.job.resourceCategory, a.job.vramReserved);
    }
    return gpus ? { running, vramReservedMb, gpus } : { running, vramReservedMb };
  }

  private startAttempt(job: JobRecord): void {
    // this node claimed the job again (it was rescued from an attempt still alive here, e.g. after
    // losing the database for longer than the lease): the old attempt is fenced off, stop it now
    const previous = this.active.get(job.id);
    if (previous && previous.job.attempt < job.attempt) {
      previous.stop('fenced');
      this.stopping.add(previous); // it holds its slot and VRAM until its process has ended
    }
    const attempt = new Attempt(job, this.processors.get(job.type), this.attemptHooks, this.options);
    this.active.set(job.id, attempt);
    attempt.run();
  }

  /** The hooks of every attempt (one object: a busy node starts thousands of attempts a second). */
  private readonly attemptHooks: AttemptHooks = {
    // fenced by the attempt number: a replaced attempt still ending cannot write into the job
    onLog: ({ job }, at, text) => {
      this.reports.addLog({ jobId: job.id, at, text, attempt: job.attempt });
      this.hooks.onLog(job.id, at, text);
      this.scheduleFlush();
    },
    onProgress: ({ job }, progress) => {
      this.reports.setProgress(job.id, { attempt: job.attempt, progress });
      this.hooks.onProgress(job.id, progress);
      this.scheduleFlush();
    },
    onEnd: (ended, outcome) => this.onAttemptEnd(ended, outcome),
    files: ({ job }) => new StoreAttemptFiles(this.store, this.options.nodeId, this.clock, job),
    // the encode fall-back "NVENC on another GPU": the store moves the reservation, or says why not
    moveToGpu: async ({ job }, index) => {
      const local = this.localUsage();
      const target = this.capacity(local).gpus?.find((g) => g.index === index);
      if (!target) return { moved: false, reason: `GPU ${index} is not among this node's GPUs` };
      const fence = { jobId: job.id, attempt: job.attempt };
      const now = this.clock.now();
      const result = await this.store.moveAttemptToGpu({ fence, nodeId: this.options.nodeId, target, localUse: local.gpus?.[index], now });
      if (result.moved) {
        this.hooks.onJobsChanged([{ ...job, gpuIndex: result.gpuIndex, gpuUuid: result.gpuUuid }]); // views show its new GPU
        this.requestDispatch(); // its old GPU has room again
      }
      return result;
    },
    // every GPU step failed and the attempt goes on in software: its GPU and VRAM are free for others
    releaseGpu: async ({ job }) => {
      const released = await this.store.releaseAttemptGpu({ fence: { jobId: job.id, attempt: job.attempt }, nodeId: this.options.nodeId, now: this.clock.now() });
      if (released) {
        this.hooks.onJobsChanged([{ ...job, gpuIndex: null, gpuUuid: null, vramReserved: 0 }]); // views show it off the GPU
        this.requestDispatch(); // its GPU has room again
      }
      return released;
    },
    onConsole: ({ job }, chunk) => this.hooks.onConsole(job.id, chunk),
    onProcessStarted: ({ job }, process) => this.hooks.onProcessStarted(job.id, process),
    onProcessEnded: ({ job }, process) => this.hooks.onProcessEnded(job.id, process),
  };

  private onAttemptEnd(attempt: Attempt, outcome: AttemptOutcome | null): void {
    if (this.active.get(attempt.id) === attempt) this.active.delete(attempt.id);
    this.stopping.delete(attempt);
    if (outcome) {
      this.endedRuns.set(`${outcome.jobId}#${outcome.attempt}`, Math.max(0, outcome.at - (attempt.job.startedAt ?? outcome.at)));
      this.reports.addOutcome(outcome);
    }
    this.claimWanted = true;
    this.queueTick();
  }

  /**
   * Other nodes won some of the chosen jobs: claim again for the capacity still free, at once while
   * claims still start something (nodes reading the same best-ranked jobs race for them), with
   * back-off once they start nothing (the rows may be held by a node that froze mid-claim).
   */
  private claimAgainSoon(progressed: boolean): void {
    this.contendedClaims = progressed ? 1 : this.contendedClaims + 1;
    if (this.contendedClaims === 1) {
      this.claimWanted = true;
      this.queueTick();
      return;
    }
    if (this.contentionTimer) return;
    const delayMs = Math.min(CONTENTION_RETRY_MS.first * 2 ** (this.contendedClaims - 2), CONTENTION_RETRY_MS.max);
    this.contentionTimer = setTimeout(() => {
      this.contentionTimer = null;
      this.requestDispatch();
    }, delayMs);
    this.contentionTimer.unref();
  }


  /** Progress and log lines are written at most every reportFlushMs; outcomes go at the next tick. */
  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.queueTick();
    }, this.options.reportFlushMs);
    this.flushTimer.unref();
  }

  private async armRetryTimer(): Promise<void> {
    if (!this.accepting) return;
    // measured from the last claim, not the clock: a retry that fell due between that claim and now
    // was not considered by it and still needs a wake-up
    const next = await this.store.nextRetryAt(this.lastClaimAt);
    if (next === null || next >= this.retryTimerAt) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimerAt = next;
    const delay = Math.max(0, next - this.clock.now());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryTimerAt = Number.POSITIVE_INFINITY;
      this.requestDispatch();
    }, Math.min(delay, 2 ** 31 - 1));
    this.retryTimer.unref();
  }
}
