/**
 * The full-GPU pipeline's fall-back, step by step, through the real processors (reencode_streaming
 * and transcode) with a fake ffmpeg that plays two scripted GPUs and runs the REAL ffmpeg for what
 * succeeds (so outputs are real and verified): full GPU → decode on CPU → NVENC on another GPU →
 * software, each fall-back logged with its reason, each step pinned to its GPU (asserted on the
 * recorded argument arrays and CUDA_VISIBLE_DEVICES).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { transcodeParams } from '../../../shared/domain/job-params';
import { processorFixture, recordingContext, type ProcessorFixture, type RecordingContext } from '../library/testing';
import type { GpuSlot } from '../../core/gpu-placement';
import type { ClaimRequest, JobRecord } from '../../core/ports';
import type { JobType } from '../../../shared/domain/job-types';
import { StoreAttemptFiles } from '../../runtime/attempt-files';
import type { GpuProbeResult } from '../media/gpu-probe';
import { makeClip, TEST_FFMPEG } from '../media/testing/clips';
import { writeFakeGpuFfmpeg, type FakeGpu, type FakeCall } from '../media/testing/fake-gpu-ffmpeg';
import { discoverMediaTools, type MediaTools } from '../media/tool-discovery';
import type { MediaDeps } from '../steps/media-deps';
import { transcodeProcessor } from '../transcode/transcode-processor';
import { TranscodeService } from '../transcode/transcode-service';
import { reencodeStreamingProcessor } from './reencode-streaming';

let f: ProcessorFixture;
let realTools: MediaTools;
const probe = (index: number): GpuProbeResult => ({ index, uuid: `GPU-${index}`, name: 'NVIDIA RTX A4000', nvenc: ['h264', 'hevc', 'av1'], nvencFailed: [], nvdecFailure: null, scaleCudaFailure: null, ms: 1 });
const FULL_GPU_FAILS = "[Parsed_scale_cuda_0] Impossible to convert between the formats supported by the filter 'graph 0 input from stream 0:0' and the filter 'auto_scale_0'";
const NVENC_FAILS = '[h264_nvenc] OpenEncodeSessionEx failed: out of memory (10): (no details)';

beforeAll(async () => {
  f = processorFixture();
  realTools = await discoverMediaTools();
  await makeClip(join(f.library.root, 'videos'), 'a.mp4', { width: 320, height: 240, seconds: 1 });
}, 60_000);
afterAll(async () => f.dispose());

let scenario = 0;
/** Deps whose ffmpeg is a fake playing `gpus`; the start-up inventory saw both GPUs pass. */
function depsWith(gpus: readonly FakeGpu[]): { deps: MediaDeps; calls: () => FakeCall[] } {
  const dir = join(f.dir, `fake-${++scenario}`);
  mkdirSync(dir);
  const fake = writeFakeGpuFfmpeg(dir, gpus, TEST_FFMPEG);
  const tools: MediaTools = { ...realTools, ffmpeg: { ...realTools.ffmpeg, path: fake.path } };
  const encoders = { available: ['h264_nvenc' as const, 'libx264' as const], failed: [], preferred: 'h264_nvenc' as const, gpus: [probe(0), probe(1)], decodeChoice: null };
  // only the encodes write a partial; probes and checks do not
  return { deps: { videos: f.stores.videos, library: f.library, tools, toolsError: null, encoders }, calls: () => fake.calls().filter((c) => c.args.some((a) => a.includes('.partial.'))) };
}

async function video(): Promise<string> {
  const existing = await f.stores.videos.getVideoByPath('videos/a.mp4');
  if (existing) return existing.id;
  const [v] = await f.stores.videos.addVideos([{ id: randomUUID(), path: 'videos/a.mp4', directoryType: 'videos', sizeBytes: null, mtimeMs: null, at: Date.now() }]);
  return v!.id;
}

/** GPU `index` as the scheduler sees it: 12 GB, NVENC with a cap of 8 sessions. */
const slot = (index: number): GpuSlot => ({ index, uuid: `GPU-${index}`, name: 'NVIDIA RTX A4000', budgetMb: 12_000, encodeSupported: true, sessionCap: 8, otherSessions: 0 });
const placeOn = (id: string, gpu: number, vram: number): ClaimRequest => ({
  nodeId: 'test',
  now: Date.now(),
  capacity: { limits: { cpu: 100, gpu_encode: 100, gpu_ai: 100 }, vramBudgetMb: 24_000, queuePaused: false, pausedCategories: [] },
  lookahead: { cpu: 1000, gpu_encode: 1000, gpu_ai: 1000 },
  decide: (_usage, candidates) => ({ start: candidates.filter((c) => c.id === id).map((candidate) => ({ candidate, vramReservedMb: vram, gpu: { index: gpu, uuid: `GPU-${gpu}` } })), waiting: new Map() }),
});

/** Starts a job in the real store on GPU `gpu` reserving `vram` MB (as a claim would). */
async function startOn(type: JobType, params: Record<string, unknown>, gpu: number, vram: number): Promise<JobRecord> {
  const id = randomUUID();
  await f.stores.jobs.insertJobs([{ id, type, params, priority: 5, resourceCategory: 'gpu_encode', vramRequired: vram, maxRetries: 3, createdAt: Date.now(), createdBy: null }]);
  const { started } = await f.stores.jobs.claimJobs(placeOn(id, gpu, vram));
  running.push(started[0]!);
  return started[0]!;
}

/** The jobs each test started end with it, so no test finds another's reservation on a GPU. */
const running: JobRecord[] = [];
afterEach(async () => {
  const outcomes = running.splice(0).map((j) => ({ kind: 'completed' as const, jobId: j.id, attempt: j.attempt, at: Date.now(), logLine: '' }));
  await f.stores.jobs.recordReports({ logs: [], progress: new Map(), outcomes });
});

/**
 * A running job the scheduler placed on GPU 0 (its tools pinned there, 4 GB reserved), whose
 * moveToGpu and releaseGpu go through the store as the runtime's do (runtime/dispatcher.ts).
 */
async function onGpu0(type: 'reencode_streaming' | 'transcode', params: Record<string, unknown>): Promise<RecordingContext> {
  const job = await startOn(type, params, 0, 4_000);
  const base = recordingContext(type, params, job, new StoreAttemptFiles(f.stores.jobs, 'test', { now: () => Date.now() }, job));
  const fence = { jobId: job.id, attempt: job.attempt };
  const moveToGpu = (index: number) => f.stores.jobs.moveAttemptToGpu({ fence, nodeId: 'test', target: slot(index), now: Date.now() });
  const releaseGpu = () => f.stores.jobs.releaseAttemptGpu({ fence, nodeId: 'test', now: Date.now() });
  return Object.assign(base, { env: { CUDA_VISIBLE_DEVICES: 'GPU-0', CUDA_DEVICE_ORDER: 'PCI_BUS_ID' }, moveToGpu, releaseGpu });
}

const fallbacks = (ctx: RecordingContext) => ctx.logs.filter((l) => l.startsWith('Fall-back'));

describe('reencode_streaming on a placed GPU', () => {
  it('takes each step in order — full GPU, decode on CPU, NVENC on GPU 1 — and records each fall-back with its reason', async () => {
    const { deps, calls } = depsWith([
      { index: 0, uuid: 'GPU-0', failFullGpu: FULL_GPU_FAILS, failNvenc: NVENC_FAILS },
      { index: 1, uuid: 'GPU-1' },
    ]);
    const ctx = await onGpu0('reencode_streaming', { videoId: await video(), targetBitrate: 500, preset: 'ultrafast', crf: 30, outputPath: 'playback/r1.mp4' });
    await reencodeStreamingProcessor(deps).run(ctx);
    expect(fallbacks(ctx)).toEqual([
      `Fall-back 1: full GPU (NVDEC + scale_cuda + h264_nvenc) on GPU 0 failed (ffmpeg exited with code 1: ${FULL_GPU_FAILS}); trying decode on CPU + h264_nvenc on GPU 0`,
      `Fall-back 2: decode on CPU + h264_nvenc on GPU 0 failed (Out of memory: ${NVENC_FAILS}); trying decode on CPU + h264_nvenc on GPU 1 (moved)`,
    ]);
    const runs = calls();
    expect(runs.map((c) => c.device)).toEqual(['GPU-0', 'GPU-0', 'GPU-1']);
    const input = join(f.library.root, 'videos', 'a.mp4');
    // the full-GPU run: NVDEC into CUDA frames, no software filter, NVENC on device 0 of the pinned process
    const full = runs[0]!.args;
    expect(full.slice(full.indexOf('-hwaccel'), full.indexOf('-i') + 2)).toEqual(['-hwaccel', 'cuda', '-hwaccel_device', '0', '-hwaccel_output_format', 'cuda', '-i', input]);
    expect(full).not.toContain('-vf');
    expect(full.slice(full.indexOf('-c:v'), full.indexOf('-c:v') + 4)).toEqual(['-c:v', 'h264_nvenc', '-gpu', '0']);
    for (const run of runs.slice(1)) {
      expect(run.args).not.toContain('-hwaccel');
      expect(run.args.slice(run.args.indexOf('-vf'), run.args.indexOf('-vf') + 6)).toEqual(['-vf', 'format=yuv420p', '-c:v', 'h264_nvenc', '-gpu', '0']);
    }
    expect(ctx.logs.join('\n')).toMatch(/Re-encode completed successfully/);
    // the store moved the job (and its 4 GB) to GPU 1 before the step ran there
    expect(ctx.logs).toContain("Moved to GPU 1: the job's VRAM reservation and NVENC session are held there now");
    const moved = await f.stores.jobs.getJob(ctx.job.id);
    expect([moved?.gpuIndex, moved?.gpuUuid, moved?.vramReserved]).toEqual([1, 'GPU-1', 4_000]);
  }, 60_000);

  it('GPU 1 has no room (another job holds 10 of its 12 GB): the moved step is skipped with the reason, software encodes, and the job gives GPU 0 up for it', async () => {
    const { deps, calls } = depsWith([
      { index: 0, uuid: 'GPU-0', failFullGpu: FULL_GPU_FAILS, failNvenc: NVENC_FAILS },
      { index: 1, uuid: 'GPU-1' },
    ]);
    await startOn('reencode_streaming', { videoId: 'elsewhere' }, 1, 10_000);
    {
      const ctx = await onGpu0('reencode_streaming', { videoId: await video(), targetBitrate: 500, preset: 'ultrafast', crf: 30, outputPath: 'playback/r5.mp4' });
      await reencodeStreamingProcessor(deps).run(ctx);
      expect(ctx.logs).toContain('Step skipped: decode on CPU + h264_nvenc on GPU 1 (moved) (GPU 1: needs 4,000 MB, 2,000 free)');
      const runs = calls();
      expect(runs.map((c) => c.device)).toEqual(['GPU-0', 'GPU-0', 'GPU-0']);
      expect(runs[2]!.args).toContain('libx264');
      // encoding in software, it holds no GPU, VRAM or NVENC session: another job can have them meanwhile
      expect(ctx.logs).toContain('Released GPU 0: encoding in software, its VRAM and NVENC session are free for other jobs');
      expect(ctx.logs.indexOf('Released GPU 0: encoding in software, its VRAM and NVENC session are free for other jobs')).toBeLessThan(ctx.logs.findIndex((l) => l.startsWith('FFmpeg command:') && l.includes('libx264')));
      const released = await f.stores.jobs.getJob(ctx.job.id);
      expect([released?.gpuIndex, released?.gpuUuid, released?.vramReserved]).toEqual([null, null, 0]);
    }
  }, 60_000);

  it('a job that asked for GPU 0 is not moved: it goes to software after the GPU steps, with the real libx264', async () => {
    const { deps, calls } = depsWith([
      { index: 0, uuid: 'GPU-0', failFullGpu: FULL_GPU_FAILS, failNvenc: NVENC_FAILS },
      { index: 1, uuid: 'GPU-1' },
    ]);
    const ctx = await onGpu0('reencode_streaming', { videoId: await video(), targetBitrate: 500, preset: 'ultrafast', crf: 30, outputPath: 'playback/r2.mp4', gpu: 0 });
    await reencodeStreamingProcessor(deps).run(ctx);
    expect(ctx.logs).toContain('Encoder note: not moved to another GPU: the job asks for GPU 0');
    expect(fallbacks(ctx).map((l) => l.replace(/ failed \(.*\); /, ' → '))).toEqual([
      'Fall-back 1: full GPU (NVDEC + scale_cuda + h264_nvenc) on GPU 0 → trying decode on CPU + h264_nvenc on GPU 0',
      'Fall-back 2: decode on CPU + h264_nvenc on GPU 0 → trying software (libx264)',
    ]);
    const runs = calls();
    expect(runs).toHaveLength(3);
    expect(runs[2]!.args.slice(runs[2]!.args.indexOf('-c:v'), runs[2]!.args.indexOf('-c:v') + 2)).toEqual(['-c:v', 'libx264']);
    expect(runs[2]!.args).not.toContain('-gpu');
  }, 60_000);

  it('the full-GPU step succeeds at once when the card can: one run, no fall-back', async () => {
    const { deps, calls } = depsWith([{ index: 0, uuid: 'GPU-0' }, { index: 1, uuid: 'GPU-1' }]);
    const ctx = await onGpu0('reencode_streaming', { videoId: await video(), targetBitrate: 500, preset: 'ultrafast', crf: 30, outputPath: 'playback/r3.mp4' });
    await reencodeStreamingProcessor(deps).run(ctx);
    expect(fallbacks(ctx)).toEqual([]);
    expect(calls().map((c) => [c.device, c.args.includes('-hwaccel_output_format')])).toEqual([['GPU-0', true]]);
  }, 60_000);
});

describe('reencode_streaming on an NVENC-less card (H100) where NVDEC decode was measured faster', () => {
  it('decodes with NVDEC on its GPU and encodes with libx264; one run, pinned there', async () => {
    const { deps, calls } = depsWith([{ index: 0, uuid: 'GPU-0', nvenc: [] }]);
    const h100 = { ...probe(0), name: 'NVIDIA H100 80GB HBM3', nvenc: [], nvencFailed: [{ codec: 'h264' as const, reason: 'no NVENC' }] };
    const decodeChoice = { gpuIndex: 0, softwareMs: 900, nvdecMs: 500, decodeOnGpu: true, summary: '' };
    const encoders = { available: ['libx264' as const], failed: [], preferred: 'libx264' as const, gpus: [h100], decodeChoice };
    const ctx = await onGpu0('reencode_streaming', { videoId: await video(), targetBitrate: 500, preset: 'ultrafast', crf: 30, outputPath: 'playback/r4.mp4' });
    await reencodeStreamingProcessor({ ...deps, encoders }).run(ctx);
    expect(ctx.logs).toContain('Encoder note: h264_nvenc not used on GPU 0: no NVENC');
    expect(ctx.logs).toContain('Encoder: libx264 (software); steps: NVDEC decode on GPU 0 + libx264 (software encode) → software (libx264)');
    const [run] = calls();
    expect(calls()).toHaveLength(1);
    expect(run!.device).toBe('GPU-0');
    expect(run!.args.slice(run!.args.indexOf('-hwaccel'), run!.args.indexOf('-i') + 1)).toEqual(['-hwaccel', 'cuda', '-hwaccel_device', '0', '-i']);
    expect(run!.args.slice(run!.args.indexOf('-vf'), run!.args.indexOf('-vf') + 4)).toEqual(['-vf', 'format=yuv420p', '-c:v', 'libx264']);
  }, 60_000);
});

describe('transcode on a placed GPU', () => {
  it('HEVC: full GPU fails on GPU 0 → decode on CPU + hevc_nvenc on GPU 0 encodes, and the outcome says which step', async () => {
    const { deps, calls } = depsWith([{ index: 0, uuid: 'GPU-0', failFullGpu: FULL_GPU_FAILS }, { index: 1, uuid: 'GPU-1' }]);
    const params = transcodeParams.parse({ videoId: await video(), codec: 'hevc', mode: 'copy', preset: 'ultrafast', skipBelowBitsPerPixel: 0, maxHeight: 144, outputPath: 'videos/t1.mkv' });
    const ctx = await onGpu0('transcode', params as unknown as Record<string, unknown>);
    await transcodeProcessor({ media: deps }).run(ctx);
    expect(fallbacks(ctx)).toEqual([`Fall-back 1: full GPU (NVDEC + scale_cuda + hevc_nvenc) on GPU 0 failed (ffmpeg exited with code 1: ${FULL_GPU_FAILS}); trying decode on CPU + hevc_nvenc on GPU 0`]);
    expect(ctx.logs).toContain('Encoded with decode on CPU + hevc_nvenc on GPU 0 after 1 fall-back(s)');
    const [full, cpu] = calls();
    expect(full!.args).toEqual(expect.arrayContaining(['-hwaccel_output_format', 'cuda', "scale_cuda=-2:'min(ih,144)'", 'hevc_nvenc']));
    expect(cpu!.args).toEqual(expect.arrayContaining(["scale=-2:'min(ih,144)',format=yuv420p", 'hevc_nvenc', '-gpu']));
    expect([full!.device, cpu!.device]).toEqual(['GPU-0', 'GPU-0']);
    expect(ctx.logs.join('\n')).toMatch(/Copy published as videos\/t1\.mkv/);
  }, 90_000);

  it('moved to GPU 1, the ledger records the GPU the encode ran on (not GPU 0, the node\'s first card)', async () => {
    const { deps } = depsWith([{ index: 0, uuid: 'GPU-0', failFullGpu: FULL_GPU_FAILS, failNvenc: NVENC_FAILS }, { index: 1, uuid: 'GPU-1' }]);
    const media = { ...deps, encoders: { ...deps.encoders, gpus: [probe(0), { ...probe(1), name: 'NVIDIA RTX A5000' }] } };
    const service = new TranscodeService({ store: f.stores.transcode, videos: f.stores.videos, library: f.library, nodeId: 'test', quarantineDays: 7, sharedStore: false, gpuName: () => 'NVIDIA RTX A4000' });
    const params = transcodeParams.parse({ videoId: await video(), codec: 'h264', mode: 'copy', preset: 'ultrafast', skipBelowBitsPerPixel: 0, maxHeight: 144, outputPath: 'videos/t2.mp4', force: true });
    const ctx = await onGpu0('transcode', params as unknown as Record<string, unknown>);
    await transcodeProcessor({ media, service }).run(ctx);
    expect(ctx.logs).toContain('Encoded with decode on CPU + h264_nvenc on GPU 1 (moved) after 2 fall-back(s)');
    const entry = await f.stores.transcode.ledgerOfJob(ctx.job.id);
    expect([entry?.outcome, entry?.encoder, entry?.gpu]).toEqual(['copied', 'h264_nvenc', 'NVIDIA RTX A5000 (GPU 1)']);
  }, 90_000);
});
