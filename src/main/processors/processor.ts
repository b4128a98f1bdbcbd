/**
 * The processor interface: one implementation per job family. A processor gets its job, an abort
 * signal (cancel, hang, shutdown) and reporters; it resolves when the work is done and throws a
 * JobError to say whether a failure can heal by retrying.
 */
import type { JobType } from '../../shared/domain/job-types';
import type { AttemptFence, JobRecord } from '../core/ports';
import type { GpuMoveResult } from '../core/gpu-placement';
import type { ConsoleBuffer } from './media/console-buffer';

export interface JobContext {
  readonly job: JobRecord;
  readonly signal: AbortSignal;
  /** Progress 0–100; also a sign of life for the hang watchdog. */
  progress(percent: number): void;
  /** One line (or several, split on newlines) appended to the job's log, timestamped. */
  log(text: string): void;
  /** A sign of life without progress (the tool printed something). */
  heartbeat(): void;
  /** The live console of this attempt's tools (bounded), shown to the user while the job runs. */
  readonly console: ConsoleBuffer;
  /**
   * Registers a child process of this attempt: its PID is recorded so it is killed if the runtime
   * dies, and it is stopped/continued when the user suspends/resumes the job. Call the returned
   * function when the process has exited.
   */
  trackProcess(process: TrackedProcess): () => void;
  /** The files this attempt writes in the library: the publishing fence and the partial records (steps/publish-output.ts uses it). */
  readonly files: AttemptFiles;
  /**
   * Environment variables the attempt's tools must run with, on top of the usual child environment:
   * the GPU pin (CUDA_VISIBLE_DEVICES, media/gpu-pinning.ts) of a job placed on one GPU. Empty otherwise.
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Moves this attempt to another GPU of its node (the encode fall-back "NVENC on another GPU",
   * encode/gpu-pipeline.ts): the store re-places it, VRAM reservation and NVENC session with it,
   * only when that GPU has room now; otherwise the answer says why. Absent where no store backs the attempt.
   */
  moveToGpu?(index: number): Promise<GpuMoveResult>;
  /**
   * The attempt encodes in software from now on: the store gives up its GPU, VRAM reservation and
   * NVENC session for other jobs (JobStore.releaseAttemptGpu); false when it held none or no longer
   * owns its job. Absent where no store backs the attempt.
   */
  releaseGpu?(): Promise<boolean>;
}

/**
 * What an attempt's files need from the store. Paths are library-relative. A partial is recorded
 * before the tool writes it and forgotten once published or removed, so recovery removes the
 * partials of attempts that will not go on; publishing is fenced by `fence` (the job's attempt
 * number, and its lease in a fleet).
 */
export interface AttemptFiles {
  readonly fence: AttemptFence;
  /** Whether this attempt still owns its job (not cancelled, rescued or finished elsewhere). */
  ownsJob(): Promise<boolean>;
  recordPartial(path: string): Promise<void>;
  forgetPartial(path: string): Promise<void>;
  /** The fenced commit of a published file that no other record holds; false when fenced. */
  commit(path: string): Promise<boolean>;
}

export interface TrackedProcess {
  readonly pid: number;
  /** The executable, to recognise the process after a restart (a reused PID is not killed). */
  readonly command: string;
  /** SIGSTOP; `false` (or a throw) when the process was gone, so the job is not shown paused for nothing. */
  suspend(): boolean | void;
  resume(): void;
}

export interface Processor {
  run(ctx: JobContext): Promise<void>;
}

export class JobError extends Error {
  constructor(
    message: string,
    /** False for errors that cannot heal (missing input, invalid parameters): the job fails at once. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

export type ProcessorRegistry = ReadonlyMap<JobType, Processor>;

export function createRegistry(entries: Iterable<readonly [JobType, Processor]>): ProcessorRegistry {
  return new Map(entries);
}
