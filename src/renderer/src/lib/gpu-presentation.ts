/**
 * What one GPU row says (System page and dashboard, #18): VRAM split into what our jobs reserve,
 * what other programs hold and what is free, NVENC sessions against the card's cap, and whether it
 * takes jobs. Pure, so the wording is tested once for both pages. Fields of the per-GPU inventory
 * are optional (a node without nvidia-smi, or an older node in a fleet): each part says only what
 * it knows.
 */
import type { SystemInfo } from '../../../shared/contracts/system';
import { formatMegabytes } from './format';

export type GpuInfo = SystemInfo['gpus'][number];

export interface GpuVram {
  readonly totalMb: number;
  /** Reserved by our live jobs on this GPU (null: the node places no jobs per GPU). */
  readonly reservedMb: number | null;
  /** Held by other programs (null: not known; then `usedMb` is all that is known). */
  readonly othersMb: number | null;
  readonly usedMb: number;
  readonly freeMb: number;
  /** Percentages of the total for a stacked bar. */
  readonly reservedPct: number;
  readonly othersPct: number;
  readonly usedPct: number;
}

const pct = (part: number, total: number) => (total > 0 ? Math.min(100, Math.max(0, (part / total) * 100)) : 0);

export function gpuVram(gpu: GpuInfo): GpuVram {
  const reservedMb = gpu.vramReservedMb ?? null;
  const othersMb = gpu.vramOthersMb ?? null;
  const freeMb = gpu.freeMb ?? Math.max(0, gpu.totalMb - gpu.usedMb);
  const reservedPct = pct(reservedMb ?? 0, gpu.totalMb);
  return {
    totalMb: gpu.totalMb,
    reservedMb,
    othersMb,
    usedMb: gpu.usedMb,
    freeMb,
    reservedPct,
    // the two sections never draw past the bar's end
    othersPct: Math.min(100 - reservedPct, pct(othersMb ?? 0, gpu.totalMb)),
    usedPct: pct(gpu.usedMb, gpu.totalMb),
  };
}

/** "2.0 GB reserved · 1.5 GB used by others · 20.1 GB free of 24.0 GB", or "used of total" without placement. */
export function gpuVramText(v: GpuVram): string {
  if (v.reservedMb === null) return `${formatMegabytes(v.usedMb)} used · ${formatMegabytes(v.freeMb)} free of ${formatMegabytes(v.totalMb)}`;
  const others = v.othersMb === null ? '' : ` · ${formatMegabytes(v.othersMb)} used by others`;
  return `${formatMegabytes(v.reservedMb)} reserved${others} · ${formatMegabytes(v.freeMb)} free of ${formatMegabytes(v.totalMb)}`;
}

/** NVENC sessions against the cap; null when the node says nothing about encoding on this GPU. */
export function gpuSessionsText(gpu: GpuInfo): string | null {
  // no NVENC on the card (H100/H200 class) or its start-up probe failed there
  if (gpu.encodeSupported === false) return 'NVENC not usable here (encodes run in software)';
  if (gpu.encodeSupported === undefined && gpu.encoderSessions == null) return null;
  const sessions = gpu.encoderSessions ?? 0;
  return gpu.nvencSessionCap == null ? `${sessions} NVENC sessions (no cap)` : `${sessions} of ${gpu.nvencSessionCap} NVENC sessions`;
}

/** Whether the GPU's NVENC sessions are all taken (the row shows it in red). */
export function gpuSessionsFull(gpu: GpuInfo): boolean {
  return gpu.encodeSupported !== false && gpu.nvencSessionCap != null && (gpu.encoderSessions ?? 0) >= gpu.nvencSessionCap;
}

/** "1 job" / "3 jobs"; null when the node does not place jobs per GPU. */
export function gpuJobsText(jobs: number | null | undefined): string | null {
  if (jobs === null || jobs === undefined) return null;
  return jobs === 1 ? '1 job' : `${jobs} jobs`;
}

/** A card's name without the vendor and consumer-line words a small badge has no room for ("NVIDIA GeForce RTX 4090" → "RTX 4090"). */
export function shortGpuName(name: string): string {
  return name.replace(/^NVIDIA\s+/i, '').replace(/^GeForce\s+/i, '') || name;
}

/** A job's GPU as its tile names it: "GPU 1 · RTX 4090" (the name when the node's inventory has it). */
export function gpuLabel(index: number, gpus: readonly Pick<GpuInfo, 'index' | 'name'>[] | null | undefined): string {
  const name = gpus?.find((g) => g.index === index)?.name;
  return name ? `GPU ${index} · ${shortGpuName(name)}` : `GPU ${index}`;
}
