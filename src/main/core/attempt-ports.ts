/**
 * What a running attempt is known by in the job store, apart from its job: the fence its writes
 * are checked against, the files it has made and not yet published, the child processes it
 * started, and the requests that move or give up its GPU. Part of the JobStore port (ports.ts).
 */
import type { GpuSlot, GpuUse } from './gpu-placement';

export interface RecordedProcess {
  readonly pid: number;
  readonly jobId: string;
  readonly command: string;
  readonly nodeId: string;
  readonly startedAt: number;
  /**
   * When the process started, in the kernel's terms (field 22 of /proc/<pid>/stat, clock ticks since
   * boot): with the PID it names one process, so a PID reused later is never taken for it. Null
   * where it could not be read (no /proc, or the process had exited already).
   */
  readonly startTicks: number | null;
}

/**
 * The attempt a write is fenced by (its fencing token): the write applies only while the job still
 * runs (or is suspended) in this attempt and, in a fleet, its lease has not run out.
 */
export interface AttemptFence {
  readonly jobId: string;
  readonly attempt: number;
}

/** What releaseAttemptGpu is asked: the attempt `fence` (running on `nodeId`) gives up its GPU and VRAM. */
export interface GpuReleaseRequest {
  readonly fence: AttemptFence;
  readonly nodeId: string;
  readonly now: number;
}

/** What moveAttemptToGpu is asked: move the attempt `fence` (running on `nodeId`) to `target`. */
export interface GpuMoveRequest {
  readonly fence: AttemptFence;
  readonly nodeId: string;
  /** The target GPU as the scheduler sees it now (budget, session cap, probe results). */
  readonly target: GpuSlot;
  /** What this process's live attempts hold on the target (the claim's larger-of-two-views rule). */
  readonly localUse?: GpuUse;
  readonly now: number;
}

/**
 * A file an attempt has made in the library and not yet published (library-relative path): its
 * partial, or its final name between the rename and the fenced record. Recorded before the file
 * exists, forgotten when it is published or removed, so recovery removes exactly the files of
 * attempts that will not go on.
 */
export interface AttemptPartial extends AttemptFence {
  readonly path: string;
  readonly nodeId: string;
  readonly createdAt: number;
}

/** Which abandoned partials to take: of these jobs, else of what this node recorded, else all. */
export interface PartialScope {
  readonly jobIds?: readonly string[];
  readonly nodeId?: string;
}
