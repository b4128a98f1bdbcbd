/**
 * Per-GPU placement on every store (#18): the claim's start statement records the GPU the
 * scheduler chose (gpuIndex/gpuUuid), the usage the claim reads counts reservations per GPU, so two
 * 8 GB jobs on two 12 GB GPUs land on different GPUs whether they start in one claim or in two.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GpuSlot } from '../../core/gpu-placement';
import type { JobStore } from '../../core/ports';
import { capacityOf, claimRequest, newJob, type StoreFactory } from './fixtures';

const NODE = 'n';
const NOW = 10_000_000;

const gpu = (index: number, budgetMb = 12_000): GpuSlot => ({
  index,
  uuid: `GPU-${index}0000000-aaaa-bbbb-cccc-00000000000${index}`,
  name: 'NVIDIA GeForce RTX 4070',
  budgetMb,
  encodeSupported: true,
  sessionCap: 8,
  otherSessions: 0,
});

const twoGpus = () => capacityOf({ limits: { cpu: 5, gpu_encode: 4, gpu_ai: 4 }, gpus: [gpu(0), gpu(1)], vramBudgetMb: 24_000 });
const job8gb = () => newJob({ type: 'scene_extract', resourceCategory: 'gpu_ai', vramRequired: 8_000, createdAt: NOW });

export function describeGpuPlacementConformance(adapterName: string, factory: StoreFactory): void {
  describe(`per-GPU placement: ${adapterName}`, () => {
    let store: JobStore;
    beforeEach(async () => {
      store = await factory({});
    });
    afterEach(async () => {
      await store.close();
    });

    it('two 8 GB jobs on two 12 GB GPUs started in one claim land on different GPUs; the records carry gpuIndex and gpuUuid', async () => {
      const [a, b] = await store.insertJobs([job8gb(), job8gb()]);
      const { started } = await store.claimJobs(claimRequest(NODE, NOW, twoGpus()));
      expect(started.map((j) => j.id).sort()).toEqual([a!.id, b!.id].sort());
      expect(started.map((j) => j.gpuIndex).sort()).toEqual([0, 1]);
      for (const id of [a!.id, b!.id]) {
        const job = await store.getJob(id);
        expect(job?.gpuIndex).toBe(started.find((j) => j.id === id)!.gpuIndex);
        expect(job?.gpuUuid).toBe(gpu(job!.gpuIndex!).uuid);
      }
    });

    it('started in two claims: the second sees the first on its GPU (the store reads usage per GPU) and takes the other one; a third waits naming both GPUs', async () => {
      const [a] = await store.insertJobs([job8gb()]);
      const first = await store.claimJobs(claimRequest(NODE, NOW, twoGpus()));
      expect(first.started.map((j) => [j.id, j.gpuIndex])).toEqual([[a!.id, 0]]);
      const [b, c] = await store.insertJobs([job8gb(), job8gb()]);
      const second = await store.claimJobs(claimRequest(NODE, NOW + 1, twoGpus()));
      expect(second.started.map((j) => [j.id, j.gpuIndex])).toEqual([[b!.id, 1]]);
      const waiting = await store.getJob(c!.id);
      expect(waiting?.status).toBe('queued');
      expect(waiting?.waitingReason).toBe('GPU 0: needs 8,000 MB, 4,000 free; GPU 1: needs 8,000 MB, 4,000 free');
      expect(waiting?.gpuIndex ?? null).toBeNull();
    });

    it('a job that asks for GPU 1 (params.gpu) or a model (params.gpuModel) gets it', async () => {
      const gpus = capacityOf({ limits: { cpu: 5, gpu_encode: 4, gpu_ai: 4 }, gpus: [gpu(0), { ...gpu(1), name: 'NVIDIA RTX A6000' }], vramBudgetMb: 24_000 });
      const [pinned] = await store.insertJobs([newJob({ type: 'scene_extract', resourceCategory: 'gpu_ai', vramRequired: 2_000, createdAt: NOW, params: { gpu: 1 } })]);
      const [model] = await store.insertJobs([newJob({ type: 'scene_extract', resourceCategory: 'gpu_ai', vramRequired: 2_000, createdAt: NOW, params: { gpuModel: 'a6000' } })]);
      const { started } = await store.claimJobs(claimRequest(NODE, NOW, gpus));
      expect(started.map((j) => [j.id, j.gpuIndex])).toEqual([[pinned!.id, 1], [model!.id, 1]]);
    });

    it('an HEVC transcode (params.codec) goes only to the GPU whose probe passed hevc_nvenc; H.264 may use either', async () => {
      const gpus = capacityOf({ limits: { cpu: 5, gpu_encode: 4, gpu_ai: 4 }, gpus: [{ ...gpu(0), encodeCodecs: ['h264'] }, { ...gpu(1), encodeCodecs: ['h264', 'hevc'] }], vramBudgetMb: 24_000 });
      const [hevc] = await store.insertJobs([newJob({ type: 'transcode', resourceCategory: 'gpu_encode', vramRequired: 2_000, createdAt: NOW, params: { videoId: 'v', codec: 'hevc' } })]);
      const [h264] = await store.insertJobs([newJob({ type: 'transcode', resourceCategory: 'gpu_encode', vramRequired: 2_000, createdAt: NOW, params: { videoId: 'v', codec: 'h264' } })]);
      const { started } = await store.claimJobs(claimRequest(NODE, NOW, gpus));
      expect(started.map((j) => [j.id, j.gpuIndex])).toEqual([[hevc!.id, 1], [h264!.id, 0]]);
    });

    describe('moving a running attempt to another GPU (the encode fall-back "NVENC on another GPU")', () => {
      const encode = (gpuIndex: number, vram = 8_000) => newJob({ type: 'transcode', resourceCategory: 'gpu_encode', vramRequired: vram, createdAt: NOW, params: { videoId: 'v', gpu: gpuIndex } });
      const start = async (jobs: ReturnType<typeof encode>[], capacity = twoGpus()) => {
        await store.insertJobs(jobs);
        const { started } = await store.claimJobs(claimRequest(NODE, NOW, capacity));
        expect(started).toHaveLength(jobs.length);
        return started;
      };
      const fenceOf = (j: { id: string; attempt: number }) => ({ jobId: j.id, attempt: j.attempt });

      it('moves the job, its reservation and session with it, when the target has room: the next claim sees its old GPU free', async () => {
        const [a] = await start([encode(0)]);
        const result = await store.moveAttemptToGpu({ fence: fenceOf(a!), nodeId: NODE, target: gpu(1), now: NOW + 1 });
        expect(result).toEqual({ moved: true, gpuIndex: 1, gpuUuid: gpu(1).uuid });
        const moved = await store.getJob(a!.id);
        expect([moved?.gpuIndex, moved?.gpuUuid, moved?.vramReserved]).toEqual([1, gpu(1).uuid, 8_000]);
        // the store counts it on GPU 1 now: an 8 GB job goes to GPU 0, a second one finds no room
        const [b, c] = await store.insertJobs([job8gb(), job8gb()]);
        const { started } = await store.claimJobs(claimRequest(NODE, NOW + 2, twoGpus()));
        expect(started.map((j) => [j.id, j.gpuIndex])).toEqual([[b!.id, 0]]);
        expect((await store.getJob(c!.id))?.waitingReason).toBe('GPU 0: needs 8,000 MB, 4,000 free; GPU 1: needs 8,000 MB, 4,000 free');
      });

      it('refuses, leaving the job where it is, when the target lacks the VRAM', async () => {
        const [a] = await start([encode(0), encode(1)]);
        const result = await store.moveAttemptToGpu({ fence: fenceOf(a!), nodeId: NODE, target: gpu(1), now: NOW + 1 });
        expect(result).toEqual({ moved: false, reason: 'GPU 1: needs 8,000 MB, 4,000 free' });
        expect((await store.getJob(a!.id))?.gpuIndex).toBe(0);
      });

      it('refuses when the target is at its NVENC session cap, counting what this process holds there too', async () => {
        const [a] = await start([encode(0, 1_000), encode(1, 1_000)]);
        const capped = { ...gpu(1), sessionCap: 1 };
        expect(await store.moveAttemptToGpu({ fence: fenceOf(a!), nodeId: NODE, target: capped, now: NOW + 1 })).toEqual({ moved: false, reason: 'GPU 1: 1 of 1 NVENC sessions' });
        // the store sees room on GPU 1 for 1 GB, this process's view (an attempt still ending) does not
        const local = { reservedMb: 11_500, jobs: 2, encodes: 2 };
        expect(await store.moveAttemptToGpu({ fence: fenceOf(a!), nodeId: NODE, target: gpu(1), localUse: local, now: NOW + 1 })).toEqual({ moved: false, reason: 'GPU 1: needs 1,000 MB, 500 free' });
        expect((await store.getJob(a!.id))?.gpuIndex).toBe(0);
      });

      it('gives up the GPU, its VRAM and NVENC session when the attempt goes on in software: the next claim places a job there', async () => {
        const [a] = await start([encode(0), encode(1)]); // 8 of 12 GB used on each GPU
        expect(await store.releaseAttemptGpu({ fence: fenceOf(a!), nodeId: NODE, now: NOW + 1 })).toBe(true);
        const released = await store.getJob(a!.id);
        expect([released?.status, released?.gpuIndex, released?.gpuUuid, released?.vramReserved, released?.resourceCategory]).toEqual(['running', null, null, 0, 'gpu_encode']);
        expect(await store.releaseAttemptGpu({ fence: fenceOf(a!), nodeId: NODE, now: NOW + 1 })).toBe(false); // nothing left to give up
        const [b, c] = await store.insertJobs([job8gb(), job8gb()]);
        const { started } = await store.claimJobs(claimRequest(NODE, NOW + 2, twoGpus()));
        expect(started.map((j) => [j.id, j.gpuIndex])).toEqual([[b!.id, 0]]); // GPU 0 is free again; GPU 1 still is not
        expect((await store.getJob(c!.id))?.waitingReason).toBe('GPU 0: needs 8,000 MB, 4,000 free; GPU 1: needs 8,000 MB, 4,000 free');
      });

      it('gives up nothing for another attempt number or another node', async () => {
        const [a] = await start([encode(0)]);
        expect(await store.releaseAttemptGpu({ fence: { jobId: a!.id, attempt: a!.attempt + 1 }, nodeId: NODE, now: NOW + 1 })).toBe(false);
        expect(await store.releaseAttemptGpu({ fence: fenceOf(a!), nodeId: 'other-node', now: NOW + 1 })).toBe(false);
        const held = await store.getJob(a!.id);
        expect([held?.gpuIndex, held?.vramReserved]).toEqual([0, 8_000]);
      });

      it('is fenced by the attempt: another attempt number, or another node, moves nothing', async () => {
        const [a] = await start([encode(0)]);
        expect(await store.moveAttemptToGpu({ fence: { jobId: a!.id, attempt: a!.attempt + 1 }, nodeId: NODE, target: gpu(1), now: NOW + 1 })).toEqual({ moved: false, reason: 'the attempt no longer owns its job' });
        expect(await store.moveAttemptToGpu({ fence: fenceOf(a!), nodeId: 'other-node', target: gpu(1), now: NOW + 1 })).toEqual({ moved: false, reason: 'the attempt no longer owns its job' });
        expect((await store.getJob(a!.id))?.gpuIndex).toBe(0);
      });
    });

    it('decode-only card (no NVENC, NVDEC decode chosen): a transcode is placed on it with its VRAM, a compilation starts on no GPU reserving nothing', async () => {
      const h100: GpuSlot = { ...gpu(0, 78_000), name: 'NVIDIA H100 80GB HBM3', sessionCap: null, encodeCodecs: [], decodeOnly: true };
      const [transcode] = await store.insertJobs([newJob({ type: 'transcode', resourceCategory: 'gpu_encode', vramRequired: 2_000, createdAt: NOW, params: { videoId: 'v' } })]);
      const [compile] = await store.insertJobs([newJob({ type: 'compile_quad', resourceCategory: 'gpu_encode', vramRequired: 4_000, createdAt: NOW })]);
      const { started } = await store.claimJobs(claimRequest(NODE, NOW, capacityOf({ limits: { cpu: 5, gpu_encode: 4, gpu_ai: 4 }, gpus: [h100], vramBudgetMb: 78_000 })));
      const of = (id: string) => started.find((j) => j.id === id);
      expect([of(transcode!.id)?.gpuIndex, of(transcode!.id)?.vramReserved]).toEqual([0, 2_000]);
      expect([of(compile!.id)?.gpuIndex ?? null, of(compile!.id)?.vramReserved]).toEqual([null, 0]);
    });

    it('a job started without per-GPU capacity records no GPU (a single budget keeps today\'s behaviour)', async () => {
      await store.insertJobs([job8gb()]);
      const { started } = await store.claimJobs(claimRequest(NODE, NOW));
      expect(started).toHaveLength(1);
      expect(started[0]!.gpuIndex ?? null).toBeNull();
      expect(started[0]!.vramReserved).toBe(8_000);
    });
  });
}
