/**
 * What the system tray says, as a pure function of the queue statistics and pause state:
 * the icon state, a one-line status (also a disabled menu item, because many Linux desktops do
 * not show tray tooltips), the running jobs with their progress, the last failure, a short
 * tooltip (some desktops cut it after one line) and the labels of the pause/resume and drain items.
 * A failure notified since the window was last opened shows as the 'failed' state (a badge icon).
 */
import type { QueueState, Stats } from '../../shared/contracts/job';

export type TrayState = 'idle' | 'running' | 'paused' | 'failed';

export interface TrayText {
  readonly state: TrayState;
  readonly statusLine: string;
  readonly vramLine: string;
  readonly tooltip: string;
  readonly pauseLabel: 'Pause queue' | 'Resume queue';
  /** One line per running job: type and progress. */
  readonly jobLines: readonly string[];
  readonly lastFailureLine: string | null;
  /** The drain item: null while a drain is on (resume ends it). */
  readonly drainLabel: 'Drain queue' | null;
}

export interface TrayExtras {
  readonly running?: readonly { readonly type: string; readonly progress: number }[];
  readonly lastFailure?: { readonly title: string } | null;
  /** A failure was notified and the window not opened since. */
  readonly alert?: boolean;
  readonly drain?: 'off' | 'draining' | 'drained';
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

export function buildTrayText(stats: TrayStats, queue: Pick<QueueState, 'paused'>, extras: TrayExtras = {}): TrayText {
  const waiting = stats.pending + stats.queued;
  const state: TrayState = extras.alert ? 'failed' : queue.paused ? 'paused' : stats.running > 0 ? 'running' : 'idle';
  const counts = `${stats.running} running · ${waiting} pending · ${stats.failed} failed`;
  const statusLine = queue.paused ? `Queue paused — ${counts}` : counts;
  const vramLine = formatVram(stats.totalVramUsed, stats.totalVramAvailable);
  return {
    state,
    statusLine,
    vramLine,
    tooltip: `${APP_TITLE}: ${stats.running} running · ${waiting} waiting${extras.alert ? ' · a job failed' : queue.paused ? ' · paused' : ''}`,
    pauseLabel: queue.paused ? 'Resume queue' : 'Pause queue',
    jobLines: (extras.running ?? []).map((j) => `${j.type} — ${Math.round(j.progress)} %`),
    lastFailureLine: extras.lastFailure ? `Last failure: ${shorten(extras.lastFailure.title, 60)}` : null,
    drainLabel: extras.drain && extras.drain !== 'off' ? null : 'Drain queue',
  };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Shown before the first statistics arrive or when reading them failed. */
export function unavailableTrayText(reason: string): TrayText {
  return { state: 'idle', statusLine: reason, vramLine: '', tooltip: `${APP_TITLE}: ${reason}`, pauseLabel: 'Pause queue', jobLines: [], lastFailureLine: null, drainLabel: 'Drain queue' };
}
