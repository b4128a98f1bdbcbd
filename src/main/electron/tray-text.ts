/**
 * What the system tray says, as a pure function of the queue statistics and pause state:
 * the icon state, a one-line status (also a disabled menu item, because many Linux desktops do
 * not show tray tooltips), the tooltip and the label of the pause/resume item.
 */
import type { QueueState, Stats } from '../../shared/contracts/job';

export type TrayState = 'idle' | 'running' | 'paused';

export interface TrayText {
  readonly state: TrayState;
  readonly statusLine: string;
  readonly vramLine: string;
  readonly tooltip: string;
  readonly pauseLabel: 'Pause queue' | 'Resume queue';
}

export const APP_TITLE = 'Media Job Control';

export function formatMegabytes(mb: number): string {
  if (mb < 1024) return `${Math.round(mb)} MB`;
  return `${(mb / 1024).toFixed(1)} GB`;
}

export function formatVram(usedMb: number, budgetMb: number | null): string {
  if (budgetMb === null) return usedMb > 0 ? `VRAM ${formatMegabytes(usedMb)} in use (no GPU budget)` : 'VRAM: no GPU budget';
  return `VRAM ${formatMegabytes(usedMb)} / ${formatMegabytes(budgetMb)}`;
}

type TrayStats = Pick<Stats, 'running' | 'pending' | 'queued' | 'failed' | 'totalVramUsed' | 'totalVramAvailable'>;

export function buildTrayText(stats: TrayStats, queue: Pick<QueueState, 'paused'>): TrayText {
  const waiting = stats.pending + stats.queued;
  const state: TrayState = queue.paused ? 'paused' : stats.running > 0 ? 'running' : 'idle';
  const counts = `${stats.running} running · ${waiting} pending · ${stats.failed} failed`;
  const statusLine = queue.paused ? `Queue paused — ${counts}` : counts;
  const vramLine = formatVram(stats.totalVramUsed, stats.totalVramAvailable);
  return {
    state,
    statusLine,
    vramLine,
    tooltip: `${APP_TITLE}\n${statusLine}\n${vramLine}`,
    pauseLabel: queue.paused ? 'Resume queue' : 'Pause queue',
  };
}

/** Shown before the first statistics arrive or when reading them failed. */
export function unavailableTrayText(reason: string): TrayText {
  return { state: 'idle', statusLine: reason, vramLine: '', tooltip: `${APP_TITLE}\n${reason}`, pauseLabel: 'Pause queue' };
}
