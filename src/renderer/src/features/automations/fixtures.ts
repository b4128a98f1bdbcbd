/**
 * Test data of the Automations page (tests only): a stored pipeline, a run with its steps, the
 * templates and the watch state as the server answers them, and fake-client handlers serving them.
 */
import type { Pipeline, PipelineRun } from '../../../../shared/contracts/pipeline';
import type { WatchState } from '../../../../shared/contracts/watch';
import type { Handlers } from '../../testing/fake-client';

export const PIPELINE_ID = '11111111-1111-4111-8111-111111111111';
export const OTHER_PIPELINE_ID = '22222222-2222-4222-8222-222222222222';
export const RUN_ID = '33333333-3333-4333-8333-333333333333';
export const VIDEO_ID = '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d';
export const OTHER_VIDEO_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const JOB_ID = '44444444-4444-4444-8444-444444444444';

export function makePipeline(overrides: Partial<Pipeline> = {}): Pipeline {
  return {
    id: PIPELINE_ID,
    name: 'Streaming-ready library',
    description: 'Every new file: validate it, re-encode it.',
    enabled: false,
    version: 1,
    stepsVersion: 1,
    trigger: { type: 'file_added' },
    conditions: { all: [{ field: 'valid', op: 'eq', value: true }] },
    steps: [
      { id: 'validate', type: 'validate', params: { videoId: '{{video.id}}' } },
      { id: 'reencode', type: 'reencode_streaming', params: { videoId: '{{video.id}}' }, after: { step: 'validate', on: 'success' } },
    ],
    repeatAfterDays: null,
    createdAt: '2026-02-13T10:00:00.000Z',
    updatedAt: '2026-02-13T10:00:00.000Z',
    createdBy: 'tester',
    updatedBy: 'tester',
    runs: { running: 1, completed: 3, failed: 1, cancelled: 0 },
    lastRunAt: '2026-02-13T11:00:00.000Z',
    lastRunStatus: 'failed',
    ...overrides,
  };
}

export function makeRun(overrides: Partial<PipelineRun> = {}): PipelineRun {
  return {
    id: RUN_ID,
    pipelineId: PIPELINE_ID,
    pipelineName: 'Streaming-ready library',
    pipelineVersion: 1,
    videoId: VIDEO_ID,
    videoPath: 'inbox/holiday.mkv',
    trigger: 'manual',
    triggerDetail: 'tester',
    forced: false,
    status: 'running',
    createdAt: '2026-02-13T11:00:00.000Z',
    updatedAt: '2026-02-13T11:00:00.000Z',
    endedAt: null,
    durationMs: null,
    steps: [
      { id: 'validate', type: 'validate', after: null, state: 'running', reason: null, jobId: JOB_ID, jobStatus: 'queued', jobError: null, parentJobId: null, outputVideoId: null, startedAt: '2026-02-13T11:00:00.000Z', endedAt: null },
      { id: 'reencode', type: 'reencode_streaming', after: { step: 'validate', on: 'success' }, state: 'waiting', reason: null, jobId: null, jobStatus: null, jobError: null, parentJobId: null, outputVideoId: null, startedAt: null, endedAt: null },
    ],
    ...overrides,
  };
}

export const TEMPLATES = [
  { id: 'streaming-ready-library', name: 'Streaming-ready library', description: 'Every new file: validate, re-encode, thumbnail, tags.', trigger: { type: 'file_added' as const }, conditions: { all: [] }, steps: makePipeline().steps, repeatAfterDays: null },
  { id: 'nightly-library-health-check', name: 'Nightly library health check', description: 'Every night at 03:00: validate.', trigger: { type: 'schedule' as const, cron: '0 3 * * *' }, conditions: { all: [] }, steps: [makePipeline().steps[0]!], repeatAfterDays: 30 },
];

export const WATCH: WatchState = {
  settings: { enabled: true, folders: ['inbox', 'videos'], mode: 'auto', pollIntervalSeconds: 5, stableSeconds: 30 },
  source: 'stored',
  status: {
    active: true,
    leaderNodeId: 'ws-1',
    folders: [
      { folder: 'inbox', mode: 'native', fsType: 'ext4', error: null },
      { folder: 'videos', mode: 'polling', fsType: 'nfs4', error: null },
    ],
    pendingFiles: 2,
    lastError: null,
  },
};

/** A server holding `pipelines` (mutated by create/update/delete) with one run and a dry run. */
export function automationsHandlers(pipelines: Pipeline[] = [makePipeline()], runs: PipelineRun[] = [makeRun()]): Handlers {
  return {
    listPipelines: () => ({ data: pipelines.map((p) => ({ ...p })) }),
    getPipeline: ({ id }) => pipelines.find((p) => p.id === id)!,
    listPipelineTemplates: () => ({ data: TEMPLATES }),
    createPipeline: (input) => {
      const template = TEMPLATES.find((t) => t.id === input.template) ?? TEMPLATES[0]!;
      const created = makePipeline({ id: OTHER_PIPELINE_ID, name: input.name ?? template.name, enabled: input.enabled ?? false, runs: { running: 0, completed: 0, failed: 0, cancelled: 0 }, lastRunAt: null, lastRunStatus: null });
      pipelines.push(created);
      return created;
    },
    updatePipeline: (input) => {
      const at = pipelines.findIndex((p) => p.id === input.id);
      const { id: _id, version, ...rest } = input;
      const saved = { ...pipelines[at]!, ...(rest as Partial<Pipeline>), version: version + 1 };
      pipelines[at] = saved;
      return saved;
    },
    deletePipeline: ({ id }) => {
      pipelines.splice(
        pipelines.findIndex((p) => p.id === id),
        1,
      );
      return { id, deleted: true as const };
    },
    dryRunPipeline: ({ id }) => ({
      pipelineId: id,
      version: 1,
      stepsVersion: 1,
      evaluated: 2,
      tookMs: 3.2,
      wouldRun: [{ videoId: VIDEO_ID, path: 'inbox/holiday.mkv', steps: ['validate'] }],
      skipped: [{ videoId: OTHER_VIDEO_ID, path: 'inbox/clip.mp4', kind: 'condition', reason: 'videoCodec is h264 (wanted: not h264)' }],
    }),
    runPipeline: ({ id, videoIds }) => ({ pipelineId: id, started: (videoIds ?? [VIDEO_ID]).map((videoId) => ({ runId: RUN_ID, videoId, path: 'inbox/holiday.mkv' })), skipped: [] }),
    listPipelineRuns: ({ page }) => ({ data: runs, pagination: { page: Number(page ?? 1), limit: 10, total: runs.length, totalPages: 1 } }),
    getPipelineRun: () => runs[0]!,
    getWatchSettings: () => WATCH,
    setWatchSettings: (input) => ({ ...WATCH, settings: { ...WATCH.settings, ...(input as Partial<WatchState['settings']>) } }),
  };
}
