/**
 * What one node can run: per-category slot limits and a VRAM budget, plus what is in use now.
 * A null VRAM budget means "no GPU here and none declared": GPU-category jobs still run (they
 * encode in software), reserve no VRAM, and are limited by their slots only.
 */
import type { ResourceCategory } from '../../shared/domain/statuses';
import { maxGpuUsage, type GpuSlot, type GpuUsage } from './gpu-placement';

export type CategoryLimits = Readonly<Record<ResourceCategory, number>>;

export const DEFAULT_CATEGORY_LIMITS: CategoryLimits = { cpu: 5, gpu_encode: 2, gpu_ai: 1 };

export interface NodeCapacity {
  readonly limits: CategoryLimits;
  readonly vramBudgetMb: number | null;
  /**
   * Categories whose work really runs on this node's GPU. A category missing here (e.g.
   * gpu_encode on a node whose hardware encoders all failed their probe, so it encodes in
   * software) reserves no VRAM. Absent: both GPU categories.
   */
  readonly gpuCategories?: readonly ResourceCategory[];
  readonly queuePaused: boolean;
  /** Why the whole queue is paused when it is not a plain pause (a drain); shown as the waiting reason. */
  readonly queuePausedReason?: string;
  readonly pausedCategories: readonly ResourceCategory[];
  /**
   * Categories closed for new starts on this node, with the waiting reason (outside a time window,
   * GPU held for the person at the machine). Running jobs are not affected.
   */
  readonly closedCategories?: Readonly<Partial<Record<ResourceCategory, string>>>;
  /**
   * The node's GPUs one by one (gpu-placement.ts): each GPU job is placed on one of them. Absent or
   * empty: one node-wide budget (vramBudgetMb), today's behaviour. When present, vramBudgetMb is
   * their budgets' sum.
   */
  readonly gpus?: readonly GpuSlot[];
}

export interface NodeUsage {
  readonly running: Readonly<Record<ResourceCategory, number>>;
  readonly vramReservedMb: number;
  /** Per GPU index, what live jobs placed there hold (jobs without a GPU are not in it). */
  readonly gpus?: GpuUsage;
}

export const EMPTY_USAGE: NodeUsage = { running: { cpu: 0, gpu_encode: 0, gpu_ai: 0 }, vramReservedMb: 0 };

/** The categories whose work can run on a GPU (and so may reserve VRAM). */
export const GPU_CATEGORIES: readonly ResourceCategory[] = ['gpu_encode', 'gpu_ai'];

/** VRAM a job reserves on this node: nothing where there is no GPU, or where its category's work runs on the CPU. */
export function vramToReserve(vramRequired: number, category: ResourceCategory, capacity: Pick<NodeCapacity, 'vramBudgetMb' | 'gpuCategories'>): number {
  if (capacity.vramBudgetMb === null) return 0;
  return (capacity.gpuCategories ?? GPU_CATEGORIES).includes(category) ? vramRequired : 0;
}

/**
 * The larger of two views of what runs: the store's (jobs marked running) and the process's own
 * (attempts whose process has not exited yet, e.g. a cancelled encode still shutting down).
 * Scheduling against the larger one keeps limits true even during such windows.
 */
export function maxUsage(a: NodeUsage, b: NodeUsage): NodeUsage {
  return {
    running: {
      cpu: Math.max(a.running.cpu, b.running.cpu),
      gpu_encode: Math.max(a.running.gpu_encode, b.running.gpu_encode),
      gpu_ai: Math.max(a.running.gpu_ai, b.running.gpu_ai),
    },
    vramReservedMb: Math.max(a.vramReservedMb, b.vramReservedMb),
    ...((a.gpus ?? b.gpus) ? { gpus: maxGpuUsage(a.gpus, b.gpus)! } : {}),
  };
}
