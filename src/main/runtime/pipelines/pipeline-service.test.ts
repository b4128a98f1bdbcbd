/**
 * The pipeline service in a real runtime (real SQLite file, real dispatcher) with test processors
 * instead of media tools: the job_completed trigger (and a pipeline's own jobs never retriggering
 * it), a crash between claiming a step and inserting its job (the restart inserts the same job),
 * manual retry of a failed step reopening its run, and run events. The cron is tested on the manual
 * clock: one run per scheduled time, however many nodes tick.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediaEvent } from '../../../shared/contracts/events';
import { JOB_TYPES } from '../../../shared/domain/job-types';
import { JobError, createRegistry, type Processor } from '../../processors/processor';
import { openSqliteStores, type SqliteStores } from '../../storage/sqlite/open-sqlite-stores';
import { loadConfig } from '../config';
import { createRuntime, type Runtime } from '../create-runtime';
import { ManualClock } from '../testing/manual-clock';
import { scriptedCatalog, waitFor } from '../testing/test-runtime';
import { latestDue, PipelineScheduler } from './pipeline-scheduler';

/** Succeeds, unless its video's id is in `failing` (then fails at once, not retried). */
const failing = new Set<string>();
const processor: Processor = {
  async run(ctx) {
    if (failing.has(String(ctx.job.params.videoId))) throw new JobError('scripted failure', false);
  },
};

let dir: string;
let stores: SqliteStores;
let runtime: Runtime;

async function open(): Promise<void> {
  const config = loadConfig({ MEDIA_DATA_DIR: dir, MEDIA_LIBRARY_PATH: join(dir, 'library'), MEDIA_NODE_ID: 'svc-node' }, { reportFlushMs: 10 });
  stores = openSqliteStores(config.databaseFile);
  runtime = createRuntime({
    config,
    store: stores.jobs,
    videos: stores.videos,
    analysis: stores.analysis,
    pipelines: stores.pipelines,
    processors: createRegistry(JOB_TYPES.map((t) => [t, processor] as const)),
    catalog: scriptedCatalog,
    logger: { info() {}, warn() {}, error: console.error },
  });
  await runtime.start();
}

async function close(): Promise<void> {
  await runtime.stop();
  await stores.close();
}

/** A file in the library and its video row. */
async function addVideo(name: string): Promise<string> {
  const path = `videos/${name}`;
  writeFileSync(join(dir, 'library', path), randomBytes(4096));
  const info = statSync(join(dir, 'library', path));
  const [video] = await stores.videos.addVideos([{ id: randomUUID(), path, directoryType: 'videos', sizeBytes: info.size, mtimeMs: Math.round(info.mtimeMs), at: Date.now() }]);
  return video!.id;
}

const validateThenThumb = (trigger: unknown) => ({
  name: `p-${randomUUID().slice(0, 8)}`,
  enabled: true,
  trigger,
  steps: [
    { id: 'check', type: 'validate', params: { videoId: '{{video.id}}' } },
    { id: 'thumb', type: 'thumbnail_generate', params: { videoId: '{{previous.outputVideoId}}' }, after: { step: 'check' } },
  ],
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-pipeline-svc-'));
  mkdirSync(join(dir, 'library', 'videos'), { recursive: true });
  failing.clear();
  await open();
});

afterEach(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

const waitForRun = (runId: string, status = 'completed') =>
  waitFor(async () => {
    const run = await runtime.execute('getPipelineRun', { id: runId });
    return run.status === status ? run : undefined;
  }, 10_000, `run ${runId} to be ${status}`);

describe('pipeline service', () => {
  it('starts a run when a job of its type completes, never for its own steps, and sends run events', async () => {
    const videoId = await addVideo('a.mp4');
    const events: MediaEvent[] = [];
    runtime.subscribe((e) => events.push(e));
    // triggered by thumbnail jobs, and it makes one itself: its own must not retrigger it
    const pipeline = await runtime.execute('createPipeline', validateThenThumb({ type: 'job_completed', jobType: 'thumbnail_generate' }));
    const { id: jobId } = await runtime.execute('createJob', { type: 'thumbnail_generate', params: { videoId } });
    const [run] = await waitFor(async () => {
      const runs = (await runtime.execute('listPipelineRuns', { id: pipeline.id })).data;
      return runs.length > 0 && runs.every((r) => r.status === 'completed') ? runs : undefined;
    }, 10_000, 'the triggered run');
    expect(run).toMatchObject({ trigger: 'job_completed', triggerDetail: jobId, videoId, status: 'completed' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await runtime.execute('listPipelineRuns', { id: pipeline.id })).data).toHaveLength(1);
    const updates = events.filter((e): e is Extract<MediaEvent, { type: 'pipeline.run.updated' }> => e.type === 'pipeline.run.updated' && e.run.id === run!.id);
    expect(updates.at(-1)!.run.status).toBe('completed');
    expect(updates.at(-1)!.run.steps.map((s) => s.state)).toEqual(['completed', 'completed']);
    const created = events.filter((e) => e.type === 'job.created').map((e) => (e as Extract<MediaEvent, { type: 'job.created' }>).job);
    expect(created.filter((j) => j.pipelineRunId === run!.id).map((j) => j.type)).toEqual(['validate', 'thumbnail_generate']);
  });

  it('inserts the job of a step claimed just before a crash, with the same id, at the restart', async () => {
    const videoId = await addVideo('b.mp4');
    const pipeline = await runtime.execute('createPipeline', validateThenThumb({ type: 'manual' }));
    await close();
    // as if a node died between claiming the first step and inserting its job
    stores = openSqliteStores(join(dir, 'media-jobs.db'));
    const p = (await stores.pipelines.getPipeline(pipeline.id))!;
    const runId = randomUUID();
    const jobId = randomUUID();
    await stores.pipelines.startRun({
      run: { id: runId, pipelineId: p.id, pipelineVersion: 1, stepsVersion: 1, videoId, trigger: 'manual', triggerDetail: null, forced: false, createdAt: Date.now() },
      stepIds: ['check', 'thumb'],
      fingerprint: { sizeBytes: 1, mtimeMs: 1, hash: 'x' },
      force: false,
      repeatBefore: null,
    });
    expect(await stores.pipelines.claimStep(runId, 'check', jobId, { videoId }, Date.now())).toBe(true);
    await stores.close();
    await open();
    const done = await waitForRun(runId);
    expect(done.steps[0]).toMatchObject({ jobId, state: 'completed' });
    expect(await runtime.execute('getJob', { id: jobId })).toMatchObject({ pipelineRunId: runId, params: { videoId } });
  });

  it('reopens a failed run when its failed step is retried by hand, and finishes it', async () => {
    const videoId = await addVideo('c.mp4');
    failing.add(videoId);
    const pipeline = await runtime.execute('createPipeline', validateThenThumb({ type: 'manual' }));
    const { started } = await runtime.execute('runPipeline', { id: pipeline.id, videoIds: [videoId] });
    const failed = await waitForRun(started[0]!.runId, 'failed');
    expect(failed.steps.map((s) => [s.id, s.state])).toEqual([['check', 'failed'], ['thumb', 'skipped']]);
    expect(failed.steps[0]!.reason).toBe('scripted failure');
    failing.clear();
    await runtime.execute('retryJob', { id: failed.steps[0]!.jobId! });
    const done = await waitForRun(failed.id);
    expect(done.steps.map((s) => [s.id, s.state])).toEqual([['check', 'completed'], ['thumb', 'completed']]);
    expect(done.endedAt).not.toBeNull();
  });

  it('refuses steps and job_completed triggers of a segmented encode\'s part types (400 VALIDATION_FAILED)', async () => {
    for (const type of ['encode_chunk', 'encode_audio']) {
      const doc = validateThenThumb({ type: 'manual' });
      await expect(runtime.execute('createPipeline', { ...doc, steps: [{ id: 'part', type, params: {} }] } as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('parts of a segmented transcode or re-encode') });
      await expect(runtime.execute('createPipeline', validateThenThumb({ type: 'job_completed', jobType: type }) as never)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('parts of a segmented encode') });
    }
  });

  it('lets a GPU step pin its GPU (params.gpu reaches its job, #18) and refuses gpu on a CPU step in words (400)', async () => {
    const videoId = await addVideo('g.mp4');
    const pipeline = await runtime.execute('createPipeline', { name: 'pinned', enabled: true, trigger: { type: 'manual' }, steps: [{ id: 'tags', type: 'tag_generation', params: { videoId: '{{video.id}}', gpu: 1 } }] });
    const { started } = await runtime.execute('runPipeline', { id: pipeline.id, videoIds: [videoId] });
    const jobId = await waitFor(async () => (await runtime.execute('getPipelineRun', { id: started[0]!.runId })).steps[0]!.jobId ?? undefined, 10_000, 'the step job');
    expect((await runtime.execute('getJob', { id: jobId })).params).toEqual({ videoId, gpu: 1 });
    await expect(runtime.execute('createPipeline', { ...validateThenThumb({ type: 'manual' }), steps: [{ id: 'check', type: 'validate', params: { videoId: '{{video.id}}', gpu: 1 } }] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('step "check" (validate): params.gpu: only GPU job types can ask for a GPU; validate runs on the CPU'),
    });
  });

  it('answers the pipeline operations: 404 for unknown ids, 400 for an unknown template', async () => {
    const unknown = randomUUID();
    for (const op of ['getPipeline', 'deletePipeline', 'dryRunPipeline', 'runPipeline', 'listPipelineRuns'] as const) {
      await expect(runtime.execute(op, { id: unknown })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    await expect(runtime.execute('getPipelineRun', { id: unknown })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(runtime.execute('createPipeline', { template: 'nope' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(runtime.execute('createPipeline', { template: 'streaming-ready-library', steps: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('a pipeline needs at least one step') });
    const created = await runtime.execute('createPipeline', { template: 'nightly-library-health-check', name: 'Mine' });
    expect(created).toMatchObject({ name: 'Mine', enabled: false, trigger: { type: 'schedule', cron: '0 3 * * *' }, repeatAfterDays: 30 });
    await expect(runtime.execute('createPipeline', { template: 'nightly-library-health-check', name: 'mine' })).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    expect(await runtime.execute('deletePipeline', { id: created.id })).toEqual({ id: created.id, deleted: true });
    expect((await runtime.execute('listPipelines', {})).data).toEqual([]);
  });
});

describe('pipeline scheduler', () => {
  it('names the latest due time since the last tick, in local time', () => {
    const base = new Date(2026, 0, 1, 2, 59, 0).getTime();
    expect(latestDue('0 3 * * *', base, base + 60_000)).toBe(new Date(2026, 0, 1, 3, 0, 0).getTime());
    expect(latestDue('0 3 * * *', base + 60_000, base + 120_000)).toBeNull();
    expect(latestDue('*/5 * * * *', base, base + 61 * 60_000)).toBe(new Date(2026, 0, 1, 4, 0, 0).getTime());
  });

  it('fires each scheduled time once, however many nodes tick', async () => {
    const clock = new ManualClock(new Date(2026, 0, 1, 2, 58, 0).getTime());
    const pipeline = await runtime.execute('createPipeline', validateThenThumb({ type: 'schedule', cron: '0 3 * * *' }));
    const record = (await stores.pipelines.getPipeline(pipeline.id))!;
    const fired: string[] = [];
    const node = (name: string) =>
      new PipelineScheduler({
        clock,
        timers: clock,
        tickMs: 15_000,
        listScheduled: async () => [record],
        claimSlot: (id, at, now) => stores.pipelines.claimScheduleSlot(id, at, now),
        fire: async (_p, at) => void fired.push(`${name}@${new Date(at).getHours()}:${new Date(at).getMinutes()}`),
        isLeader: () => true,
        logger: console,
      });
    const [a, b] = [node('a'), node('b')];
    a.start();
    b.start();
    await clock.advance(60_000);
    expect(fired).toEqual([]);
    await clock.advance(2 * 60_000);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatch(/@3:0$/);
    await clock.advance(24 * 3_600_000);
    expect(fired).toHaveLength(2);
    await Promise.all([a.stop(), b.stop()]);
    expect(clock.pendingTimers).toBe(0);
  });
});
