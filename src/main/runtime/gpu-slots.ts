/**
 * The node's GPUs as the scheduler sees them (core/gpu-placement.ts GpuSlot), from the per-GPU
 * inventory (nvidia-smi) and what our live jobs hold on each GPU:
 *
 * - budget = total − headroom − other programs' use. Other programs' use is exact while none of
 *   our jobs reserve anything on that GPU (used); while they do, it is estimated conservatively
 *   (never below the last exact reading, never below used − our reservations), so our jobs'
 *   growth is never taken for free memory (the node-wide rule of core/vram-budget.ts, per GPU).
 * - a GPU whose budget has dropped under its reservations (another program grew into them) is
 *   blocked with the reason, and takes no new jobs until it frees (VRAM truth).
 * - NVENC: encode support and session cap by card class (core/gpu-classes.ts, MEDIA_NVENC_SESSIONS),
 *   and other programs' sessions = the card's open sessions − our encodes placed there.
 */
import { nvencProfile } from '../core/gpu-classes';
import { gpuBlockedReason, gpuOvercommittedReason, NO_GPU_USE, type GpuEncodeSupport, type GpuSlot, type GpuUsage } from '../core/gpu-placement';
import type { GpuInventory, NvidiaGpu } from '../system/nvidia-gpus';

export interface GpuSlotsOptions {
  /** MEDIA_NVENC_SESSIONS: the session cap of every card with NVENC; null: by card class. */
  readonly nvencSessions: number | null;
  /** The start-up probe per GPU index (processors/media/gpu-probe.ts): it overrides the card class. */
  readonly encodeSupport?: () => ReadonlyMap<number, GpuEncodeSupport>;
}

/** One GPU's state for the System page, metrics and the node record. */
export interface GpuSlotView extends GpuSlot {
  readonly totalMb: number;
  readonly usedMb: number;
  readonly reservedMb: number;
  readonly jobs: number;
  readonly encoderSessions: number;
  readonly othersMb: number;
}

export class GpuSlots {
  private readonly lastOthers = new Map<number, number>();
  private usage: GpuUsage = {};
  private readonly ourPids = new Set<number>();
  private usageSource: (() => GpuUsage | undefined) | null = null;

  constructor(
    private readonly inventory: GpuInventory,
    private readonly options: GpuSlotsOptions,
  ) {}

  /** Told at every claim what this process's live jobs hold per GPU. */
  setUsage(usage: GpuUsage | undefined): void {
    this.usage = usage ?? {};
  }

  /** Where the live usage comes from between claims (the dispatcher's attempts), for the views. */
  setUsageSource(source: () => GpuUsage | undefined): void {
    this.usageSource = source;
  }

  get hasGpus(): boolean {
    return this.inventory.gpus().length > 0;
  }

  /** Every GPU's state now, with `headroomMb` kept free on each. */
  views(headroomMb: number): GpuSlotView[] {
    if (this.usageSource) this.usage = this.usageSource() ?? {};
    return this.inventory.gpus().map((gpu) => this.view(gpu, headroomMb));
  }

  /** The slots for the next claim. */
  slots(headroomMb: number): GpuSlot[] {
    return this.views(headroomMb).map(({ index, uuid, name, budgetMb, encodeSupported, sessionCap, otherSessions, blocked, encodeCodecs, decodeOnly, encodeRefusal }) => ({
      index,
      uuid,
      name,
      budgetMb,
      encodeSupported,
      sessionCap,
      otherSessions,
      ...(blocked ? { blocked } : {}),
      ...(encodeCodecs ? { encodeCodecs } : {}),
      ...(decodeOnly ? { decodeOnly } : {}),
      ...(encodeRefusal ? { encodeRefusal } : {}),
    }));
  }

  /** Our tools' processes (their GPU use is ours, not other programs'). */
  processStarted(pid: number): void {
    this.ourPids.add(pid);
  }

  processEnded(pid: number): void {
    this.ourPids.delete(pid);
  }

  private view(gpu: NvidiaGpu, headroomMb: number): GpuSlotView {
    const use = this.usage[gpu.index] ?? NO_GPU_USE;
    const { othersMb, blocked } = this.inventory.processesKnown === true && gpu.uuid !== null ? this.measured(gpu, use.reservedMb) : this.estimated(gpu, use.reservedMb, headroomMb);
    this.lastOthers.set(gpu.index, othersMb);
    const budgetMb = Math.max(0, gpu.totalMb - othersMb - headroomMb);
    const profile = nvencProfile(gpu.name, this.options.nvencSessions);
    const probed = this.options.encodeSupport?.().get(gpu.index);
    // what the probe saw on this card beats its class; the class still gives the session cap
    const nvenc = probed ? probed.nvencCodecs.length > 0 : profile.encodeSupported;
    const decodeOnly = probed !== undefined && !nvenc && probed.decodeOnly;
    return {
      index: gpu.index,
      uuid: gpu.uuid,
      name: gpu.name,
      budgetMb,
      encodeSupported: nvenc || decodeOnly,
      // no NVENC: 0 sessions (a decode-only card uses none); NVENC the class said it lacks: the cap of a card with no class
      sessionCap: !nvenc ? (decodeOnly ? null : 0) : profile.encodeSupported ? profile.sessionCap : nvencProfile('', this.options.nvencSessions).sessionCap,
      ...(probed ? { encodeCodecs: probed.nvencCodecs } : {}),
      ...(decodeOnly ? { decodeOnly } : {}),
      ...(probed && !nvenc && probed.nvencFailure ? { encodeRefusal: probed.nvencFailure } : {}),
      otherSessions: Math.max(0, (gpu.encoderSessions ?? 0) - use.encodes),
      ...(blocked ? { blocked } : {}),
      totalMb: gpu.totalMb,
      usedMb: gpu.usedMb,
      reservedMb: use.reservedMb,
      jobs: use.jobs,
      encoderSessions: gpu.encoderSessions ?? use.encodes,
      othersMb,
    };
  }

  /** Per-process telemetry: other programs' use is exact; free VRAM is checked against what our jobs have yet to take. */
  private measured(gpu: NvidiaGpu, reservedMb: number): { othersMb: number; blocked: string | undefined } {
    let oursMb = 0;
    for (const p of this.inventory.processes?.() ?? []) if (p.gpuUuid === gpu.uuid && this.ourPids.has(p.pid)) oursMb += p.usedMb;
    const othersMb = Math.max(0, gpu.usedMb - oursMb);
    const freeMb = gpu.freeMb ?? gpu.totalMb - gpu.usedMb;
    return { othersMb, blocked: gpuOvercommittedReason(gpu.index, freeMb, Math.max(0, reservedMb - oursMb), othersMb) };
  }

  /** Without it: other programs' use estimated conservatively (never below the last exact reading). */
  private estimated(gpu: NvidiaGpu, reservedMb: number, headroomMb: number): { othersMb: number; blocked: string | undefined } {
    const othersNow = Math.max(0, gpu.usedMb - reservedMb);
    const othersMb = reservedMb === 0 ? gpu.usedMb : Math.max(this.lastOthers.get(gpu.index) ?? 0, othersNow);
    return { othersMb, blocked: gpuBlockedReason(gpu.index, Math.max(0, gpu.totalMb - othersMb - headroomMb), reservedMb, othersMb) };
  }
}
