/**
 * The GPUs as the System page, the node record (heartbeat) and the metrics show them: telemetry
 * (nvidia-smi's per-GPU sample) joined by index with what the scheduler sees on each GPU
 * (reservations, jobs, NVENC cap and sessions, budget, why it takes no jobs). Pure.
 */
import type { SystemInfo } from '../../shared/contracts/system';
import type { NodeGpu } from '../core/fleet-ports';
import type { GpuSlotView } from './gpu-slots';

type SystemGpu = SystemInfo['gpus'][number];

export function withGpuPlacement(gpus: readonly SystemGpu[], views: readonly GpuSlotView[]): SystemGpu[] {
  if (views.length === 0) return gpus.map((g) => ({ ...g }));
  const byIndex = new Map(gpus.map((g) => [g.index, g]));
  return views.map((v) => {
    const seen = byIndex.get(v.index);
    return {
      ...(seen ?? { index: v.index, name: v.name, totalMb: v.totalMb, usedMb: v.usedMb, utilizationPercent: null, temperatureC: null }),
      uuid: v.uuid,
      encodeSupported: v.encodeSupported,
      nvencSessionCap: v.sessionCap,
      encoderSessions: v.encoderSessions,
      vramReservedMb: v.reservedMb,
      vramOthersMb: v.othersMb,
      jobsRunning: v.jobs,
      vramBudgetMb: v.budgetMb,
      blocked: v.blocked ?? null,
      // the per-GPU start-up probe (#18 item 1), where it ran
      ...(v.encodeCodecs ? { nvencCodecs: [...v.encodeCodecs], encodeRefusal: v.encodeRefusal ?? null } : {}),
      ...(v.decodeOnly ? { decodeOnly: true } : {}),
    };
  });
}

/** A GPU as the node record (heartbeat) keeps it. */
export function nodeGpuOf(g: NodeGpu | SystemGpu): NodeGpu {
  const { index, name, totalMb, usedMb } = g;
  const extra: Partial<Record<keyof NodeGpu, unknown>> = {};
  for (const key of NODE_GPU_EXTRAS) if (g[key] !== undefined) extra[key] = g[key];
  return { index, name, totalMb, usedMb, ...(extra as Partial<NodeGpu>) };
}

const NODE_GPU_EXTRAS = ['uuid', 'freeMb', 'driverVersion', 'encodeSupported', 'nvencSessionCap', 'encoderSessions', 'vramReservedMb', 'jobsRunning', 'vramBudgetMb', 'blocked'] as const;
