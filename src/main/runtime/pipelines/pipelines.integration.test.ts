/**
 * Pipelines end to end: the real embedded runtime (SQLite, the real processors, real ffmpeg and the
 * tagging model) with the "Streaming-ready library" template over three clips made at test time:
 * one already H.264/AAC MP4 with faststart, one MPEG-4 part 2 in MKV, one corrupt file. Then the
 * loop breaker (running again, and over its own outputs, creates no job), the dry run agreeing with
 * the real run, a failure branch that makes a job, and a restart in the middle of a run.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pipeline, PipelineRun } from '../../../shared/contracts/pipeline';
import { TEST_FFMPEG, probeJson } from '../../processors/media/testing/clips';
import { createProcessors } from '../../processors/create-processors';
import { loadConfig, type RuntimeConfig } from '../config';
import { openEmbeddedRuntime, type EmbeddedRuntime } from '../open-embedded-runtime';
import { waitFor } from '../testing/test-runtime';

const run = promisify(execFile);
const ffmpeg = (args: string[]) => run(TEST_FFMPEG, ['-hide_banner', '-v', 'error', '-nostdin', '-y', ...args]);
const lavfi = (seconds: number, size = '320x240') => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', String(seconds)];

let dir: string;
let config: RuntimeConfig;
let embedded: EmbeddedRuntime;
const rt = () => embedded.runtime;

async function open(): Promise<void> {
  embedded = await openEmbeddedRuntime(config, { processors: createProcessors });
}

async function allJobs() {
  return (await rt().execute('listJobs', { limit: 200 })).data;
}

async function runsOf(pipelineId: string): Promise<PipelineRun[]> {
  return (await rt().execute('listPipelineRuns', { id: pipelineId, limit: 200 })).data;
}

async function waitForRunsToEnd(pipelineId: string, count: number, timeoutMs: number): Promise<PipelineRun[]> {
  return waitFor(
    async () => {
      const runs = await runsOf(pipelineId);
      return runs.length >= count && runs.every((r) => r.status !== 'running') ? runs : undefined;
    },
    timeoutMs,
    `${count} pipeline run(s) to end`,
  );
}

async function videoByName(name: string) {
  const v = (await rt().execute('listVideos', { search: name, limit: 5 })).data.find((x) => x.filename === name);
  if (!v) throw new Error(`no video ${name}`);
  return v;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-pipelines-'));
  config = loadConfig(
    { MEDIA_DATA_DIR: join(dir, 'data'), MEDIA_LIBRARY_PATH: join(dir, 'library'), MEDIA_NODE_ID: 'pipeline-node', MEDIA_WATCH: '0' },
    { reportFlushMs: 20, limits: { cpu: 2, gpu_encode: 1, gpu_ai: 1 } },
  );
  await open();
  const inbox = (name: string) => join(embedded.library.root, 'inbox', name);
  await Promise.all([
    ffmpeg([...lavfi(2), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', inbox('ready.mp4')]),
    ffmpeg([...lavfi(2), '-c:v', 'mpeg4', '-q:v', '5', '-c:a', 'aac', '-b:a', '64k', inbox('old.mkv')]),
  ]);
  writeFileSync(inbox('broken.mp4'), randomBytes(64 * 1024));
  // registered (and probed) the way a scan registers files
  const { id } = await rt().execute('createJob', { type: 'scan', params: { directoryType: 'inbox' } });
  await waitFor(async () => (await rt().execute('getJob', { id })).status === 'completed', 30_000, 'the scan');
}, 120_000);

afterAll(async () => {
  await embedded?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the "Streaming-ready library" template over three clips', () => {
  let pipeline: Pipeline;

  it('is created from its template, and its dry run says what would run and why the rest would not', async () => {
    const templates = await rt().execute('listPipelineTemplates', {});
    expect(templates.data.map((t) => t.id)).toEqual(['streaming-ready-library', 'highlights-for-long-videos', 'nightly-library-health-check']);
    pipeline = await rt().execute('createPipeline', { template: 'streaming-ready-library', enabled: true });
    expect(pipeline).toMatchObject({ name: 'Streaming-ready library', version: 1, enabled: true, trigger: { type: 'file_added' } });
    const dry = await rt().execute('dryRunPipeline', { id: pipeline.id });
    expect(dry.evaluated).toBe(3);
    expect(dry.wouldRun.map((w) => w.path).sort()).toEqual(['inbox/broken.mp4', 'inbox/old.mkv', 'inbox/ready.mp4']);
    // on the video as it is now: the ready one skips the re-encode
    expect(dry.wouldRun.find((w) => w.path === 'inbox/ready.mp4')!.steps).toEqual(['validate', 'thumbnail', 'tags']);
    expect(dry.wouldRun.find((w) => w.path === 'inbox/old.mkv')!.steps).toEqual(['validate', 'reencode', 'thumbnail', 'tags']);
  });

  it('chains jobs per file and ends with the right outputs, the corrupt file failed with its reason', async () => {
    const before = (await allJobs()).length;
    const started = await rt().execute('runPipeline', { id: pipeline.id });
    expect(started.started.map((s) => s.path).sort()).toEqual(['inbox/broken.mp4', 'inbox/old.mkv', 'inbox/ready.mp4']);
    const runs = await waitForRunsToEnd(pipeline.id, 3, 240_000);
    const byPath = new Map(runs.map((r) => [r.videoPath, r]));
    const steps = (r: PipelineRun) => Object.fromEntries(r.steps.map((s) => [s.id, s.state]));

    const ready = byPath.get('inbox/ready.mp4')!;
    expect(ready.status, JSON.stringify(ready, null, 1)).toBe('completed');
    expect(steps(ready)).toEqual({ validate: 'completed', reencode: 'skipped', thumbnail: 'completed', tags: 'completed', original_thumbnail: 'skipped', original_tags: 'skipped' });
    expect(ready.steps.find((s) => s.id === 'reencode')!.reason).toMatch(/^if: none of: video codec is not h264: is h264/);
    const readyVideo = await videoByName('ready.mp4');
    expect(readyVideo.thumbnailPath).toMatch(/^thumbnails\//);
    expect(readyVideo.tags).toBeDefined();

    const old = byPath.get('inbox/old.mkv')!;
    expect(old.status, JSON.stringify(old, null, 1)).toBe('completed');
    expect(steps(old)).toEqual({ validate: 'completed', reencode: 'completed', thumbnail: 'completed', tags: 'completed', original_thumbnail: 'skipped', original_tags: 'skipped' });
    const reencode = old.steps.find((s) => s.id === 'reencode')!;
    const output = await rt().execute('getVideo', { id: reencode.outputVideoId! });
    expect(output).toMatchObject({ directoryType: 'playback', videoCodec: 'h264', audioCodec: 'aac', sourceJobId: reencode.jobId });
    expect((await probeJson(join(embedded.library.root, output.path))).streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(output.thumbnailPath).toMatch(/^thumbnails\//); // the thumbnail is of the streaming-ready file
    // every step's job carries its run and the job of the step it came after
    const thumbJob = await rt().execute('getJob', { id: old.steps.find((s) => s.id === 'thumbnail')!.jobId! });
    expect(thumbJob).toMatchObject({ pipelineRunId: old.id, parentJobId: reencode.jobId, params: { videoId: output.id } });
    const validateJob = await rt().execute('getJob', { id: old.steps[0]!.jobId! });
    expect(validateJob).toMatchObject({ pipelineRunId: old.id, parentJobId: null, createdBy: 'pipeline:Streaming-ready library' });

    const broken = byPath.get('inbox/broken.mp4')!;
    expect(broken.status).toBe('failed');
    expect(broken.steps[0]).toMatchObject({ id: 'validate', state: 'failed', jobStatus: 'failed' });
    expect(broken.steps[0]!.reason).toMatch(/Invalid video inbox\/broken\.mp4/);
    expect(broken.steps.slice(1).every((s) => s.state === 'skipped' && s.jobId === null)).toBe(true);
    expect(broken.steps[1]!.reason).toBe('runs on success of "validate", which failed');

    const jobs = await allJobs();
    // validate ×3, reencode ×1, thumbnail ×2, tags ×2
    expect(jobs.length - before).toBe(8);
    expect(ready.durationMs).toBeGreaterThan(0);
  }, 300_000);

  it('never runs twice on the same content: again, and over its own outputs, it creates no job; the dry run agrees', async () => {
    const before = (await allJobs()).length;
    const again = await rt().execute('runPipeline', { id: pipeline.id });
    expect(again.started).toEqual([]);
    const kinds = Object.fromEntries(again.skipped.map((s) => [s.path, s.kind]));
    expect(kinds).toEqual({ 'inbox/ready.mp4': 'processed', 'inbox/old.mkv': 'processed', 'inbox/broken.mp4': 'processed', 'playback/old.mp4': 'own_output' });
    const output = again.skipped.find((s) => s.path === 'playback/old.mp4')!;
    expect(await rt().execute('runPipeline', { id: pipeline.id, videoIds: [output.videoId] })).toMatchObject({ started: [], skipped: [{ kind: 'own_output' }] });
    const dry = await rt().execute('dryRunPipeline', { id: pipeline.id });
    expect(dry.wouldRun).toEqual([]);
    expect(Object.fromEntries(dry.skipped.map((s) => [s.path, s.kind]))).toEqual(kinds);
    expect((await allJobs()).length).toBe(before);
    // forced, it runs again (on the ready clip only here)
    const ready = await videoByName('ready.mp4');
    const forcedDry = await rt().execute('dryRunPipeline', { id: pipeline.id, videoIds: [ready.id], force: true });
    expect(forcedDry.wouldRun.map((w) => w.videoId)).toEqual([ready.id]);
  });

  it('refuses bad edits with the step and field, and stale versions with 409', async () => {
    const current = await rt().execute('getPipeline', { id: pipeline.id });
    const { id, version, enabled, name, description, trigger, conditions, steps, repeatAfterDays } = current;
    const edit = { id, version, enabled, name, description, trigger, conditions, steps, repeatAfterDays };
    await expect(rt().execute('updatePipeline', { ...edit, steps: [...steps, { id: 'x', type: 'validate', params: { videoId: '{{previous.jobId}}' } }] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('step "x" (validate): {{previous.jobId}} needs "after"'),
    });
    const updated = await rt().execute('updatePipeline', { ...edit, enabled: false });
    expect(updated).toMatchObject({ version: version + 1, stepsVersion: current.stepsVersion, enabled: false, runs: { completed: 2, failed: 1 } });
    await expect(rt().execute('updatePipeline', edit)).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    await expect(rt().execute('getPipeline', { id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a failure branch', () => {
  it('runs its job when a step fails, with the failed job as its parent', async () => {
    const broken = await videoByName('broken.mp4');
    const pipeline = await rt().execute('createPipeline', {
      name: 'Rescan on failure',
      trigger: { type: 'manual' },
      steps: [
        { id: 'check', type: 'validate', params: { videoId: '{{video.id}}' } },
        { id: 'rescan', type: 'scan', params: { directoryType: '{{video.directoryType}}' }, after: { step: 'check', on: 'failure' } },
      ],
    });
    await rt().execute('runPipeline', { id: pipeline.id, videoIds: [broken.id] });
    const [done] = await waitForRunsToEnd(pipeline.id, 1, 60_000);
    expect(done!.status).toBe('failed');
    expect(done!.steps.map((s) => [s.id, s.state])).toEqual([['check', 'failed'], ['rescan', 'completed']]);
    const rescan = await rt().execute('getJob', { id: done!.steps[1]!.jobId! });
    expect(rescan).toMatchObject({ type: 'scan', params: { directoryType: 'inbox' }, parentJobId: done!.steps[0]!.jobId, pipelineRunId: done!.id });
  }, 90_000);
});

describe('a restart in the middle of a run', () => {
  it('goes on with the run where it was', async () => {
    await ffmpeg([...lavfi(8, '960x540'), '-c:v', 'mpeg4', '-q:v', '3', '-c:a', 'aac', join(embedded.library.root, 'videos', 'long.avi')]);
    const { id: scanId } = await rt().execute('createJob', { type: 'scan', params: { directoryType: 'videos' } });
    await waitFor(async () => (await rt().execute('getJob', { id: scanId })).status === 'completed', 30_000, 'the scan');
    const long = await videoByName('long.avi');
    const pipeline = await rt().execute('createPipeline', {
      name: 'Re-encode then thumbnail',
      trigger: { type: 'manual' },
      steps: [
        { id: 'reencode', type: 'reencode_streaming', params: { videoId: '{{video.id}}', preset: 'slow' } },
        { id: 'thumbnail', type: 'thumbnail_generate', params: { videoId: '{{previous.outputVideoId}}' }, after: { step: 'reencode' } },
      ],
    });
    const { started } = await rt().execute('runPipeline', { id: pipeline.id, videoIds: [long.id] });
    const runId = started[0]!.runId;
    const reencodeJob = await waitFor(async () => {
      const r = await rt().execute('getPipelineRun', { id: runId });
      return r.steps[0]!.jobStatus === 'running' ? r.steps[0]!.jobId : undefined;
    }, 30_000, 'the re-encode to run');
    await embedded.close(); // mid-run: the re-encode is interrupted
    await open();
    const done = await waitFor(async () => {
      const r = await rt().execute('getPipelineRun', { id: runId });
      return r.status !== 'running' ? r : undefined;
    }, 240_000, 'the run to end after the restart');
    expect(done.status, JSON.stringify(done, null, 1)).toBe('completed');
    expect(done.steps[0]).toMatchObject({ state: 'completed', jobId: reencodeJob });
    expect((await rt().execute('getJob', { id: reencodeJob! })).log).toMatch(/Interrupted by shutdown|Recovered at start-up/);
    const thumb = await rt().execute('getJob', { id: done.steps[1]!.jobId! });
    expect(thumb).toMatchObject({ status: 'completed', parentJobId: reencodeJob, params: { videoId: done.steps[0]!.outputVideoId } });
  }, 300_000);
});
