/**
 * Decode-on-GPU mode (#18): on a card without NVENC where start-up measured NVDEC decode + software
 * encode faster, only the job types that really decode on the GPU (NVDEC_DECODING_JOB_TYPES) are
 * placed on it and reserve VRAM; encodes that only encode (compilations) run in software, unplaced.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_USAGE, type NodeCapacity } from './capacity';
import { decodesOnGpu, NVDEC_DECODING_JOB_TYPES, type GpuSlot } from './gpu-placement';
import { schedule, type Candidate } from './scheduler';
import { JOB_TYPE_CATALOG, JOB_TYPES } from '../../shared/domain/job-types';

let seq = 0;
/** A gpu_encode candidate of `type`, as the stores build it (storage/gpu-usage-rows.ts candidateGpuRequest; the conformance checks that). */
function encode(type: string, vramRequired = 4_000): Candidate {
  seq += 1;
  return { id: `${type}-${seq}`, seq, category: 'gpu_encode', priority: 5, vramRequired, waitingSince: 1_000, ...(decodesOnGpu(type) ? {} : { decodesOnGpu: false }) };
}
const h100: GpuSlot = { index: 0, uuid: 'GPU-0', name: 'NVIDIA H100 80GB HBM3', budgetMb: 78_000, encodeSupported: true, sessionCap: null, otherSessions: 0, encodeCodecs: [], decodeOnly: true };
const rtx = (o: Partial<GpuSlot> = {}): GpuSlot => ({ index: 1, uuid: 'GPU-1', name: 'NVIDIA GeForce RTX 4070', budgetMb: 12_000, encodeSupported: true, sessionCap: 2, otherSessions: 0, ...o });
const cap = (gpus: GpuSlot[]): NodeCapacity => ({ limits: { cpu: 4, gpu_encode: 8, gpu_ai: 4 }, vramBudgetMb: gpus.reduce((s, g) => s + g.budgetMb, 0), queuePaused: false, pausedCategories: [], gpus });
const run = (candidates: Candidate[], capacity: NodeCapacity) => schedule({ capacity, usage: EMPTY_USAGE, candidates, now: 2_000, starvationGuardMs: 60_000 });
const started = (r: ReturnType<typeof schedule>) => Object.fromEntries(r.start.map((s) => [s.candidate.id.replace(/-\d+$/, ''), [s.gpu?.index ?? null, s.vramReservedMb]]));

describe('which job types decode on the GPU (the explicit rule)', () => {
  it('transcode and reencode_streaming do; every other encode type does not', () => {
    const gpuEncodes = JOB_TYPES.filter((t) => JOB_TYPE_CATALOG[t].category === 'gpu_encode');
    expect(gpuEncodes.filter(decodesOnGpu).sort()).toEqual(['reencode_streaming', 'transcode']);
    expect([...NVDEC_DECODING_JOB_TYPES].every((t) => gpuEncodes.includes(t as (typeof gpuEncodes)[number]))).toBe(true);
  });
});

describe('decode-only card (H100, NVDEC decode measured faster)', () => {
  it('places the decoding encodes on it with their VRAM; compilations start in software, on no GPU, reserving nothing', () => {
    const r = run([encode('transcode'), encode('reencode_streaming'), encode('compile_random'), encode('compile_quad'), encode('compile_mega', 6_000)], cap([h100]));
    expect(started(r)).toEqual({
      transcode: [0, 4_000],
      reencode_streaming: [0, 4_000],
      compile_random: [null, 0],
      compile_quad: [null, 0],
      compile_mega: [null, 0],
    });
  });

  it('beside an NVENC card, a compilation waits for its NVENC (never the decode-only card) and says why for each GPU', () => {
    const busy = rtx({ otherSessions: 2 });
    const r = run([encode('compile_random'), encode('transcode')], cap([h100, busy]));
    expect(started(r)).toEqual({ transcode: [0, 4_000] });
    expect([...r.waiting.values()]).toEqual([
      'GPU 0: NVIDIA H100 80GB HBM3 has no NVENC, and this job type only encodes (nothing to decode on the GPU); GPU 1: 2 of 2 NVENC sessions',
    ]);
    // with a session free it goes to the NVENC card
    expect(started(run([encode('compile_random')], cap([h100, rtx()])))).toEqual({ compile_random: [1, 4_000] });
  });
});
