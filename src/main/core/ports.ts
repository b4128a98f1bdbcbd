/**
 * Ports: what the core and the runtime need from the outside world, as interfaces. Adapters live
 * in storage/, processors/ and system/; tests use fakes. Store methods are named in domain verbs.
 */
import type { JobType } from '../../shared/domain/job-types';
import type { JobStatus, ResourceCategory } from '../../shared/domain/statuses';
import type { NodeCapacity, NodeUsage } from './capacity';
import type { Candidate, ScheduleResult } from './scheduler';
import type { FailureDecision } from './retry-policy';
import type { ManualAction } from './lifecycle';
import type { GpuMoveResult } from './gpu-placement';
import type { AttemptFence, AttemptPartial, GpuMoveRequest, GpuReleaseRequest, PartialScope, RecordedProcess } from './attempt-ports';

// the attempt's own records (fence, partial files, processes, GPU moves) live in attempt-ports.ts; every store port imports them from here too
export type { AttemptFence, AttemptPartial, GpuMoveRequest, GpuReleaseRequest, PartialScope, RecordedProcess } from './attempt-ports';

/** A job as the store holds it: timestamps in epoch milliseconds. */
export interface JobRecord {
  readonly id: string;
  readonly seq: number;
  readonly type: JobType;
  readonly status: JobStatus;
  readonly params: Record<string, unknown>;
  readonly progress: number;
  readonly priority: number;
  readonly waitingReason: string | null;
  readonly resourceCategory: ResourceCategory;
  readonly vramRequired: number;
  /** VRAM reserved while running (0 where no GPU is budgeted). */
  readonly vramReserved: number;
  readonly createdAt: number;
  readonly enqueuedAt: number;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly retryCount: number;
  readonly maxRetries: number;
  readonly retryAfter: number | null;
  readonly lastError: string | null;
  readonly nodeId: string | null;
  /** Who created the job (an API token's name, 'desktop'); null for jobs from before it was recorded. */
  readonly createdBy: string | null;
  /** Incremented at each claim: a fencing token so a stale runner cannot finish a newer attempt. */
  readonly attempt: number;
  readonly logLines: number;
  readonly logDropped: number;
  /**
   * When a user asked to cancel the job while it ran (or was suspended): it stays live (cancelling)
   * until its attempt has ended (its tool exited, its partial files removed), then it is cancelled.
   * Null when no cancel was asked for during the current attempt.
   */
  readonly cancelRequestedAt: number | null;
  /** The pipeline run this job is a step of (null or absent: created on its own). */
  readonly pipelineRunId?: string | null;
  /** The job of the step this one came after, in its pipeline run. */
  readonly parentJobId?: string | null;
  /** The GPU the current (or last) attempt was placed on, on nodes with a per-GPU inventory; null otherwise. */
  readonly gpuIndex?: number | null;
  readonly gpuUuid?: string | null;
}

export interface NewJob {
  readonly id: string;
  readonly type: JobType;
  readonly params: Record<string, unknown>;
  readonly priority: number;
  readonly resourceCategory: ResourceCategory;
  readonly vramRequired: number;
  readonly maxRetries: number;
  readonly createdAt: number;
  /** Who asked for it (recorded on the job). */
  readonly createdBy: string | null;
  /** A pipeline step's job: its run, and the job of the step it came after. */
  readonly pipelineRunId?: string | null;
  readonly parentJobId?: string | null;
}

export interface JobFilter {
  readonly status?: JobStatus;
  readonly type?: JobType;
  readonly resourceCategory?: ResourceCategory;
  /** Input or output video whose title, file name or path contains this (case-insensitive), or a job id starting with it. */
  readonly search?: string;
  /** created_at at or after / before these (epoch ms). */
  readonly createdFrom?: number;
  readonly createdTo?: number;
  /** Leave out the chunk and audio jobs of segmented encodes (the job list shows their parent only). */
  readonly hideSegmentChildren?: boolean;
}

/** Jobs that ended (completed, failed) in one hour: its start in epoch ms. */
export interface EndedInHour {
  readonly hourStart: number;
  readonly completed: number;
  readonly failed: number;
}

export interface LogLineInput {
  readonly jobId: string;
  readonly at: number;
  readonly text: string;
  /**
   * The attempt that wrote it: the line is kept only while the job still runs (or is suspended) in
   * that attempt, so an attempt fenced off (rescued, cancelled elsewhere) cannot write into its
   * job's log any more. Lines written outside an attempt leave it out.
   */
  readonly attempt?: number;
}

/** An attempt's latest progress: applied only while the job still runs in that attempt. */
export interface ProgressReport {
  readonly attempt: number;
  readonly progress: number;
}

export interface StoredLogLine {
  readonly line: number;
  readonly at: number;
  readonly text: string;
}

export interface ClaimRequest {
  readonly nodeId: string;
  readonly now: number;
  readonly capacity: NodeCapacity;
  /** How many best-ranked waiting jobs of each category to consider. */
  readonly lookahead: Readonly<Record<ResourceCategory, number>>;
  /**
   * The second read, for what fits (no head-of-line blocking at any depth): absent when no category
   * that reserves VRAM has a free slot. See FittingRead.
   */
  readonly fitting?: FittingRead;
  /**
   * The scheduler, called inside the claiming transaction with a consistent snapshot. `stored`: the
   * queue flags as the transaction reads them (both stores pass them). The node's own copy may be
   * older: another node paused (a fleet), or this process stored a pause its copy has not taken yet,
   * or a claim took the copy just before a pause and read its candidates after; so a pause either
   * shows stops the claim. Optional for callers outside the stores (tests of the scheduler).
   */
  readonly decide: (usage: NodeUsage, candidates: readonly Candidate[], stored?: QueueFlags) => ScheduleResult;
  /** Reports to apply first, in the same transaction (one durable commit per dispatcher tick). */
  readonly reports?: ReportBatch;
}

/**
 * Besides the lookahead, a claim also shows the scheduler, for each category named here: up to
 * that many best-ranked waiting jobs whose vramRequired fits the VRAM free now (vramBudgetMb minus
 * the larger of localReservedMb and what the store counts for this node), however many
 * higher-ranked jobs that do not fit come first; and, when it found some, the best-ranked job that
 * waited since starvingSince or earlier, fits the budget but not the free VRAM, and ranks above the
 * last of them (the starvation guard holds VRAM for it, so the smaller ones must not jump it).
 * Built by core/scheduler.ts fittingRead.
 */
export interface FittingRead {
  readonly lookahead: Readonly<Partial<Record<ResourceCategory, number>>>;
  readonly vramBudgetMb: number;
  readonly localReservedMb: number;
  readonly starvingSince: number;
}

export interface ClaimResult {
  readonly started: JobRecord[];
  /** Jobs whose waiting reason (or pending → queued) changed in this claim. */
  readonly waitingChanged: JobRecord[];
  /**
   * Ids of the jobs in `waitingChanged` that were pending (a real pending → queued transition); the
   * others were queued already and only had their waiting reason rewritten. Absent: none.
   */
  readonly becameQueued?: readonly string[];
  /** Jobs changed by the outcomes in `reports`, as recordReports returns them. */
  readonly reported: JobRecord[];
  /**
   * Fewer jobs started than the scheduler chose, because other nodes started some of them first
   * (shared stores only): the capacity is still free, so the dispatcher claims again at once.
   */
  readonly contended?: boolean;
}

/** How an attempt ended, reported by the runner that holds `attempt`. */
export type AttemptOutcome =
  | { readonly kind: 'completed'; readonly jobId: string; readonly attempt: number; readonly at: number; readonly logLine: string }
  | { readonly kind: 'failed'; readonly jobId: string; readonly attempt: number; readonly at: number; readonly error: string; readonly decision: FailureDecision; readonly logLine: string }
  | { readonly kind: 'interrupted'; readonly jobId: string; readonly attempt: number; readonly at: number; readonly logLine: string }
  /** A cancel was asked for and the attempt has ended (its tool exited, its partials removed). */
  | { readonly kind: 'cancelled'; readonly jobId: string; readonly attempt: number; readonly at: number; readonly logLine: string };

export interface ReportBatch {
  readonly logs: readonly LogLineInput[];
  /** By job id. */
  readonly progress: ReadonlyMap<string, ProgressReport>;
  readonly outcomes: readonly AttemptOutcome[];
}

export interface ManualTransition {
  readonly jobId: string;
  /** Applied only from the statuses the lifecycle table allows it; a retry counts one more retry. */
  readonly action: ManualAction;
  readonly at: number;
  readonly logLine?: string;
}

export interface CancelRequest {
  readonly jobId: string;
  readonly at: number;
  /** Logged when the job is cancelled at once. */
  readonly logLine: string;
  /** Logged when a live job is asked to stop (it is cancelled when its attempt has ended). */
  readonly requestedLogLine: string;
}

export interface TransitionResult {
  /** The job after the call: changed when applied, as found otherwise. */
  readonly job: JobRecord;
  readonly applied: boolean;
}

export interface StatusCounts {
  readonly byStatus: Readonly<Record<JobStatus, number>>;
  /** The parts of segmented encodes (encode_chunk, encode_audio) among byStatus: the stats leave them out (one job to the user, #20). */
  readonly partsByStatus: Readonly<Record<JobStatus, number>>;
  /** The parents with a live part, by the parent's status (a waiting parent is `pending`): the stats show them running. */
  readonly parentsWithLiveParts: Readonly<Partial<Record<JobStatus, number>>>;
  readonly byType: Readonly<Partial<Record<JobType, number>>>;
  readonly runningByCategory: Readonly<Record<ResourceCategory, number>>;
  readonly vramReservedMb: number;
  /** Over every job ever completed, the parts of segmented encodes left out (their parent counts once). */
  readonly averageProcessingSeconds: number;
}

/**
 * One batch of the retention cleaner: of the jobs after `after` in creation order (at most `limit`
 * of them), delete the completed and cancelled ones that ended before `completedBefore` and the
 * failed ones that ended before `failedBefore` (epoch ms; null keeps that kind forever), with
 * their log lines and analysis segments; status counts follow. Never a job that is not final
 * (a failed job waiting for its retry is queued). Library videos, scenes and tags are kept.
 */
export interface PruneRequest {
  readonly completedBefore: number | null;
  readonly failedBefore: number | null;
  /** Where this batch starts: 0 to begin a pass, else the `next` of the batch before. */
  readonly after: number;
  /** Jobs examined by this batch (so at most deleted). */
  readonly limit: number;
}

export interface PruneResult {
  readonly deleted: number;
  /** Where the next batch of this pass starts; null when the pass is done (no job created before the later cutoff lies beyond). */
  readonly next: number | null;
}

export interface QueueFlags {
  readonly queuePaused: boolean;
  readonly pausedCategories: readonly ResourceCategory[];
}

/** Pausing or resuming the whole queue, or one category of it (`category`). */
export interface QueueFlagChange {
  readonly paused: boolean;
  readonly category?: ResourceCategory;
}

export interface JobStore {
  insertJobs(jobs: readonly NewJob[]): Promise<JobRecord[]>;
  getJob(id: string): Promise<JobRecord | undefined>;
  listJobs(filter: JobFilter, offset: number, limit: number): Promise<{ rows: JobRecord[]; total: number }>;
  /** 1-based position among waiting jobs of the same category by rank; null when not waiting. */
  queuePosition(id: string): Promise<number | null>;
  /** queuePosition of many jobs in one read (a list page): the waiting ones among `ids`, by id. */
  queuePositions(ids: readonly string[]): Promise<Map<string, number>>;
  countJobs(): Promise<StatusCounts>;
  /** Completed and failed jobs per hour whose completed_at is at or after `since` (hours without any left out). */
  countEndedPerHour(since: number): Promise<EndedInHour[]>;

  /** Atomically: read this node's usage and the candidates, let `decide` choose, mark the chosen running, record waiting reasons. */
  claimJobs(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * The one write path of running attempts, in one transaction: log lines, progress, then outcomes.
   * Outcomes whose attempt is no longer current (cancelled, rescued) are ignored. Returns the jobs the outcomes changed.
   */
  recordReports(batch: ReportBatch): Promise<JobRecord[]>;
  /** A user's pause, resume or retry: applied only from the statuses the lifecycle table allows (else `applied: false`). Throws AppError NOT_FOUND. */
  transitionJob(t: ManualTransition): Promise<TransitionResult>;
  /**
   * A user's cancel, decided atomically on the job as it is (lifecycle cancelActionFor): one without
   * an attempt (pending, queued, paused) is cancelled at once with `logLine`; a live one (running, suspended) only
   * gets cancelRequestedAt (and `requestedLogLine`, once) and stays live until its attempt reports a
   * `cancelled` outcome (or is rescued, which then cancels it); its node is told. Not applied to a
   * job that has ended. Throws AppError NOT_FOUND.
   */
  cancelJob(c: CancelRequest): Promise<TransitionResult>;
  /** Applied only from the statuses the lifecycle table allows setPriority (else `applied: false`). */
  setPriority(jobId: string, priority: number, at: number): Promise<TransitionResult>;
  /**
   * Jobs left running by this node when it died: apply `decide` to each, log what happened. An
   * embedded store that only one runtime can open treats every running job as this node's.
   */
  rescueJobs(nodeId: string, now: number, decide: (job: JobRecord) => FailureDecision): Promise<JobRecord[]>;
  /** running → suspended with the attempt, its slot and VRAM kept (its process is stopped by the runner). */
  suspendJob(jobId: string, at: number, logLine: string): Promise<TransitionResult>;
  /** suspended → running again (its process is continued by the runner). */
  resumeSuspendedJob(jobId: string, at: number, logLine: string): Promise<TransitionResult>;

  /** Child processes of attempts, recorded when they start so a restart can kill orphans. */
  recordProcess(p: RecordedProcess): Promise<void>;
  forgetProcess(nodeId: string, pid: number): Promise<void>;
  /** Returns and forgets every process recorded by this node. */
  takeRecordedProcesses(nodeId: string): Promise<RecordedProcess[]>;

  /**
   * Whether the attempt still owns its job: running (or suspended) in this attempt and, on a shared
   * store, its lease not run out (in the database's clock). Checked before a file is published.
   */
  attemptOwnsJob(fence: AttemptFence): Promise<boolean>;
  /**
   * Re-places a running attempt on another GPU of its node (the encode fall-back "NVENC on another
   * GPU", #18): gpuIndex/gpuUuid move, with the attempt's VRAM reservation and NVENC session, only
   * while the attempt owns its job (the fence, and its lease on a shared store) and the target has
   * room now (core/gpu-placement.ts moveRefusal), checked and written atomically with this node's claims.
   */
  moveAttemptToGpu(request: GpuMoveRequest): Promise<GpuMoveResult>;
  /**
   * The attempt encodes in software from now on (every GPU step failed): its GPU, VRAM reservation
   * and NVENC session are given up, so claims can place other jobs there; it keeps its encode slot.
   * Only while the attempt owns its job; false when it does not, or held nothing to give up.
   */
  releaseAttemptGpu(request: GpuReleaseRequest): Promise<boolean>;
  /** Records a file an attempt is about to write (see AttemptPartial); recording it again is a no-op. */
  recordPartial(partial: AttemptPartial): Promise<void>;
  /** Forgets a recorded file (published, or removed by its attempt). */
  forgetPartial(fence: AttemptFence, path: string): Promise<void>;
  /**
   * The commit of a published file that no other record holds (a GIF): forgets its row only while
   * the attempt owns its job, in one fenced statement. False when fenced (the caller removes the file).
   */
  commitPartial(fence: AttemptFence, path: string): Promise<boolean>;
  /**
   * Returns and forgets the recorded files of attempts that no longer own their job (re-queued,
   * failed, cancelled, rescued), within `scope`; recovery removes them from the library.
   */
  takeAbandonedPartials(scope: PartialScope): Promise<AttemptPartial[]>;

  /** Earliest retryAfter later than `now` among jobs waiting for a retry, for the dispatcher's timer. */
  nextRetryAt(now: number): Promise<number | null>;

  appendLogs(lines: readonly LogLineInput[]): Promise<void>;
  /** Throws AppError NOT_FOUND for an unknown job. */
  readLog(jobId: string, afterLine: number, limit: number): Promise<{ lines: StoredLogLine[]; dropped: number; total: number }>;

  /** Retention: deletes one batch of expired ended jobs (see PruneRequest). */
  pruneJobs(request: PruneRequest): Promise<PruneResult>;
  /**
   * Runs `pass` while this process is the only cleaner of the store (a shared store: a fleet-wide
   * try-lock); false, without running it, when another node is cleaning now.
   */
  asSoleCleaner(pass: () => Promise<void>): Promise<boolean>;

  getQueueFlags(): Promise<QueueFlags>;
  /**
   * Applies one pause or resume to the stored flags in one step and returns them as stored: in a
   * fleet, another node's change in between is kept (a write of the whole flags from a local copy
   * could undo it).
   */
  changeQueueFlags(change: QueueFlagChange): Promise<QueueFlags>;
  close(): Promise<void>;
}
