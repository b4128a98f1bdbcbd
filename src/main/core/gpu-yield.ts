/**
 * Yielding the GPU to the person at the machine (pure policy): from one reading of what uses the
 * GPU and what runs on the machine, decide whether this node's GPU jobs are held, and say why in
 * words the waiting jobs show ("held: obs is running").
 *
 * Our own processes never count: the processes this node's attempts run are left out by PID, and
 * encoder sessions are counted net of the ones our running GPU encodes hold.
 */
import type { GpuYieldSettings } from '../../shared/contracts/queue-control';

export interface SeenProcess {
  readonly pid: number;
  readonly name: string;
}

/** One look at the machine (GpuActivitySource). Null fields: that source could not be read (no nvidia-smi). */
export interface GpuActivityReading {
  /** Processes of the configured names that run now (from the process table). */
  readonly namedProcesses: readonly SeenProcess[];
  /** Processes the GPU driver lists as using the encoder (nvidia-smi pmon), or null when unknown. */
  readonly encoderProcesses: readonly SeenProcess[] | null;
  /** Encoder sessions open on the GPU (encoder.stats.sessionCount), or null when unknown. */
  readonly encoderSessions: number | null;
}

export interface OwnGpuUse {
  /** PIDs of the processes this node's attempts run. */
  readonly pids: ReadonlySet<number>;
  /** Encoder sessions our running GPU encodes may hold (at most one per running gpu_encode job). */
  readonly encoderSessions: number;
}

/** /proc/<pid>/comm holds at most 15 characters of a process's name. */
export const COMM_LENGTH = 15;

/** Whether a process table name matches a configured one (case-insensitive, comm's truncation allowed for). */
export function matchesName(seen: string, configured: string): boolean {
  const a = seen.toLowerCase();
  const b = configured.toLowerCase();
  return a === b || (a.length === COMM_LENGTH && b.startsWith(a));
}

/** Why GPU jobs are held now, or null when they are not. */
export function gpuHoldReason(reading: GpuActivityReading, settings: GpuYieldSettings, ours: OwnGpuUse): string | null {
  if (!settings.enabled) return null;
  const named = reading.namedProcesses.filter((p) => !ours.pids.has(p.pid));
  if (named.length > 0) {
    const names = [...new Set(named.map((p) => p.name))];
    return `held: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} running`;
  }
  if (!settings.watchEncoder) return null;
  const encoders = (reading.encoderProcesses ?? []).filter((p) => !ours.pids.has(p.pid));
  if (encoders.length > 0) {
    const names = [...new Set(encoders.map((p) => p.name))];
    return `held: ${names.join(', ')} ${names.length === 1 ? 'uses' : 'use'} the GPU encoder`;
  }
  // the process list may miss a session (another container, a driver that hides PIDs): the count does not
  const others = (reading.encoderSessions ?? 0) - ours.encoderSessions;
  if (others > 0) return `held: another program uses the GPU encoder (${others} session${others === 1 ? '' : 's'})`;
  return null;
}
