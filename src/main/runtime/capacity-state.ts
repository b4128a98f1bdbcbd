/**
 * This node's capacity as the scheduler sees it: configured limits, the queue's pause flags (kept
 * in the store so they survive a restart) and the VRAM budget from telemetry or configuration.
 */
import type { ResourceCategory } from '../../shared/domain/statuses';
import type { CategoryLimits, NodeCapacity } from '../core/capacity';
import type { JobStore, QueueFlags } from '../core/ports';
import { computeVramBudget, type GpuMemoryReading } from '../core/vram-budget';
import type { GpuUsage } from '../core/gpu-placement';
import type { GpuSlots, GpuSlotView } from './gpu-slots';
import { ReadOrder } from './read-order';

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
  private readonly flagReads = new ReadOrder();
  /** This node's flag changes, one at a time: their answers then come in the order the store applied them. */
  private flagChanges: Promise<unknown> = Promise.resolve();
  private lastOthersMb = 0;
  private reservedByUsMb = 0;

  constructor(
    private readonly store: JobStore,
    private limits: CategoryLimits,
    private readonly declaredVramMb: number | null,
    private headroomMb: number,
    private readonly gpu: GpuReadingSource,
    private readonly gpuWork: () => GpuWorkProfile = () => DEFAULT_GPU_WORK,
    /** The node's GPUs one by one (nvidia-smi inventory); used unless a VRAM budget is declared. */
    private readonly perGpu: GpuSlots | null = null,
  ) {}

  /** Whether jobs are placed per GPU: an inventory with GPUs and no declared node-wide budget. */
  get perGpuPlacement(): boolean {
    return this.declaredVramMb === null && this.perGpu !== null && this.perGpu.hasGpus;
  }

  /** Each GPU's state (System page, metrics, node record); [] without per-GPU placement. */
  gpuViews(): GpuSlotView[] {
    return this.perGpuPlacement ? this.perGpu!.views(this.headroomMb) : [];
  }

  /**
   * Re-reads the queue flags. Reads overlap (the fleet's poll and a 'flags' wake-up, each on its own
   * pooled connection) and may answer out of order: a read is applied only when no read issued after
   * it (nor a write of this node) was applied first, so a stale answer never undoes a pause.
   */
  async load(): Promise<void> {
    const read = this.flagReads.issue();
    const flags = await this.store.getQueueFlags();
    if (this.flagReads.take(read)) this.flags = flags;
  }

  /** Live settings (PUT /api/media/settings): new limits and VRAM headroom, used from the next claim on. */
  reconfigure(limits: CategoryLimits, headroomMb: number): void {
    this.limits = { ...limits };
    this.headroomMb = headroomMb;
  }

  /** Told by the runtime whenever reservations change, so the budget estimate stays conservative. */
  setReservedByUs(mb: number, gpus?: GpuUsage): void {
    this.reservedByUsMb = mb;
    this.perGpu?.setUsage(gpus);
  }

  vramBudgetMb(): number | null {
    if (this.perGpuPlacement) return this.perGpu!.slots(this.headroomMb).reduce((sum, g) => sum + g.budgetMb, 0);
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
    const gpus = this.perGpuPlacement ? this.perGpu!.slots(this.headroomMb) : [];
    return {
      limits: this.categoryLimits(),
      gpuCategories: work.gpuCategories,
      ...(gpus.length > 0 ? { gpus, vramBudgetMb: gpus.reduce((sum, g) => sum + g.budgetMb, 0) } : { vramBudgetMb: this.vramBudgetMb() }),
      queuePaused: this.flags.queuePaused,
      pausedCategories: this.flags.pausedCategories,
    };
  }

  get queueFlags(): QueueFlags {
    return this.flags;
  }

  /** The configured limits, with gpu_encode capped by NVENC's session limit where it applies. */
  categoryLimits(): CategoryLimits {
    // per GPU, each card's own NVENC session cap applies at placement instead
    const cap = this.perGpuPlacement ? null : this.gpuWork().gpuEncodeCap;
    return cap === null ? this.limits : { ...this.limits, gpu_encode: Math.min(this.limits.gpu_encode, cap) };
  }

  /** Pauses or resumes the queue (or one category) in the store, which applies it to the flags stored now: another node's change is kept. */
  async setPaused(paused: boolean, category?: ResourceCategory): Promise<void> {
    // two changes at once on separate pooled connections could answer out of order, the older
    // flags last; one after the other, the last answer holds every change this node made
    const change = this.flagChanges.then(async () => {
      const stored = await this.store.changeQueueFlags(category ? { paused, category } : { paused });
      // newer than any read still in flight (one that overlapped the change may have read the flags before it)
      this.flagReads.supersede();
      this.flags = stored;
    });
    this.flagChanges = change.catch(() => {});
    return change;
  }
}
