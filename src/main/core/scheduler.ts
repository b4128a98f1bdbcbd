/**
 * The scheduler: given a node's capacity, what it runs now and the best-ranked waiting jobs of
 * each category, decide which jobs start and why the others wait. Pure and synchronous, so a
 * store can call it inside the transaction that claims the jobs (the capacity check and the
 * claim are one atomic step).
 *
 * Rules:
 * - Rank is priority (1 first), then FIFO (seq).
 * - No head-of-line blocking: every candidate is considered; a job that cannot start does not
 *   stop later ones of other categories, or smaller ones of its own. The store shows it the
 *   best-ranked candidates (candidateLookahead) and, however deep they rank, the best-ranked ones
 *   that fit the free VRAM (fittingRead), so a small job is never hidden behind big ones.
 * - No starvation of big jobs: once a job has waited for VRAM longer than `starvationGuardMs`,
 *   the VRAM it needs is held for it; lower-ranked jobs may only use what is left beyond that.
 * - A category closed on this node (outside its time window, GPU held for the user: closedCategories)
 *   starts nothing; its jobs wait with the closing reason.
 * - Every job that does not start gets a human-readable waiting reason.
 */
import type { ResourceCategory } from '../../shared/domain/statuses';
import { RESOURCE_CATEGORIES } from '../../shared/domain/statuses';
import { GPU_CATEGORIES, vramToReserve, type NodeCapacity, type NodeUsage } from './capacity';
import type { FittingRead } from './ports';
import { addToGpu, encodesInSoftwareHere, placeOnGpu, type GpuSlot, type GpuUse } from './gpu-placement';

export interface Candidate {
  readonly id: string;
  readonly seq: number;
  readonly category: ResourceCategory;
  readonly priority: number;
  readonly vramRequired: number;
  /** When the job last became eligible to run (created, resumed, retried), epoch ms. */
  readonly waitingSince: number;
  /** The GPU index the job asked for (params.gpu); per-GPU nodes only. */
  readonly gpu?: number | null;
  /** A GPU name substring the job asked for (params.gpuModel); per-GPU nodes only. */
  readonly gpuModel?: string | null;
  /** The codec an encode writes (params.codec); placement needs a GPU whose NVENC passed for it. */
  readonly codec?: string | null;
  /** False for an encode whose job type does not decode on the GPU (gpu-placement.ts decodesOnGpu); absent: it does. */
  readonly decodesOnGpu?: boolean;
  /** True for a job type that always encodes in software (gpu-placement.ts SOFTWARE_ENCODE_JOB_TYPES). */
  readonly softwareOnly?: boolean;
}

export interface ScheduleInput {
  readonly capacity: NodeCapacity;
  readonly usage: NodeUsage;
  /** Candidates of each category, any order; the scheduler ranks them. */
  readonly candidates: readonly Candidate[];
  readonly now: number;
  readonly starvationGuardMs: number;
}

export interface StartDecision {
  readonly candidate: Candidate;
  readonly vramReservedMb: number;
  /** The GPU the job is placed on (per-GPU nodes, GPU work only). */
  readonly gpu?: { readonly index: number; readonly uuid: string | null };
}

export interface ScheduleResult {
  readonly start: StartDecision[];
  readonly waiting: Map<string, string>;
}

export function rankCompare(a: Candidate, b: Candidate): number {
  return a.priority - b.priority || a.seq - b.seq;
}

export function schedule(input: ScheduleInput): ScheduleResult {
  const { capacity, usage, now, starvationGuardMs } = input;
  const ranked = [...input.candidates].sort(rankCompare);
  const start: StartDecision[] = [];
  const waiting = new Map<string, string>();

  if (capacity.queuePaused) {
    for (const c of ranked) waiting.set(c.id, capacity.queuePausedReason ?? 'Queue is paused');
    return { start, waiting };
  }

  const running: Record<ResourceCategory, number> = { ...usage.running };
  const budget = capacity.vramBudgetMb;
  let vramFree = budget === null ? Number.POSITIVE_INFINITY : budget - usage.vramReservedMb;
  /** VRAM held for starving jobs ranked above the one being considered. */
  let vramHeld = 0;
  const gpus: readonly GpuSlot[] = capacity.gpus ?? [];
  const gpuUse: Record<number, GpuUse> = { ...usage.gpus };
  const gpuWork = capacity.gpuCategories ?? GPU_CATEGORIES;

  for (const c of ranked) {
    if (capacity.pausedCategories.includes(c.category)) {
      waiting.set(c.id, `${c.category}: category is paused`);
      continue;
    }
    const closed = capacity.closedCategories?.[c.category];
    if (closed !== undefined) {
      waiting.set(c.id, closed);
      continue;
    }
    const limit = capacity.limits[c.category];
    if (running[c.category] >= limit) {
      waiting.set(c.id, limit === 0 ? `${c.category}: no slots on this node (limit 0)` : `${c.category}: ${running[c.category]} of ${limit} slots busy`);
      continue;
    }
    // an encode that no GPU here could ever take (encode-only on decode-only cards, a codec no card's
    // NVENC passed, a segmented encode's software chunks) runs in software: no GPU, no VRAM, no session
    const software = encodesInSoftwareHere(gpus, { category: c.category, needMb: 0, gpu: c.gpu ?? null, gpuModel: c.gpuModel ?? null, codec: c.codec ?? null, ...(c.decodesOnGpu === false ? { decodesOnGpu: false } : {}), ...(c.softwareOnly === true ? { softwareOnly: true } : {}) });
    const need = software ? 0 : vramToReserve(c.vramRequired, c.category, capacity);
    // per GPU, the GPUs' own checks say why a job does not fit (naming each GPU); only the VRAM held
    // for a starving job is decided node-wide
    const perGpu = gpus.length > 0 && gpuWork.includes(c.category) && !software;
    if (!perGpu && budget !== null && need > budget) {
      waiting.set(c.id, `needs ${need} MB VRAM, more than the whole budget of ${budget} MB`);
      continue;
    }
    if (need > 0 && need > vramFree - vramHeld && (!perGpu || need <= vramFree)) {
      waiting.set(c.id, vramWaitReason(need, Math.max(0, vramFree), vramHeld));
      if (now - c.waitingSince >= starvationGuardMs) vramHeld += need;
      continue;
    }
    if (perGpu) {
      const placed = placeOnGpu(gpus, gpuUse, { category: c.category, needMb: need, gpu: c.gpu ?? null, gpuModel: c.gpuModel ?? null, codec: c.codec ?? null, ...(c.decodesOnGpu === false ? { decodesOnGpu: false } : {}) });
      if ('reason' in placed) {
        waiting.set(c.id, placed.reason);
        if (need > 0 && now - c.waitingSince >= starvationGuardMs) vramHeld += need;
        continue;
      }
      addToGpu(gpuUse, placed.gpu.index, c.category, need);
      start.push({ candidate: c, vramReservedMb: need, gpu: { index: placed.gpu.index, uuid: placed.gpu.uuid } });
    } else {
      start.push({ candidate: c, vramReservedMb: need });
    }
    running[c.category] += 1;
    vramFree -= need;
  }
  return { start, waiting };
}

function vramWaitReason(need: number, free: number, held: number): string {
  if (need > free) return `needs ${need} MB VRAM, ${free} MB free`;
  return `needs ${need} MB VRAM, ${free} MB free but ${held} MB held for a job that has waited longer`;
}

/**
 * How many candidates per category are worth looking at: enough to fill every slot free of what
 * `used` runs (the store's view may count more, never fewer: see maxUsage), plus some to explain
 * waits and to start past a job that does not fit (VRAM) without blocking the line. A busy node
 * asks for a few rows instead of its whole limit again.
 */
export function candidateLookahead(capacity: NodeCapacity, used?: NodeUsage, extra = 8): Record<ResourceCategory, number> {
  const out = {} as Record<ResourceCategory, number>;
  for (const cat of RESOURCE_CATEGORIES) out[cat] = Math.max(0, capacity.limits[cat] - (used?.running[cat] ?? 0)) + extra;
  return out;
}

/**
 * The claim's second read (see FittingRead): for each category whose jobs reserve VRAM on this node
 * and that has a free slot, as many jobs that fit as a lookahead would read. Null when there is no
 * VRAM budget (nothing reserves VRAM), the queue is paused, or no such category has a free slot.
 */
export function fittingRead(capacity: NodeCapacity, local: NodeUsage, now: number, starvationGuardMs: number, extra = 8): FittingRead | null {
  if (capacity.vramBudgetMb === null || capacity.queuePaused) return null;
  const lookahead: Partial<Record<ResourceCategory, number>> = {};
  for (const category of GPU_CATEGORIES) {
    const free = capacity.limits[category] - local.running[category];
    if (free <= 0 || capacity.pausedCategories.includes(category) || capacity.closedCategories?.[category] !== undefined || vramToReserve(1, category, capacity) === 0) continue;
    lookahead[category] = free + extra;
  }
  if (Object.keys(lookahead).length === 0) return null;
  return { lookahead, vramBudgetMb: capacity.vramBudgetMb, localReservedMb: local.vramReservedMb, starvingSince: now - starvationGuardMs };
}
