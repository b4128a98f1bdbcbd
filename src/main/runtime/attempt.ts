/**
 * One running attempt of a job: its processor, abort controller and liveness. Turns how the
 * processor ended into an AttemptOutcome (completed, failed with a retry decision, interrupted).
 */
import { gpuPinOf } from '../processors/media/gpu-pinning';
import { decideAfterFailure, type RetryPolicyConfig } from '../core/retry-policy';
import type { AttemptOutcome, JobRecord } from '../core/ports';
import type { Clock } from '../core/clock';
import type { GpuMoveResult } from '../core/gpu-placement';
import { JobError, type AttemptFiles, type JobContext, type Processor, type TrackedProcess } from '../processors/processor';
import { ConsoleBuffer } from '../processors/media/console-buffer';
import { HandedToChildren } from '../processors/segments/hand-off';
import { isAppError } from '../../shared/contracts/errors';

/**
 * cancel: a user asked to cancel the job (through any node): the attempt reports a `cancelled`
 * outcome once its processor has returned (its tool exited, its partials removed), and only that
 * makes the job cancelled. fenced: the store no longer gives this attempt the job (rescued after
 * this node lost its lease, or taken over): no outcome.
 */
export type StopReason = 'cancel' | 'fenced' | 'hang' | 'shutdown';

/** One set of hooks serves every attempt (each call names the attempt): no closures per job. */
export interface AttemptHooks {
  onLog(attempt: Attempt, at: number, text: string): void;
  onConsole(attempt: Attempt, chunk: string): void;
  onProcessStarted(attempt: Attempt, process: TrackedProcess): void;
  onProcessEnded(attempt: Attempt, process: TrackedProcess): void;
  onProgress(attempt: Attempt, progress: number): void;
  /** The store side of the attempt's files (publishing fence, partial records); asked once, when a processor first needs it. */
  files(attempt: Attempt): AttemptFiles;
  /** Called once, when the attempt has ended (or its grace period after a stop ran out). */
  onEnd(attempt: Attempt, outcome: AttemptOutcome | null): void;
  /** Re-places the attempt on GPU `index` through the store (JobContext.moveToGpu); absent: never moved. */
  moveToGpu?(attempt: Attempt, index: number): Promise<GpuMoveResult>;
  /** Gives up the attempt's GPU and VRAM through the store (JobContext.releaseGpu); absent: never released. */
  releaseGpu?(attempt: Attempt): Promise<boolean>;
}

export interface AttemptOptions {
  readonly clock: Clock;
  readonly retryPolicy: RetryPolicyConfig;
  readonly hangTimeoutMs: number;
  readonly stopGraceMs: number;
}

export class Attempt {
  lastActivityAt: number;
  private abortController: AbortController | null = null;
  private stopReason: StopReason | null = null;
  private ended = false;
  private lastProgress = -1;
  private readonly processes = new Set<TrackedProcess>();
  private consoleBuffer: ConsoleBuffer | null = null;
  private suspendedFlag = false;
  /** When stop() was called (for the log line of a cancel). */
  private stoppedAt: number | null = null;
  private attemptFiles: AttemptFiles | null = null;

  constructor(
    /** Replaced only when the attempt moves to another GPU (moveToGpu). */
    public job: JobRecord,
    private readonly processor: Processor | undefined,
    private readonly hooks: AttemptHooks,
    private readonly options: AttemptOptions,
  ) {
    this.lastActivityAt = options.clock.now();
  }

  get id(): string {
    return this.job.id;
  }

  /** Made when the processor first asks for its signal or the attempt is stopped (a no-op job never does). */
  get controller(): AbortController {
    return (this.abortController ??= new AbortController());
  }

  /**
   * The live console of this attempt's tools, made when a processor first writes to it (most
   * jobs of a busy queue never run a tool, and the queue's throughput counts every allocation).
   */
  get console(): ConsoleBuffer {
    if (!this.consoleBuffer) {
      this.consoleBuffer = new ConsoleBuffer();
      this.consoleBuffer.subscribe((chunk) => this.hooks.onConsole(this, chunk));
    }
    return this.consoleBuffer;
  }

  /** JobContext.moveToGpu: once the store has moved it, the job (its GPU pin, the node's usage) names the new GPU. */
  async moveToGpu(index: number): Promise<GpuMoveResult> {
    if (!this.hooks.moveToGpu) return { moved: false, reason: 'this runtime cannot re-place a job on another GPU' };
    const result = await this.hooks.moveToGpu(this, index);
    if (result.moved) this.job = { ...this.job, gpuIndex: result.gpuIndex, gpuUuid: result.gpuUuid };
    return result;
  }

  /** JobContext.releaseGpu: once the store has released it, the job (the node's usage, its views) holds no GPU. */
  async releaseGpu(): Promise<boolean> {
    if (!this.hooks.releaseGpu) return false;
    const released = await this.hooks.releaseGpu(this);
    if (released) this.job = { ...this.job, gpuIndex: null, gpuUuid: null, vramReserved: 0 };
    return released;
  }

  /** JobContext.files. */
  get files(): AttemptFiles {
    return (this.attemptFiles ??= this.hooks.files(this));
  }

  /** Whether any tool wrote to the console (so there is something to show). */
  get hasConsole(): boolean {
    return this.consoleBuffer !== null;
  }

  /** Runs the processor (from the next microtask on) and ends the attempt with its outcome. */
  run(): void {
    void this.execute();
  }

  private async execute(): Promise<void> {
    let outcome: AttemptOutcome | null;
    try {
      await undefined; // never inside the caller's turn (the dispatcher is starting a batch)
      if (!this.processor) throw new JobError(`No processor for job type ${this.job.type} on this node.`, false);
      // a job placed on a GPU: say how its tools are pinned there (AttemptContext.env)
      const pin = gpuPinOf(this.job);
      if (pin) this.reportLog(`Pinned to GPU ${this.job.gpuIndex}: tools run with CUDA_VISIBLE_DEVICES=${pin.env.CUDA_VISIBLE_DEVICES} CUDA_DEVICE_ORDER=${pin.env.CUDA_DEVICE_ORDER}`);
      await this.processor.run(new AttemptContext(this));
      outcome = this.completedOutcome();
    } catch (error) {
      outcome = this.failureOutcome(error);
    }
    this.end(outcome);
  }

  /** A sign of life (JobContext.heartbeat). */
  markActive(): void {
    this.lastActivityAt = this.options.clock.now();
  }

  /** JobContext.trackProcess. */
  track(process: TrackedProcess): () => void {
    this.processes.add(process);
    if (this.suspendedFlag) process.suspend();
    this.hooks.onProcessStarted(this, process);
    return () => {
      if (this.processes.delete(process)) this.hooks.onProcessEnded(this, process);
    };
  }

  /** Whether the work runs in external processes that can be stopped and continued. */
  get canSuspend(): boolean {
    return this.processes.size > 0;
  }

  get suspended(): boolean {
    return this.suspendedFlag;
  }

  /**
   * SIGSTOP to the attempt's processes; true when at least one was there to receive it (a process
   * that had just exited answers false or throws). Later processes of the attempt start suspended.
   */
  suspend(): boolean {
    this.suspendedFlag = true;
    let delivered = false;
    for (const p of this.processes) {
      try {
        if (p.suspend() !== false) delivered = true;
      } catch {
        // gone already
      }
    }
    return delivered;
  }

  resume(): void {
    this.suspendedFlag = false;
    for (const p of this.processes) p.resume();
    this.lastActivityAt = this.options.clock.now();
  }

  /** Stops the attempt; the slot is freed when the processor ends, or after the grace period. */
  stop(reason: StopReason): void {
    if (this.ended || this.stopReason) return;
    // a stopped process only handles its termination signal once continued
    if (this.suspendedFlag) this.resume();
    this.stopReason = reason;
    this.stoppedAt = this.options.clock.now();
    this.controller.abort(new Error(`stopped: ${reason}`));
    setTimeout(() => this.end(this.failureOutcome(new Error('the processor did not stop within the grace period'), true)), this.options.stopGraceMs).unref();
  }

  /** JobContext.progress. */
  reportProgress(percent: number): void {
    if (this.ended) return;
    this.lastActivityAt = this.options.clock.now();
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    if (p === this.lastProgress) return;
    this.lastProgress = p;
    this.hooks.onProgress(this, p);
  }

  /** JobContext.log. */
  reportLog(text: string): void {
    if (this.ended) return;
    const at = this.options.clock.now();
    this.lastActivityAt = at;
    for (const line of text.split(/\r?\n/)) if (line.length > 0) this.hooks.onLog(this, at, line);
  }

  private end(outcome: AttemptOutcome | null): void {
    if (this.ended) return;
    this.ended = true;
    this.hooks.onEnd(this, outcome);
  }

  private completedOutcome(): AttemptOutcome | null {
    if (this.stopReason === 'fenced') return null;
    if (this.stopReason === 'cancel') return this.cancelledOutcome(false);
    const at = this.options.clock.now();
    const seconds = ((at - (this.job.startedAt ?? at)) / 1000).toFixed(1);
    return { kind: 'completed', jobId: this.job.id, attempt: this.job.attempt, at, logLine: `Completed successfully in ${seconds} s` };
  }

  /** The end of a cancelled attempt; `timedOut`: the processor had not returned within the grace period. */
  private cancelledOutcome(timedOut: boolean): AttemptOutcome {
    const at = this.options.clock.now();
    const seconds = ((at - (this.stoppedAt ?? at)) / 1000).toFixed(1);
    const logLine = timedOut
      ? `Cancelled: the processor had not returned ${seconds} s after the cancel (its tool was killed; the slot is freed)`
      : `Cancelled: the tool has exited and the partial files are removed (${seconds} s after the cancel)`;
    return { kind: 'cancelled', jobId: this.job.id, attempt: this.job.attempt, at, logLine };
  }

  private failureOutcome(error: unknown, timedOut = false): AttemptOutcome | null {
    const at = this.options.clock.now();
    const base = { jobId: this.job.id, attempt: this.job.attempt, at };
    switch (this.stopReason) {
      case 'cancel':
        return this.cancelledOutcome(timedOut);
      case 'fenced':
        return null; // the store has moved on (rescued, taken over); its log says so
      case 'shutdown':
        return { kind: 'interrupted', ...base, logLine: 'Interrupted by shutdown; it will start again (no retry spent).' };
      case 'hang': {
        const seconds = Math.round(this.options.hangTimeoutMs / 1000);
        return this.failed(base, `No progress for ${seconds} s: stopped as hung.`, true);
      }
      default: {
        // the work goes on in child jobs (a segmented encode's parts): back to waiting, no retry spent
        if (error instanceof HandedToChildren) return { kind: 'interrupted', ...base, logLine: error.message };
        // AppErrors are refusals of the input (a path outside the library …): retrying cannot help
        const retryable = error instanceof JobError ? error.retryable : !isAppError(error);
        const message = error instanceof Error ? error.message : String(error);
        return this.failed(base, message, retryable);
      }
    }
  }

  private failed(base: { jobId: string; attempt: number; at: number }, error: string, retryable: boolean): AttemptOutcome {
    const decision = decideAfterFailure(
      { retryCount: this.job.retryCount, maxRetries: this.job.maxRetries, retryable, now: base.at },
      this.options.retryPolicy,
    );
    const next =
      decision.kind === 'retry'
        ? `will retry at ${new Date(decision.retryAfter).toISOString()} (${decision.reason})`
        : `failed for good: ${decision.reason}`;
    return { kind: 'failed', ...base, error, decision, logLine: `ERROR: ${error} — ${next}` };
  }
}

/** What a processor sees of its attempt: methods on the prototype, so no closures per job. */
class AttemptContext implements JobContext {
  constructor(private readonly attempt: Attempt) {}

  get job(): JobRecord {
    return this.attempt.job;
  }

  get signal(): AbortSignal {
    return this.attempt.controller.signal;
  }

  get console(): ConsoleBuffer {
    return this.attempt.console;
  }

  progress(percent: number): void {
    this.attempt.reportProgress(percent);
  }

  log(text: string): void {
    this.attempt.reportLog(text);
  }

  heartbeat(): void {
    this.attempt.markActive();
  }

  trackProcess(process: TrackedProcess): () => void {
    return this.attempt.track(process);
  }

  get files(): AttemptFiles {
    return this.attempt.files;
  }

  moveToGpu(index: number): Promise<GpuMoveResult> {
    return this.attempt.moveToGpu(index);
  }

  releaseGpu(): Promise<boolean> {
    return this.attempt.releaseGpu();
  }

  get env(): Readonly<Record<string, string>> {
    return gpuPinOf(this.attempt.job)?.env ?? {};
  }
}
