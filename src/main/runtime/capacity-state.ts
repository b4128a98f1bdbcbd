/**
 * This node's capacity as the scheduler sees it: configured limits, the queue's pause flags (kept
 * in the store so they survive a restart) and the VRAM budget from telemetry or configuration.
 */
import type { ResourceCategory } from '../../shared/domain/statuses';
import type { CategoryLimits, NodeCapacity } from '../core/capacity';
import type { JobStore, QueueFlags } from '../core/ports';
import { computeVramBudget, type GpuMemoryReading } from '../core/vram-budget';

export interface GpuReadingSource {
  /** The GPU jobs are placed on, or null when there is none. */
  current(): GpuMemoryReading | null;
}

export const noGpu: GpuReadingSource = { current: () => null };

/** What this node's GPU really does, from the encoder probe at start-up. */
export interface GpuWorkProfile {
  /** Categories whose work runs on the GPU here (gpu_encode is absent when only libx264 works). */
  readonly gpuCategories: readonly ResourceCategory[];
  /** A cap on concurrent gpu_encode jobs on top of the configured limit (NVENC's session limit), or null. */
  readonly gpuEncodeCap: number | null;
}

export const DEFAULT_GPU_WORK: GpuWorkProfile = { gpuCategories: ['gpu_encode', 'gpu_ai'], gpuEncodeCap: null };

export class CapacityState {
  private flags: QueueFlags = { queuePaused: false, pausedCategories: [] };
  private lastOthersMb = 0;
  private reservedByUsMb = 0;

  constructor(
    private readonly store: JobStore,
    private readonly limits: CategoryLimits,
    private readonly declaredVramMb: number | null,
    private readonly headroomMb: number,
    private readonly gpu: GpuReadingSource,
    private readonly gpuWork: () => GpuWorkProfile = () => DEFAULT_GPU_WORK,
  ) {}

  async load(): Promise<void> {
    this.flags = await this.store.getQueueFlags();
  }

  /** Told by the runtime whenever reservations change, so the budget estimate stays conservative. */
  setReservedByUs(mb: number): void {
    this.reservedByUsMb = mb;
  }

  vramBudgetMb(): number | null {
    const { budgetMb, othersMb } = computeVramBudget({
      declaredMb: this.declaredVramMb,
      gpu: this.gpu.current(),
      reservedByUsMb: this.reservedByUsMb,
      lastOthersMb: this.lastOthersMb,
      headroomMb: this.headroomMb,
    });
    this.lastOthersMb = othersMb;
    return budgetMb;
  }

  snapshot(): NodeCapacity {
    const work = this.gpuWork();
    return {
      limits: this.categoryLimits(),
      gpuCategories: work.gpuCategories,
      vramBudgetMb: this.vramBudgetMb(),
      queuePaused: this.flags.queuePaused,
      pausedCategories: this.flags.pausedCategories,
    };
  }

  get queueFlags(): QueueFlags {
    return this.flags;
  }

  /** The configured limits, with gpu_encode capped by NVENC's session limit where it applies. */
  categoryLimits(): CategoryLimits {
    const cap = this.gpuWork().gpuEncodeCap;
    return cap === null ? this.limits : { ...this.limits, gpu_encode: Math.min(this.limits.gpu_encode, cap) };
  }

  async setPaused(paused: boolean, category?: ResourceCategory): Promise<void> {
    const current = this.flags;
    const next: QueueFlags = category
      ? {
          queuePaused: current.queuePaused,
          pausedCategories: paused
            ? [...new Set([...current.pausedCategories, category])]
            : current.pausedCategories.filter((c) => c !== category),
        }
      : { queuePaused: paused, pausedCategories: current.pausedCategories };
    await this.store.setQueueFlags(next);
    this.flags = next;
  }
}
