import { describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORY_LIMITS, EMPTY_USAGE, maxUsage, type NodeCapacity, type NodeUsage } from './capacity';
import { fittingRead, schedule, type Candidate } from './scheduler';

let seq = 0;
function job(category: Candidate['category'], overrides: Partial<Candidate> = {}): Candidate {
  seq += 1;
  const vram = { cpu: 0, gpu_encode: 4000, gpu_ai: 8000 }[category];
  return { id: `j${seq}`, seq, category, priority: 5, vramRequired: vram, waitingSince: 1_000, ...overrides };
}
const cap = (o: Partial<NodeCapacity> = {}): NodeCapacity => ({ limits: DEFAULT_CATEGORY_LIMITS, vramBudgetMb: 16000, queuePaused: false, pausedCategories: [], ...o });
const usage = (running: Partial<NodeUsage['running']>, vram = 0): NodeUsage => ({ running: { ...EMPTY_USAGE.running, ...running }, vramReservedMb: vram });
const run = (candidates: Candidate[], o: { capacity?: NodeCapacity; usage?: NodeUsage; now?: number; guard?: number } = {}) =>
  schedule({ capacity: o.capacity ?? cap(), usage: o.usage ?? EMPTY_USAGE, candidates, now: o.now ?? 2_000, starvationGuardMs: o.guard ?? 60_000 });
const startedIds = (r: ReturnType<typeof schedule>) => r.start.map((s) => s.candidate.id);

describe('scheduler', () => {
  it('fills each category up to its limit and says why the rest wait', () => {
    const cpu = Array.from({ length: 7 }, () => job('cpu'));
    const enc = Array.from({ length: 3 }, () => job('gpu_encode', { vramRequired: 100 }));
    const r = run([...cpu, ...enc]);
    expect(startedIds(r)).toEqual([...cpu.slice(0, 5), ...enc.slice(0, 2)].map((j) => j.id).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
    expect(r.waiting.get(cpu[5]!.id)).toBe('cpu: 5 of 5 slots busy');
    expect(r.waiting.get(enc[2]!.id)).toBe('gpu_encode: 2 of 2 slots busy');
  });

  it.each([
    { name: 'counts jobs already running', running: { cpu: 4 }, vram: 0, expectedCpu: 1 },
    { name: 'starts nothing in a full category', running: { cpu: 5 }, vram: 0, expectedCpu: 0 },
    { name: 'ignores other categories when counting slots', running: { gpu_ai: 1 }, vram: 8000, expectedCpu: 5 },
  ])('$name', ({ running, vram, expectedCpu }) => {
    const r = run(Array.from({ length: 6 }, () => job('cpu')), { usage: usage(running, vram) });
    expect(r.start).toHaveLength(expectedCpu);
  });

  it('says so when a category has no slots at all', () => {
    const a = job('gpu_ai');
    expect(run([a], { capacity: cap({ limits: { cpu: 5, gpu_encode: 2, gpu_ai: 0 } }) }).waiting.get(a.id)).toBe('gpu_ai: no slots on this node (limit 0)');
  });

  it('ranks by priority then FIFO', () => {
    const a = job('cpu', { priority: 7 });
    const b = job('cpu', { priority: 2 });
    const c = job('cpu', { priority: 2 });
    const r = run([a, c, b], { capacity: cap({ limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } }) });
    expect(startedIds(r)).toEqual([b.id, c.id]);
  });

  it('never exceeds the VRAM budget and reports the free amount', () => {
    const ai = job('gpu_ai', { vramRequired: 8000 });
    const enc = job('gpu_encode', { vramRequired: 4000 });
    const r = run([ai, enc], { usage: usage({ gpu_encode: 1 }, 6000), capacity: cap({ vramBudgetMb: 16000 }) });
    expect(startedIds(r)).toEqual([ai.id]);
    expect(r.waiting.get(enc.id)).toBe('needs 4000 MB VRAM, 2000 MB free');
  });

  it('has no head-of-line blocking: a GPU job short of VRAM does not stop CPU jobs or smaller GPU jobs', () => {
    const big = job('gpu_ai', { vramRequired: 8000, priority: 1, waitingSince: 1_990 });
    const cpu = job('cpu', { priority: 9 });
    const small = job('gpu_encode', { vramRequired: 2000, priority: 9 });
    const r = run([big, cpu, small], { usage: usage({ gpu_encode: 1 }, 12000) });
    expect(startedIds(r).sort()).toEqual([cpu.id, small.id].sort());
    expect(r.waiting.get(big.id)).toBe('needs 8000 MB VRAM, 4000 MB free');
  });

  it('protects a big job from starvation: after the guard time its VRAM is held against lower-ranked jobs', () => {
    const big = job('gpu_ai', { vramRequired: 8000, waitingSince: 0 });
    const small = job('gpu_encode', { vramRequired: 2000 });
    const r = run([big, small], { usage: usage({ gpu_encode: 1 }, 12000), now: 61_000, guard: 60_000 });
    expect(r.start).toHaveLength(0);
    expect(r.waiting.get(small.id)).toBe('needs 2000 MB VRAM, 4000 MB free but 8000 MB held for a job that has waited longer');
    // CPU jobs need no VRAM and still start
    const cpu = job('cpu');
    expect(startedIds(run([big, small, cpu], { usage: usage({ gpu_encode: 1 }, 12000), now: 61_000 }))).toEqual([cpu.id]);
  });

  it('a higher-priority job is not held back by a starving lower-priority one', () => {
    const starving = job('gpu_ai', { vramRequired: 8000, priority: 9, waitingSince: 0 });
    const urgent = job('gpu_encode', { vramRequired: 2000, priority: 1 });
    const r = run([starving, urgent], { usage: usage({ gpu_encode: 1 }, 12000), now: 100_000 });
    expect(startedIds(r)).toEqual([urgent.id]);
  });

  it('refuses nothing for lack of VRAM where there is no GPU budget (software fallback), slots still apply', () => {
    const jobs = [job('gpu_ai'), job('gpu_ai'), job('gpu_encode'), job('gpu_encode'), job('gpu_encode')];
    const r = run(jobs, { capacity: cap({ vramBudgetMb: null }) });
    expect(r.start).toHaveLength(3);
    expect(r.start.every((s) => s.vramReservedMb === 0)).toBe(true);
  });

  it('reserves no VRAM for a category that runs in software on this node (no working hardware encoder)', () => {
    const enc = [job('gpu_encode', { vramRequired: 12000 }), job('gpu_encode', { vramRequired: 12000 })];
    const ai = job('gpu_ai', { vramRequired: 8000 });
    const r = run([...enc, ai], { capacity: cap({ vramBudgetMb: 10000, gpuCategories: ['gpu_ai'] }) });
    expect(r.start.map((s) => [s.candidate.id, s.vramReservedMb])).toEqual([[enc[0]!.id, 0], [enc[1]!.id, 0], [ai.id, 8000]]);
  });

  it('explains a job larger than the whole budget', () => {
    const huge = job('gpu_ai', { vramRequired: 24000 });
    expect(run([huge]).waiting.get(huge.id)).toBe('needs 24000 MB VRAM, more than the whole budget of 16000 MB');
  });

  it('holds everything while the queue or a category is paused', () => {
    const a = job('cpu');
    const b = job('gpu_encode');
    expect(run([a, b], { capacity: cap({ queuePaused: true }) }).waiting.get(a.id)).toBe('Queue is paused');
    const r = run([a, b], { capacity: cap({ pausedCategories: ['cpu'] }) });
    expect(startedIds(r)).toEqual([b.id]);
    expect(r.waiting.get(a.id)).toBe('cpu: category is paused');
  });

  it('schedules against the larger of the store view and the local view of usage', () => {
    const merged = maxUsage(usage({ cpu: 1, gpu_encode: 2 }, 100), usage({ cpu: 3 }, 8000));
    expect(merged).toEqual({ running: { cpu: 3, gpu_encode: 2, gpu_ai: 0 }, vramReservedMb: 8000 });
  });

  describe('the second read, for what fits (fittingRead)', () => {
    it('asks, per GPU category with a free slot, for as many fitting jobs as a lookahead, with the guard as a time', () => {
      expect(fittingRead(cap(), usage({ gpu_encode: 1 }, 4000), 100_000, 60_000)).toEqual({
        lookahead: { gpu_encode: 1 + 8, gpu_ai: 1 + 8 },
        vramBudgetMb: 16000,
        localReservedMb: 4000,
        starvingSince: 40_000,
      });
    });

    it('asks nothing where nothing reserves VRAM or nothing could start', () => {
      expect(fittingRead(cap({ vramBudgetMb: null }), EMPTY_USAGE, 1, 1)).toBeNull();
      expect(fittingRead(cap({ queuePaused: true }), EMPTY_USAGE, 1, 1)).toBeNull();
      expect(fittingRead(cap(), usage({ gpu_encode: 2, gpu_ai: 1 }), 1, 1)).toBeNull();
      // a category that encodes in software reserves nothing; a paused one starts nothing
      expect(fittingRead(cap({ gpuCategories: ['gpu_ai'] }), EMPTY_USAGE, 1, 1)?.lookahead).toEqual({ gpu_ai: 9 });
      expect(fittingRead(cap({ pausedCategories: ['gpu_ai'] }), EMPTY_USAGE, 1, 1)?.lookahead).toEqual({ gpu_encode: 10 });
    });
  });
});
