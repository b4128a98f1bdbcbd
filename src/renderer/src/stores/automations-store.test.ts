import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { automationsHandlers, JOB_ID, makePipeline, makeRun, OTHER_PIPELINE_ID, PIPELINE_ID, RUN_ID, VIDEO_ID } from '../features/automations/fixtures';
import { createFakeClient, makeJob, manualTimers } from '../testing/fake-client';
import { automationsStoreFor, createAutomationsStore, documentOf } from './automations-store';

const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

function setup(pipelines = [makePipeline()]) {
  const client = createFakeClient(automationsHandlers(pipelines));
  const timers = manualTimers();
  const store = createAutomationsStore(client, { timers, refreshDelayMs: 500 });
  return { client, timers, store };
}

describe('automations store', () => {
  it('lists the pipelines by name and the templates', async () => {
    const { store } = setup([makePipeline({ id: OTHER_PIPELINE_ID, name: 'Zebra' }), makePipeline({ name: 'Alpha' })]);
    await store.getState().load();
    expect(store.getState().pipelines.map((p) => p.name)).toEqual(['Alpha', 'Zebra']);
    expect(store.getState().loaded).toBe(true);
    await store.getState().loadTemplates();
    expect(store.getState().templates?.map((t) => t.id)).toEqual(['streaming-ready-library', 'nightly-library-health-check']);
  });

  it('switches a pipeline on by sending its whole document with the version it read', async () => {
    const { client, store } = setup();
    await store.getState().load();
    const pipeline = store.getState().pipelines[0]!;
    const outcome = await store.getState().setEnabled(pipeline, true);
    expect(outcome.kind).toBe('saved');
    expect(client.callsOf('updatePipeline')).toEqual([{ id: PIPELINE_ID, version: 1, enabled: true, ...documentOf(pipeline) }]);
    expect(store.getState().pipelines[0]).toMatchObject({ enabled: true, version: 2 });
  });

  it('answers a save with the server’s field errors by path, or with the conflict and the current version', async () => {
    const { client, store } = setup();
    await store.getState().load();
    client.handlers.updatePipeline = () => {
      throw new ApiError('VALIDATION_FAILED', 'Invalid pipeline: steps.1.after.step: …', {
        issues: [
          { path: 'steps.1.after.step', message: 'step "reencode" runs after "nope", which is not a step of this pipeline' },
          { path: 'name', message: 'a pipeline needs a name' },
        ],
      });
    };
    const pipeline = store.getState().pipelines[0]!;
    const invalid = await store.getState().save(PIPELINE_ID, 1, false, documentOf(pipeline));
    expect(invalid).toMatchObject({ kind: 'invalid', fields: { 'steps.1.after.step': expect.stringContaining('not a step'), name: 'a pipeline needs a name' } });

    client.handlers.updatePipeline = () => {
      throw new ApiError('VERSION_CONFLICT', 'Pipeline "x" is at version 3, not 1', { pipelineId: PIPELINE_ID, currentVersion: 3, yourVersion: 1 });
    };
    expect(await store.getState().save(PIPELINE_ID, 1, false, documentOf(pipeline))).toMatchObject({ kind: 'conflict', currentVersion: 3 });
    // nothing in the list changed
    expect(store.getState().pipelines[0]!.version).toBe(1);
  });

  it('creates from a template, and says a taken name by its code', async () => {
    const { client, store } = setup([]);
    await store.getState().load();
    const created = await store.getState().createFromTemplate('streaming-ready-library', { name: 'Mine', enabled: true });
    expect(created).toMatchObject({ kind: 'saved', value: { id: OTHER_PIPELINE_ID, name: 'Mine', enabled: true } });
    expect(store.getState().pipelines.map((p) => p.id)).toEqual([OTHER_PIPELINE_ID]);
    client.handlers.createPipeline = () => {
      throw new ApiError('NAME_TAKEN', 'A pipeline named "Mine" exists already.');
    };
    expect(await store.getState().createFromTemplate('streaming-ready-library', { name: 'Mine' })).toMatchObject({ kind: 'failed', code: 'NAME_TAKEN', forbidden: false });
  });

  it('keeps a dry run per pipeline, and re-reads the runs after a run starts', async () => {
    const { client, store } = setup();
    const dry = store.getState().dryRun(PIPELINE_ID, true);
    expect(store.getState().dryRuns[PIPELINE_ID]).toEqual({ status: 'running' });
    await dry;
    expect(store.getState().dryRuns[PIPELINE_ID]).toMatchObject({ status: 'done', force: true, result: { evaluated: 2 } });
    expect(client.callsOf('dryRunPipeline')).toEqual([{ id: PIPELINE_ID, force: true }]);

    const outcome = await store.getState().run(PIPELINE_ID, { videoIds: [VIDEO_ID] });
    expect(outcome).toMatchObject({ kind: 'saved', value: { started: [{ videoId: VIDEO_ID }] } });
    expect(client.callsOf('runPipeline')).toEqual([{ id: PIPELINE_ID, force: false, videoIds: [VIDEO_ID] }]);
    await settle();
    expect(store.getState().history[PIPELINE_ID]?.runs.map((r) => r.id)).toEqual([RUN_ID]);
  });

  it('follows pipeline.run.updated live: the shown history changes in place and the list is re-read once per burst', async () => {
    const { client, timers, store } = setup();
    const stop = store.getState().start();
    await store.getState().loadRuns(PIPELINE_ID);
    const listsBefore = client.callsOf('listPipelines').length;

    const newer = makeRun({ id: '55555555-5555-4555-8555-555555555555', createdAt: '2026-02-13T12:00:00.000Z' });
    const finished = makeRun({ status: 'completed', steps: makeRun().steps.map((s) => ({ ...s, state: 'completed' as const })) });
    client.emit([{ type: 'pipeline.run.updated', run: newer }]);
    client.emit([{ type: 'pipeline.run.updated', run: finished }]);
    // another pipeline's history is not shown: nothing to update
    client.emit([{ type: 'pipeline.run.updated', run: makeRun({ id: '66666666-6666-4666-8666-666666666666', pipelineId: OTHER_PIPELINE_ID }) }]);

    const history = store.getState().history[PIPELINE_ID]!;
    expect(history.runs.map((r) => [r.id, r.status])).toEqual([
      [newer.id, 'running'],
      [RUN_ID, 'completed'],
    ]);
    expect(history.total).toBe(2);
    expect(store.getState().history[OTHER_PIPELINE_ID]).toBeUndefined();

    timers.advance(500);
    await settle();
    expect(client.callsOf('listPipelines').length).toBe(listsBefore + 1);
    stop();
  });

  it('moves a step’s job status with job.updated, and ignores progress that changes nothing', async () => {
    const { client, store } = setup();
    store.getState().start();
    await store.getState().loadRuns(PIPELINE_ID);
    const before = store.getState().history;
    client.emit([{ type: 'job.updated', job: makeJob({ id: JOB_ID, status: 'queued', pipelineRunId: RUN_ID }) }]);
    expect(store.getState().history).toBe(before);
    client.emit([{ type: 'job.updated', job: makeJob({ id: JOB_ID, status: 'running', pipelineRunId: RUN_ID }) }]);
    expect(store.getState().history[PIPELINE_ID]!.runs[0]!.steps[0]!.jobStatus).toBe('running');
  });

  it('reads again what it shows when started (events were missed meanwhile) and after the stream was reset', async () => {
    const { client, store } = setup();
    await store.getState().loadRuns(PIPELINE_ID);
    const stop = store.getState().start();
    await settle();
    expect(client.callsOf('listPipelines')).toHaveLength(1);
    expect(client.callsOf('listPipelineRuns')).toHaveLength(2);
    client.reset();
    await settle();
    expect(client.callsOf('listPipelines')).toHaveLength(2);
    expect(client.callsOf('listPipelineRuns')).toHaveLength(3);
    stop();
  });

  it('is one store per session client', () => {
    const client = createFakeClient();
    expect(automationsStoreFor(client)).toBe(automationsStoreFor(client));
    expect(automationsStoreFor(createFakeClient())).not.toBe(automationsStoreFor(client));
  });

  it('reads and saves the watch settings; a refused folder comes back as a field error', async () => {
    const { client, store } = setup();
    await store.getState().loadWatch();
    expect(store.getState().watch?.status.folders.map((f) => f.mode)).toEqual(['native', 'polling']);
    expect(await store.getState().saveWatch({ mode: 'polling' })).toMatchObject({ kind: 'saved', value: { settings: { mode: 'polling' } } });
    client.handlers.setWatchSettings = () => {
      throw new ApiError('VALIDATION_FAILED', 'Invalid watch settings', { issues: [{ path: 'folders.0', message: 'must not contain ".."' }], reason: 'outside_library' });
    };
    expect(await store.getState().saveWatch({ folders: ['../etc'] })).toMatchObject({ kind: 'invalid', fields: { 'folders.0': 'must not contain ".."' } });
  });
});
