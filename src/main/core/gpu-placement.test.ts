import { describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORY_LIMITS, EMPTY_USAGE, maxUsage, type NodeCapacity, type NodeUsage } from './capacity';
import { nvencProfile } from './gpu-classes';
import { gpuBlockedReason, gpuRequestOf, placeOnGpu, type GpuSlot, type GpuUse } from './gpu-placement';
import { schedule, type Candidate } from './scheduler';

let seq = 0;
function job(category: Candidate['category'], overrides: Partial<Candidate> = {}): Candidate {
  seq += 1;
  return { id: `j${seq}`, seq, category, priority: 5, vramRequired: category === 'cpu' ? 0 : 4000, waitingSince: 1_000, ...overrides };
}
const gpu = (index: number, o: Partial<GpuSlot> = {}): GpuSlot => ({
  index,
  uuid: `GPU-${index}`,
  name: 'NVIDIA GeForce RTX 4070',
  budgetMb: 12_000,
  encodeSupported: true,
  sessionCap: 8,
  otherSessions: 0,
  ...o,
});
const limits = { cpu: 5, gpu_encode: 8, gpu_ai: 8 };
const cap = (gpus: GpuSlot[], o: Partial<NodeCapacity> = {}): NodeCapacity => ({
  limits,
  vramBudgetMb: gpus.reduce((s, g) => s + g.budgetMb, 0),
  queuePaused: false,
  pausedCategories: [],
  gpus,
  ...o,
});
const run = (candidates: Candidate[], capacity: NodeCapacity, usage: NodeUsage = EMPTY_USAGE) => schedule({ capacity, usage, candidates, now: 2_000, starvationGuardMs: 60_000 });
const gpuOf = (r: ReturnType<typeof schedule>) => r.start.map((s) => s.gpu?.index);

describe('per-GPU placement (scheduler)', () => {
  it('spreads jobs started together across two GPUs instead of piling them on GPU 0', () => {
    const r = run(Array.from({ length: 4 }, () => job('gpu_encode')), cap([gpu(0), gpu(1)]));
    expect(gpuOf(r)).toEqual([0, 1, 0, 1]);
    expect(r.start.every((s) => s.gpu?.uuid === `GPU-${s.gpu?.index}`)).toBe(true);
  });

  it('8 queued encodes on 2 GPUs: both busy on the first tick', () => {
    const r = run(Array.from({ length: 8 }, () => job('gpu_encode', { vramRequired: 1_000 })), cap([gpu(0), gpu(1)]));
    expect(gpuOf(r).filter((g) => g === 0)).toHaveLength(4);
    expect(gpuOf(r).filter((g) => g === 1)).toHaveLength(4);
  });

  it('prefers the least reserved GPU (what runs there already), ties by fewer jobs, then by index', () => {
    const usage: NodeUsage = { ...EMPTY_USAGE, vramReservedMb: 6_000, gpus: { 0: { reservedMb: 6_000, jobs: 1, encodes: 0 } } };
    expect(gpuOf(run([job('gpu_ai')], cap([gpu(0), gpu(1)]), usage))).toEqual([1]);
    const tied: NodeUsage = { ...EMPTY_USAGE, gpus: { 0: { reservedMb: 0, jobs: 2, encodes: 0 }, 1: { reservedMb: 0, jobs: 1, encodes: 0 } } };
    expect(gpuOf(run([job('gpu_ai', { vramRequired: 0 })], cap([gpu(0), gpu(1)]), tied))).toEqual([1]);
    expect(gpuOf(run([job('gpu_ai')], cap([gpu(1), gpu(0)])))).toEqual([0]);
  });

  it('keeps every GPU under its NVENC session cap, counting other programs\' sessions, and names the GPUs in the waiting reason', () => {
    const jobs = Array.from({ length: 4 }, () => job('gpu_encode', { vramRequired: 500 }));
    const r = run(jobs, cap([gpu(0, { sessionCap: 2 }), gpu(1, { sessionCap: 3, otherSessions: 2 })]));
    expect(gpuOf(r)).toEqual([0, 1, 0]);
    expect(r.waiting.get(jobs[3]!.id)).toBe('GPU 0: 2 of 2 NVENC sessions; GPU 1: 3 of 3 NVENC sessions');
  });

  it('never places an encode on a card without NVENC (H100 class), but places AI work there; alone, such a card leaves encodes to software', () => {
    const h100 = gpu(0, { name: 'NVIDIA H100 80GB HBM3', budgetMb: 80_000, ...nvencProfile('NVIDIA H100 80GB HBM3') });
    const enc = Array.from({ length: 3 }, () => job('gpu_encode'));
    const ai = job('gpu_ai');
    const r = run([...enc, ai], cap([h100, gpu(1)]));
    expect(r.start.filter((s) => s.candidate.category === 'gpu_encode').map((s) => s.gpu?.index)).toEqual([1, 1, 1]);
    expect(r.start.find((s) => s.candidate.id === ai.id)?.gpu?.index).toBe(0);
    // with no card here that could ever encode it, it runs in software: unplaced, no VRAM, no wait
    // (storage/gpu-software-encodes.test.ts); it never waits for a card that will not encode it
    const onlyH100 = run([job('gpu_encode')], cap([h100]));
    expect(onlyH100.waiting.size).toBe(0);
    expect(onlyH100.start.map((s) => [s.gpu?.index ?? null, s.vramReservedMb])).toEqual([[null, 0]]);
  });

  it('uses each GPU\'s budget (total − headroom − other programs\' use): the waiting reason says what each has free', () => {
    const big = job('gpu_ai', { vramRequired: 8_000 });
    const r = run([big], cap([gpu(0, { budgetMb: 2_000 }), gpu(1, { budgetMb: 6_100 })]));
    expect(r.start).toHaveLength(0);
    expect(r.waiting.get(big.id)).toBe('GPU 0: needs 8,000 MB, 2,000 free; GPU 1: needs 8,000 MB, 6,100 free');
  });

  it('a job larger than any one GPU waits even though the GPUs together have room', () => {
    const r = run([job('gpu_ai', { vramRequired: 16_000 })], cap([gpu(0), gpu(1)]));
    expect(r.start).toHaveLength(0);
  });

  it('a blocked GPU (free VRAM under its reservations) takes nothing and says why', () => {
    const blocked = gpuBlockedReason(0, 3_000, 4_000, 8_500)!;
    expect(blocked).toContain('GPU 0: other programs use 8,500 MB');
    const r = run([job('gpu_ai', { vramRequired: 0 }), job('gpu_ai')], cap([gpu(0, { blocked })]));
    expect(r.start).toHaveLength(0);
    expect([...r.waiting.values()].every((w) => w === blocked)).toBe(true);
    expect(gpuBlockedReason(0, 5_000, 4_000, 1_000)).toBeUndefined();
  });

  it('honours a pin (gpu: 1) and a model filter (gpuModel)', () => {
    const pinned = job('gpu_ai', { gpu: 1 });
    const model = job('gpu_ai', { gpuModel: '4090' });
    const r = run([pinned, model], cap([gpu(0, { name: 'NVIDIA GeForce RTX 4090' }), gpu(1)]));
    expect(r.start.map((s) => [s.candidate.id, s.gpu?.index])).toEqual([[pinned.id, 1], [model.id, 0]]);
    const missing = job('gpu_ai', { gpu: 7 });
    expect(run([missing], cap([gpu(0)])).waiting.get(missing.id)).toBe('asks for GPU 7, which this node does not have');
  });

  it('cpu jobs and software encodes are never placed; without GPUs in the capacity nothing changes', () => {
    const r = run([job('cpu'), job('gpu_encode')], cap([gpu(0)], { gpuCategories: ['gpu_ai'] }));
    expect(r.start.map((s) => s.gpu)).toEqual([undefined, undefined]);
    const single = schedule({ capacity: { limits: DEFAULT_CATEGORY_LIMITS, vramBudgetMb: 16_000, queuePaused: false, pausedCategories: [] }, usage: EMPTY_USAGE, candidates: [job('gpu_ai')], now: 2_000, starvationGuardMs: 60_000 });
    expect(single.start.map((s) => [s.vramReservedMb, s.gpu])).toEqual([[4_000, undefined]]);
  });

  it('maxUsage keeps the larger view per GPU', () => {
    const a: NodeUsage = { ...EMPTY_USAGE, gpus: { 0: { reservedMb: 4_000, jobs: 1, encodes: 1 } } };
    const b: NodeUsage = { ...EMPTY_USAGE, gpus: { 0: { reservedMb: 2_000, jobs: 2, encodes: 0 }, 1: { reservedMb: 1_000, jobs: 1, encodes: 0 } } };
    expect(maxUsage(a, b).gpus).toEqual({ 0: { reservedMb: 4_000, jobs: 2, encodes: 1 }, 1: { reservedMb: 1_000, jobs: 1, encodes: 0 } });
    expect(maxUsage(EMPTY_USAGE, EMPTY_USAGE).gpus).toBeUndefined();
  });

  it('randomized: no GPU ever goes over its VRAM budget or its session cap (1,000 jobs, claims and endings interleaved)', () => {
    let rnd = 42;
    const random = () => ((rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const gpus = [gpu(0, { budgetMb: 12_000, sessionCap: 3 }), gpu(1, { budgetMb: 8_000, sessionCap: null }), gpu(2, { name: 'NVIDIA A100', encodeSupported: false, sessionCap: 0, budgetMb: 40_000 })];
    const capacity = cap(gpus, { limits: { cpu: 5, gpu_encode: 6, gpu_ai: 6 } });
    const waiting: Candidate[] = Array.from({ length: 1_000 }, () => job(random() < 0.5 ? 'gpu_encode' : 'gpu_ai', { vramRequired: Math.floor(random() * 9_000) }));
    const runningJobs: { c: Candidate; gpu: number; mb: number }[] = [];
    for (let tick = 0; tick < 3_000 && (waiting.length > 0 || runningJobs.length > 0); tick++) {
      const gpusUse: Record<number, GpuUse> = {};
      const running = { cpu: 0, gpu_encode: 0, gpu_ai: 0 };
      for (const r of runningJobs) {
        const u = gpusUse[r.gpu] ?? { reservedMb: 0, jobs: 0, encodes: 0 };
        gpusUse[r.gpu] = { reservedMb: u.reservedMb + r.mb, jobs: u.jobs + 1, encodes: u.encodes + (r.c.category === 'gpu_encode' ? 1 : 0) };
        running[r.c.category] += 1;
      }
      const usage: NodeUsage = { running, vramReservedMb: runningJobs.reduce((s, r) => s + r.mb, 0), gpus: gpusUse };
      const result = run(waiting.slice(0, 40), capacity, usage);
      for (const s of result.start) {
        runningJobs.push({ c: s.candidate, gpu: s.gpu!.index, mb: s.vramReservedMb });
        waiting.splice(waiting.indexOf(s.candidate), 1);
      }
      for (const g of gpus) {
        const on = runningJobs.filter((r) => r.gpu === g.index);
        expect(on.reduce((s, r) => s + r.mb, 0)).toBeLessThanOrEqual(g.budgetMb);
        const encodes = on.filter((r) => r.c.category === 'gpu_encode').length;
        if (g.sessionCap !== null) expect(encodes).toBeLessThanOrEqual(g.sessionCap);
        if (!g.encodeSupported) expect(encodes).toBe(0);
      }
      // some end
      for (let i = runningJobs.length - 1; i >= 0; i--) if (random() < 0.3) runningJobs.splice(i, 1);
    }
    expect(waiting).toHaveLength(0);
  });
});

describe('card classes and job requests', () => {
  it.each([
    ['NVIDIA GeForce RTX 4090', null, { encodeSupported: true, sessionCap: 8 }],
    ['NVIDIA TITAN RTX', null, { encodeSupported: true, sessionCap: 8 }],
    ['NVIDIA RTX A6000', null, { encodeSupported: true, sessionCap: null }],
    ['Tesla T4', null, { encodeSupported: true, sessionCap: null }],
    ['NVIDIA L4', null, { encodeSupported: true, sessionCap: null }],
    ['NVIDIA H100 80GB HBM3', null, { encodeSupported: false, sessionCap: 0 }],
    ['NVIDIA H200', null, { encodeSupported: false, sessionCap: 0 }],
    ['NVIDIA A100-SXM4-40GB', null, { encodeSupported: false, sessionCap: 0 }],
    ['NVIDIA A30', null, { encodeSupported: false, sessionCap: 0 }],
    ['NVIDIA GeForce RTX 3060', 3, { encodeSupported: true, sessionCap: 3 }],
    ['NVIDIA RTX A4000', 12, { encodeSupported: true, sessionCap: 12 }],
    ['NVIDIA H100 PCIe', 12, { encodeSupported: false, sessionCap: 0 }],
  ] as const)('%s (MEDIA_NVENC_SESSIONS=%s)', (name, configured, expected) => {
    expect(nvencProfile(name, configured)).toEqual(expected);
  });

  it('reads gpu and gpuModel from params, ignoring what is not one', () => {
    expect(gpuRequestOf({ gpu: 1, gpuModel: ' 4090 ' })).toEqual({ gpu: 1, gpuModel: '4090' });
    expect(gpuRequestOf({ gpu: -1, gpuModel: '' })).toEqual({ gpu: null, gpuModel: null });
    expect(gpuRequestOf({ gpu: '1' })).toEqual({ gpu: null, gpuModel: null });
    expect(placeOnGpu([gpu(0)], {}, { category: 'gpu_ai', needMb: 1_000, gpuModel: 'a100' })).toEqual({ reason: 'asks for a GPU matching "a100", which this node does not have' });
  });
});
