/**
 * Moves one pipeline run on from what the database says, so advancing is idempotent and
 * restart-safe (called on a job transition, at start-up and by the periodic sweep, on any node):
 *   1. each step that has a job takes its job's state (ended: with its output video; a job whose
 *      row is missing, because a crash fell between claiming the step and inserting the job, is
 *      inserted again with the same id and params);
 *   2. the plan (core/pipelines/run-plan.ts) is applied until nothing changes: branch skips, and
 *      ready steps, whose `if` is evaluated on the video as it is now, then whose params are
 *      substituted and validated, then claimed (a conditional write: one advancer wins) and
 *      inserted as ordinary jobs carrying pipelineRunId and parentJobId;
 *   3. the run's status follows its steps.
 */
import { AppError, isAppError } from '../../../shared/contracts/errors';
import { newJobId } from '../../../shared/domain/job-ids';
import { isSegmentChild } from '../../../shared/domain/job-types';
import type { PipelineDocument, PipelineStep } from '../../../shared/domain/pipeline';
import { substitutePlaceholders } from '../../../shared/domain/pipeline-placeholders';
import type { AnalysisStore } from '../../core/analysis-ports';
import type { VideoRecord, VideoStore } from '../../core/library-ports';
import type { PipelineStore, RunRecord, StepRecord, StepState } from '../../core/pipeline-ports';
import { compileConditions, folderOf, needsTags } from '../../core/pipelines/conditions';
import { planRun, runStatusOf, stepStateOfJob, type PlanState } from '../../core/pipelines/run-plan';
import type { JobRecord, JobStore, NewJob } from '../../core/ports';
import type { Clock } from '../../core/clock';
import { buildNewJob, type JobTypeCatalog } from '../create-job';
import { fingerprintFile } from './fingerprint';
import { tagMap } from './library-screening';
import { join } from 'node:path';

export interface AdvancerDeps {
  readonly pipelines: PipelineStore;
  readonly jobs: Pick<JobStore, 'getJob'>;
  readonly videos: Pick<VideoStore, 'getVideo'>;
  readonly analysis?: Pick<AnalysisStore, 'tagsOfVideos'> | undefined;
  readonly catalog: JobTypeCatalog;
  readonly clock: Pick<Clock, 'now'>;
  readonly libraryPath: string;
  /** Inserts step jobs the way every job is created (events, metrics, a dispatch). */
  insertJobs(jobs: readonly NewJob[]): Promise<JobRecord[]>;
  /** The document of a pipeline version (cached by the caller: versions never change). */
  documentOf(pipelineId: string, version: number): Promise<PipelineDocument | undefined>;
  /** The run changed (a step or its status): an event for the UI. */
  onRunChanged(run: RunRecord, document: PipelineDocument): void;
  readonly logger: Pick<Console, 'warn' | 'error'>;
}

const WITH_JOB: readonly StepState[] = ['running', 'completed', 'failed', 'cancelled'];
/** A claimed step whose job row is missing this soon is a crash between claim and insert: the job is inserted again. */
const MISSING_JOB_GRACE_MS = 24 * 3_600_000;
const REOPENABLE: readonly StepState[] = ['waiting', 'skipped'];

export class RunAdvancer {
  constructor(private readonly deps: AdvancerDeps) {}

  /** Advances the run; returns it as it is afterwards (undefined when unknown or its version is gone). */
  async advance(runId: string): Promise<RunRecord | undefined> {
    const { pipelines } = this.deps;
    let run = await pipelines.getRun(runId);
    if (!run) return undefined;
    const document = await this.deps.documentOf(run.pipelineId, run.pipelineVersion);
    if (!document) {
      this.deps.logger.warn(`Pipeline run ${runId}: version ${run.pipelineVersion} of pipeline ${run.pipelineId} is unknown; the run cannot go on.`);
      return run;
    }
    let changed = await this.syncJobs(run, document);
    // each pass settles at least one step, so this ends within a pass per step
    for (let pass = 0; pass <= document.steps.length; pass++) {
      if (changed) run = (await pipelines.getRun(runId))!;
      const moved = await this.applyPlan(run, document);
      if (!moved) break;
      changed = true;
    }
    if (changed) run = (await pipelines.getRun(runId))!;
    const status = runStatusOf(run.steps);
    if (await pipelines.setRunStatus(runId, status, this.deps.clock.now())) {
      run = (await pipelines.getRun(runId))!;
      changed = true;
    }
    if (changed) this.deps.onRunChanged(run, document);
    return run;
  }

  /** Step 1: steps with a job take its state. */
  private async syncJobs(run: RunRecord, document: PipelineDocument): Promise<boolean> {
    let changed = false;
    const now = this.deps.clock.now();
    for (const record of run.steps) {
      if (!record.jobId || !WITH_JOB.includes(record.state)) continue;
      const job = await this.deps.jobs.getJob(record.jobId);
      const step = document.steps.find((s) => s.id === record.stepId);
      if (!job) {
        if (record.state !== 'running' || !step || !record.params) continue;
        if (now - (record.startedAt ?? now) < MISSING_JOB_GRACE_MS) await this.insertStepJob(run, step, record.jobId, record.params, document);
        else {
          // not a crash between claim and insert (that is recovered at the next start): the job was removed
          const reason = `its job ${record.jobId} no longer exists (removed by retention?)`;
          changed = (await this.deps.pipelines.updateStep(run.id, record.stepId, ['running'], { state: 'failed', reason, endedAt: now }, now)) || changed;
        }
        continue;
      }
      const state = stepStateOfJob(job.status);
      const ended = state !== 'running';
      if (state === record.state && (!ended || record.outputVideoId !== null)) continue;
      const outputVideoId = ended ? await this.outputOf(run, record, job, document) : null;
      const patch = { state, reason: state === 'failed' ? job.lastError : null, outputVideoId, endedAt: ended ? (job.completedAt ?? now) : null };
      if (await this.deps.pipelines.updateStep(run.id, record.stepId, WITH_JOB, patch, now)) {
        changed = true;
        if (state === 'completed' && outputVideoId !== null) await this.recordOutput(run, job, outputVideoId);
      }
    }
    return changed;
  }

  /** Step 2, one pass: returns whether any step moved. */
  private async applyPlan(run: RunRecord, document: PipelineDocument): Promise<boolean> {
    const states = new Map<string, PlanState>(run.steps.map((s) => [s.stepId, s]));
    const records = new Map(run.steps.map((s) => [s.stepId, s]));
    const now = this.deps.clock.now();
    let moved = false;
    for (const decision of planRun(document.steps, states)) {
      const step = document.steps.find((s) => s.id === decision.stepId)!;
      const through = this.passThrough(run, step, records);
      if (decision.kind === 'skip') {
        moved = (await this.deps.pipelines.updateStep(run.id, step.id, REOPENABLE, { state: 'skipped', skipKind: 'branch', reason: decision.reason, outputVideoId: through, endedAt: now }, now)) || moved;
      } else if (decision.kind === 'wait') {
        moved = (await this.deps.pipelines.updateStep(run.id, step.id, ['skipped'], { state: 'waiting', skipKind: null, reason: null, outputVideoId: null, endedAt: null }, now)) || moved;
      } else {
        moved = (await this.startStep(run, step, records, document, through)) || moved;
      }
    }
    return moved;
  }

  /** A ready step: its `if`, then its params, then the claim and the job. */
  private async startStep(run: RunRecord, step: PipelineStep, records: ReadonlyMap<string, StepRecord>, document: PipelineDocument, through: string | null): Promise<boolean> {
    const { pipelines } = this.deps;
    const now = this.deps.clock.now();
    const video = await this.deps.videos.getVideo(run.videoId);
    if (step.if) {
      const subject = video ?? (await this.deps.videos.getVideo(through ?? run.videoId));
      const tags = subject && needsTags(step.if) && this.deps.analysis ? tagMap((await this.deps.analysis.tagsOfVideos([subject.id])).get(subject.id)) : null;
      const failed = subject ? compileConditions(step.if)({ video: subject, tags }, now) : 'the video is no longer in the library';
      if (failed !== null) {
        return pipelines.updateStep(run.id, step.id, REOPENABLE, { state: 'skipped', skipKind: 'condition', reason: `if: ${failed}`, outputVideoId: through, endedAt: now }, now);
      }
    }
    const parent = step.after ? records.get(step.after.step) : undefined;
    const params = substitutePlaceholders(step.params, placeholderValues(run, document, video, parent, records));
    const jobId = newJobId();
    let job: NewJob;
    try {
      job = this.newJob(run, step, jobId, params, document);
    } catch (error) {
      const reason = isAppError(error) ? error.message : String(error);
      return pipelines.updateStep(run.id, step.id, REOPENABLE, { state: 'failed', skipKind: null, reason: `no job created: ${reason}`, outputVideoId: through, endedAt: now }, now);
    }
    if (!(await pipelines.claimStep(run.id, step.id, jobId, job.params, now))) return false;
    await this.deps.insertJobs([job]);
    return true;
  }

  private newJob(run: RunRecord, step: PipelineStep, jobId: string, params: Record<string, unknown>, document: PipelineDocument): NewJob {
    // a pipeline stored before the step schema refused them: parts come from their parent's plan only (#20)
    if (isSegmentChild(step.type)) throw new AppError('VALIDATION_FAILED', `${step.type} jobs are the parts of a segmented encode; a pipeline cannot create them`, { type: step.type });
    const built = buildNewJob(
      { type: step.type, params, priority: step.priority ?? 5, ...(step.maxRetries !== undefined ? { maxRetries: step.maxRetries } : {}) },
      this.deps.catalog,
      () => null, // the type's default VRAM need: within every node's budget by construction
      this.deps.clock.now(),
      `pipeline:${document.name}`,
    );
    const parentJobId = step.after ? (run.steps.find((s) => s.stepId === step.after!.step)?.jobId ?? null) : null;
    return { ...built, id: jobId, pipelineRunId: run.id, parentJobId };
  }

  /** A crash fell between the claim and the insert: the same job again (same id, same params). */
  private async insertStepJob(run: RunRecord, step: PipelineStep, jobId: string, params: Record<string, unknown>, document: PipelineDocument): Promise<void> {
    try {
      await this.deps.insertJobs([this.newJob(run, step, jobId, params, document)]);
    } catch (error) {
      // another node (or an advance racing this one) inserted it first: the id is taken, which is the point
      if (!(await this.deps.jobs.getJob(jobId))) throw error;
    }
  }

  /** What {{previous.outputVideoId}} gives after this step: its output video, else the video it worked on. */
  private async outputOf(run: RunRecord, record: StepRecord, job: JobRecord, document: PipelineDocument): Promise<string> {
    const produced = job.status === 'completed' ? await this.deps.pipelines.outputVideoOf(job.id) : null;
    if (produced) return produced;
    if (typeof job.params.videoId === 'string') return job.params.videoId;
    const step = document.steps.find((s) => s.id === record.stepId);
    return step ? (this.passThrough(run, step, new Map(run.steps.map((s) => [s.stepId, s]))) ?? run.videoId) : run.videoId;
  }

  /** A step that makes nothing passes on the video it would have worked on: its parent's output, else the run's video. */
  private passThrough(run: RunRecord, step: PipelineStep, records: ReadonlyMap<string, StepRecord>): string | null {
    const parent = step.after ? records.get(step.after.step) : undefined;
    return parent?.outputVideoId ?? run.videoId;
  }

  /** An output the pipeline made is content it processed: the loop breaker will not run it again on it. */
  private async recordOutput(run: RunRecord, job: JobRecord, videoId: string): Promise<void> {
    if (videoId === run.videoId || videoId === job.params.videoId) return; // not a new file
    const video = await this.deps.videos.getVideo(videoId);
    if (!video || video.sourceJobId !== job.id) return;
    try {
      const fingerprint = await fingerprintFile(join(this.deps.libraryPath, video.path));
      await this.deps.pipelines.recordOutputContent(run.pipelineId, run.stepsVersion, fingerprint, run.id, this.deps.clock.now());
    } catch (error) {
      this.deps.logger.warn(`Pipeline run ${run.id}: could not fingerprint its output ${video.path} (${error instanceof Error ? error.message : String(error)}); its own-output check still holds.`);
    }
  }
}

function placeholderValues(run: RunRecord, document: PipelineDocument, video: VideoRecord | undefined, parent: StepRecord | undefined, records: ReadonlyMap<string, StepRecord>): Record<string, string> {
  const values: Record<string, string> = { 'video.id': run.videoId, 'run.id': run.id, 'pipeline.id': run.pipelineId, 'pipeline.name': document.name };
  if (video) {
    const dot = video.filename.lastIndexOf('.');
    Object.assign(values, {
      'video.path': video.path,
      'video.filename': video.filename,
      'video.stem': dot > 0 ? video.filename.slice(0, dot) : video.filename,
      'video.folder': folderOf(video.path),
      'video.directoryType': video.directoryType,
    });
  }
  if (parent) {
    if (parent.jobId) values['previous.jobId'] = parent.jobId;
    values['previous.outputVideoId'] = parent.outputVideoId ?? run.videoId;
  }
  for (const [id, record] of records) {
    if (record.jobId) values[`steps.${id}.jobId`] = record.jobId;
    if (record.outputVideoId) values[`steps.${id}.outputVideoId`] = record.outputVideoId;
  }
  return values;
}
