/**
 * The pipeline operations of the operations table (/api/media/pipelines …). Documents are
 * validated by the shared schema (400 VALIDATION_FAILED naming the step and field), ids that name
 * nothing answer 404 NOT_FOUND, an update carrying a stale version 409 VERSION_CONFLICT.
 */
import { randomUUID } from 'node:crypto';
import type { Caller } from '../../../shared/contracts/access';
import { AppError } from '../../../shared/contracts/errors';
import type { OperationName, OperationOutput, OPERATIONS } from '../../../shared/contracts/operations';
import { pipelineDocumentSchema } from '../../../shared/domain/pipeline';
import { findPipelineTemplate, PIPELINE_TEMPLATES } from '../../../shared/domain/pipeline-templates';
import type { PipelineRecord, PipelineStore } from '../../core/pipeline-ports';
import type { JobStore } from '../../core/ports';
import type { Clock } from '../../core/clock';
import type { VideoStore } from '../../core/library-ports';
import type { z } from 'zod';
import { parseInput } from '../validation';
import { dryRunPipeline } from './dry-run';
import type { PipelineService } from './pipeline-service';
import type { ScreeningDeps } from './library-screening';
import { jobsOfRun, toPipelineView, toRunView } from './views';

export const PIPELINE_OPERATIONS = [
  'listPipelines',
  'createPipeline',
  'getPipeline',
  'updatePipeline',
  'deletePipeline',
  'dryRunPipeline',
  'runPipeline',
  'listPipelineRuns',
  'getPipelineRun',
  'listPipelineTemplates',
] as const satisfies readonly OperationName[];
export type PipelineOperationName = (typeof PIPELINE_OPERATIONS)[number];

type Input<N extends OperationName> = z.infer<(typeof OPERATIONS)[N]['input']>;
export type PipelineHandlers = { [N in PipelineOperationName]: (input: Input<N>, caller: Caller) => Promise<OperationOutput<N>> };

export interface PipelineOperationDeps extends ScreeningDeps {
  readonly pipelines: PipelineStore;
  readonly jobs: Pick<JobStore, 'getJob'>;
  readonly videos: VideoStore;
  readonly clock: Pick<Clock, 'now' | 'monotonicMs'>;
  /** The running service (triggers and runs); the operations that need it answer without one otherwise. */
  readonly service: PipelineService;
}

export function createPipelineHandlers(deps: PipelineOperationDeps): PipelineHandlers {
  const { pipelines, clock, service } = deps;

  async function requirePipeline(id: string): Promise<PipelineRecord> {
    const pipeline = await pipelines.getPipeline(id);
    if (!pipeline) throw new AppError('NOT_FOUND', `No pipeline with id ${id}.`, { pipelineId: id });
    return pipeline;
  }

  async function view(pipeline: PipelineRecord) {
    return toPipelineView(pipeline, (await pipelines.runCounts([pipeline.id])).get(pipeline.id));
  }

  return {
    async listPipelines() {
      const all = await pipelines.listPipelines();
      const counts = await pipelines.runCounts(all.map((p) => p.id));
      return { data: all.map((p) => toPipelineView(p, counts.get(p.id))) };
    },

    async createPipeline({ template, enabled, ...fields }, caller) {
      const base = template === undefined ? {} : findPipelineTemplate(template)?.document;
      if (!base) throw new AppError('VALIDATION_FAILED', `Unknown template "${template}" (known: ${PIPELINE_TEMPLATES.map((t) => t.id).join(', ')}).`, { issues: [{ path: 'template', message: 'unknown template' }] });
      const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      const document = parseInput(pipelineDocumentSchema, { ...base, ...given }, 'pipeline');
      const created = await pipelines.createPipeline({ id: randomUUID(), enabled, document, at: clock.now(), by: caller.name });
      service.pipelinesChanged();
      return toPipelineView(created);
    },

    async getPipeline({ id }) {
      return view(await requirePipeline(id));
    },

    async updatePipeline({ id, version, enabled, ...document }, caller) {
      const result = await pipelines.updatePipeline({ id, expectedVersion: version, enabled, document, at: clock.now(), by: caller.name });
      if (result.kind === 'not_found') throw new AppError('NOT_FOUND', `No pipeline with id ${id}.`, { pipelineId: id });
      if (result.kind === 'conflict') {
        throw new AppError('VERSION_CONFLICT', `Pipeline "${result.current.document.name}" is at version ${result.current.version}, not ${version}: someone changed it meanwhile. Read it again and edit that version.`, {
          pipelineId: id,
          currentVersion: result.current.version,
          yourVersion: version,
        });
      }
      service.pipelinesChanged();
      return view(result.pipeline);
    },

    async deletePipeline({ id }) {
      if (!(await pipelines.deletePipeline(id))) throw new AppError('NOT_FOUND', `No pipeline with id ${id}.`, { pipelineId: id });
      service.pipelinesChanged();
      return { id, deleted: true as const };
    },

    async dryRunPipeline({ id, videoIds, force }) {
      const pipeline = await requirePipeline(id);
      return dryRunPipeline(deps, pipeline, { ...(videoIds ? { videoIds } : {}), force, now: clock.now(), monotonicMs: () => clock.monotonicMs() });
    },

    async runPipeline({ id, videoIds, force }, caller) {
      const pipeline = await requirePipeline(id);
      const outcome = await service.startRuns(pipeline, { ...(videoIds ? { videoIds } : {}), force, trigger: 'manual', triggerDetail: caller.name });
      return { pipelineId: id, ...outcome };
    },

    async listPipelineRuns({ id, page, limit, status }) {
      const pipeline = await requirePipeline(id);
      const { rows, total } = await pipelines.listRuns(id, status ? { status } : {}, (page - 1) * limit, limit);
      const data = await Promise.all(rows.map(async (run) => runView(run, pipeline.document.name)));
      return { data, pagination: { page, limit, total, totalPages: Math.ceil(total / limit) } };
    },

    async getPipelineRun({ id }) {
      const run = await pipelines.getRun(id);
      if (!run) throw new AppError('NOT_FOUND', `No pipeline run with id ${id}.`, { runId: id });
      return runView(run, (await pipelines.getPipeline(run.pipelineId))?.document.name ?? null);
    },

    listPipelineTemplates: listTemplates,
  };

  async function runView(run: Parameters<typeof toRunView>[0], pipelineName: string | null) {
    const [document, video, jobs] = await Promise.all([service.documentOf(run.pipelineId, run.pipelineVersion), deps.videos.getVideo(run.videoId), jobsOfRun(deps.jobs, run)]);
    return toRunView(run, { document, pipelineName, videoPath: video?.path ?? null, jobs });
  }
}

async function listTemplates() {
  return {
    data: PIPELINE_TEMPLATES.map((t) => {
      const document = pipelineDocumentSchema.parse(t.document);
      return { id: t.id, name: document.name, description: document.description, trigger: document.trigger, conditions: document.conditions, steps: document.steps, repeatAfterDays: document.repeatAfterDays };
    }),
  };
}

/** Without a pipeline store (a runtime built for tests of other things): every pipeline operation but the templates says so. */
export function unavailablePipelineHandlers(): PipelineHandlers {
  const refuse = async (): Promise<never> => {
    throw new AppError('NOT_FOUND', 'Pipelines are not available in this runtime (it was built without a pipeline store).');
  };
  const handlers = Object.fromEntries(PIPELINE_OPERATIONS.map((name) => [name, refuse]));
  return { ...handlers, listPipelineTemplates: listTemplates } as unknown as PipelineHandlers;
}
