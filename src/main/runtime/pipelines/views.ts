/** Turns pipeline records into the API's shapes (ISO timestamps, run counts, a run's steps with their jobs). */
import type { Pipeline, PipelineRun } from '../../../shared/contracts/pipeline';
import type { PipelineDocument } from '../../../shared/domain/pipeline';
import type { JobStore, JobRecord } from '../../core/ports';
import type { PipelineRecord, RunCounts, RunRecord } from '../../core/pipeline-ports';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const NO_RUNS: RunCounts = { running: 0, completed: 0, failed: 0, cancelled: 0, lastRunAt: null, lastRunStatus: null };

export function toPipelineView(p: PipelineRecord, counts: RunCounts = NO_RUNS): Pipeline {
  const { name, description, trigger, conditions, steps, repeatAfterDays } = p.document;
  return {
    id: p.id,
    name,
    description,
    enabled: p.enabled,
    version: p.version,
    stepsVersion: p.stepsVersion,
    trigger,
    conditions,
    steps,
    repeatAfterDays,
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
    createdBy: p.createdBy,
    updatedBy: p.updatedBy,
    runs: { running: counts.running, completed: counts.completed, failed: counts.failed, cancelled: counts.cancelled },
    lastRunAt: iso(counts.lastRunAt),
    lastRunStatus: counts.lastRunStatus,
  };
}

export interface RunViewContext {
  /** The document of the version the run started with (its steps' types and `after`). */
  readonly document: PipelineDocument | undefined;
  /** The pipeline's name now; null once deleted. */
  readonly pipelineName: string | null;
  readonly videoPath: string | null;
  readonly jobs: ReadonlyMap<string, JobRecord>;
}

export function toRunView(run: RunRecord, ctx: RunViewContext): PipelineRun {
  const defs = new Map((ctx.document?.steps ?? []).map((s) => [s.id, s]));
  const jobOfStep = new Map(run.steps.map((s) => [s.stepId, s.jobId]));
  return {
    id: run.id,
    pipelineId: run.pipelineId,
    pipelineName: ctx.pipelineName,
    pipelineVersion: run.pipelineVersion,
    videoId: run.videoId,
    videoPath: ctx.videoPath,
    trigger: run.trigger,
    triggerDetail: run.triggerDetail,
    forced: run.forced,
    status: run.status,
    createdAt: new Date(run.createdAt).toISOString(),
    updatedAt: new Date(run.updatedAt).toISOString(),
    endedAt: iso(run.endedAt),
    durationMs: run.endedAt === null ? null : run.endedAt - run.createdAt,
    steps: run.steps.map((s) => {
      const def = defs.get(s.stepId);
      const job = s.jobId ? ctx.jobs.get(s.jobId) : undefined;
      return {
        id: s.stepId,
        type: def?.type ?? job?.type ?? 'validate',
        after: def?.after ? { step: def.after.step, on: def.after.on } : null,
        state: s.state,
        reason: s.reason,
        jobId: s.jobId,
        jobStatus: job?.status ?? null,
        jobError: job?.lastError ?? null,
        parentJobId: def?.after ? (jobOfStep.get(def.after.step) ?? null) : null,
        outputVideoId: s.outputVideoId,
        startedAt: iso(s.startedAt),
        endedAt: iso(s.endedAt),
      };
    }),
  };
}

/** The jobs of a run's steps, read in one pass. */
export async function jobsOfRun(store: Pick<JobStore, 'getJob'>, run: RunRecord): Promise<Map<string, JobRecord>> {
  const jobs = new Map<string, JobRecord>();
  for (const step of run.steps) {
    if (!step.jobId) continue;
    const job = await store.getJob(step.jobId);
    if (job) jobs.set(job.id, job);
  }
  return jobs;
}
