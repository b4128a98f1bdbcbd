/**
 * The pipelines' port: stored, versioned pipeline documents, their runs (one per video, with a
 * state per step), the loop breaker's content fingerprints and the scheduler's claimed slots.
 * Timestamps are epoch ms. Every write that decides something another node could decide too
 * (start a run for this content, start this step, run this scheduled time) is one conditional
 * statement or transaction, so two nodes (or a restart racing an event) never do it twice.
 */
import type { PipelineDocument } from '../../shared/domain/pipeline';

export interface PipelineRecord {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  /** Bumped by every update: the optimistic-concurrency token an update must carry. */
  readonly version: number;
  /** The version at which the steps last changed: the loop breaker keeps fingerprints per steps version. */
  readonly stepsVersion: number;
  readonly document: PipelineDocument;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly createdBy: string | null;
  readonly updatedBy: string | null;
}

export interface NewPipeline {
  readonly id: string;
  readonly enabled: boolean;
  readonly document: PipelineDocument;
  readonly at: number;
  readonly by: string | null;
}

export interface PipelineUpdate {
  readonly id: string;
  /** The version the caller edited; another version now is a conflict. */
  readonly expectedVersion: number;
  readonly enabled: boolean;
  readonly document: PipelineDocument;
  readonly at: number;
  readonly by: string | null;
}

export type UpdateResult =
  | { readonly kind: 'updated'; readonly pipeline: PipelineRecord }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'conflict'; readonly current: PipelineRecord };

export const RUN_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STEP_STATES = ['waiting', 'running', 'completed', 'failed', 'cancelled', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** Why a step was skipped: its `if` did not hold (counts as done), or its branch was not taken. */
export type SkipKind = 'condition' | 'branch';

export const RUN_TRIGGERS = ['manual', 'file_added', 'schedule', 'job_completed'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export interface StepRecord {
  readonly stepId: string;
  readonly state: StepState;
  readonly skipKind: SkipKind | null;
  /** The job id is chosen before the job is inserted (so a crash in between re-inserts the same job). */
  readonly jobId: string | null;
  /** The job's params as substituted (re-inserted as they were after a crash). */
  readonly params: Record<string, unknown> | null;
  readonly reason: string | null;
  /** The video this step produced, or the one it worked on when it produced none (what {{previous.outputVideoId}} gives). */
  readonly outputVideoId: string | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
}

export interface RunRecord {
  readonly id: string;
  readonly pipelineId: string;
  readonly pipelineVersion: number;
  readonly stepsVersion: number;
  readonly videoId: string;
  readonly trigger: RunTrigger;
  /** What fired it: the scheduled time, the completed job's id, the caller's name. */
  readonly triggerDetail: string | null;
  readonly forced: boolean;
  readonly status: RunStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly endedAt: number | null;
  /** In the pipeline's step order. */
  readonly steps: readonly StepRecord[];
}

/** What the loop breaker knows of one file's content: size, mtime and a hash of its first and last MiB. */
export interface ContentFingerprint {
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly hash: string;
}

export interface NewRun {
  readonly run: Omit<RunRecord, 'steps' | 'status' | 'updatedAt' | 'endedAt'>;
  readonly stepIds: readonly string[];
  readonly fingerprint: ContentFingerprint;
  /** Start even when this content ran already (the fingerprint is taken over by this run). */
  readonly force: boolean;
  /** Content that last ran before this time may run again (repeatAfterDays); null: never. */
  readonly repeatBefore: number | null;
}

export type StartRunResult = { readonly started: true; readonly run: RunRecord } | { readonly started: false; readonly previousRunId: string | null };

export interface StepPatch {
  readonly state: StepState;
  readonly skipKind?: SkipKind | null;
  readonly reason?: string | null;
  readonly outputVideoId?: string | null;
  readonly endedAt?: number | null;
}

export interface ProcessedContent {
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly runId: string | null;
  readonly at: number;
}

export interface RunCounts {
  readonly running: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly lastRunAt: number | null;
  readonly lastRunStatus: RunStatus | null;
}

export interface PipelineStore {
  /** Throws AppError NAME_TAKEN when another pipeline has the name. */
  createPipeline(p: NewPipeline): Promise<PipelineRecord>;
  getPipeline(id: string): Promise<PipelineRecord | undefined>;
  /** By name. */
  listPipelines(): Promise<PipelineRecord[]>;
  /** Throws AppError NAME_TAKEN when another pipeline has the new name. */
  updatePipeline(u: PipelineUpdate): Promise<UpdateResult>;
  /** Removes the pipeline, its fingerprints and schedule slots; its runs and versions stay (history). */
  deletePipeline(id: string): Promise<boolean>;
  /** The document of a version (runs go on with the version they started with). */
  getPipelineVersion(pipelineId: string, version: number): Promise<PipelineDocument | undefined>;
  runCounts(pipelineIds: readonly string[]): Promise<Map<string, RunCounts>>;

  /**
   * Loop breaker + run insert in one transaction: claims the fingerprint for (pipeline, steps
   * version) unless another run holds it (and it is not older than `repeatBefore`, and not forced),
   * then inserts the run with every step waiting.
   */
  startRun(n: NewRun): Promise<StartRunResult>;
  /** Records content a run produced (its outputs) as processed by that pipeline version; a no-op when known. */
  recordOutputContent(pipelineId: string, stepsVersion: number, fingerprint: ContentFingerprint, runId: string, at: number): Promise<void>;
  /** Size and mtime of the content processed by (pipeline, steps version) since `since` (null: ever): the dry run matches videos against it. */
  listProcessedContent(pipelineId: string, stepsVersion: number, since: number | null): Promise<ProcessedContent[]>;

  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(pipelineId: string, filter: { readonly status?: RunStatus }, offset: number, limit: number): Promise<{ rows: RunRecord[]; total: number }>;
  /**
   * Ids of the running runs that need advancing, oldest first (a restart, and the periodic sweep,
   * advance them): a step whose job has ended (or changed since) or is missing, or no step running
   * at all. A run waiting on a long job is not listed, so a sweep costs one query when all is well.
   */
  listRunsToAdvance(limit: number): Promise<string[]>;
  /** waiting (or skipped by its branch) → running with the job id and params chosen: false when another advance took it first. */
  claimStep(runId: string, stepId: string, jobId: string, params: Record<string, unknown>, at: number): Promise<boolean>;
  /**
   * Sets a step's state, only while it is in one of `from` (a stale planner never overwrites a step
   * another advance has moved on) and only when something changes; returns whether it did.
   */
  updateStep(runId: string, stepId: string, from: readonly StepState[], patch: StepPatch, at: number): Promise<boolean>;
  /** Sets the run's status (endedAt when it ends, cleared when it runs again); returns whether it changed. */
  setRunStatus(runId: string, status: RunStatus, at: number): Promise<boolean>;

  /** The video a job produced (its newest library row by source job), or null. */
  outputVideoOf(jobId: string): Promise<string | null>;
  /** For each of these jobs that belongs to a run: the run's pipeline id (the lineage check). */
  pipelinesOfJobs(jobIds: readonly string[]): Promise<Map<string, string>>;

  /** Claims a scheduled time of a pipeline: true for exactly one caller per (pipeline, time). */
  claimScheduleSlot(pipelineId: string, scheduledAt: number, at: number): Promise<boolean>;
}
