/**
 * The system-tray status: icon by state (idle / running / paused / failed), a short tooltip and a
 * menu with the live counts, the running jobs with progress, the last failure, open window,
 * pause/resume and drain the queue, and quit. Refreshed shortly after runtime events and every few
 * seconds (VRAM use moves without job events). A failure notification (desktop-notifications.ts)
 * badges the icon until the window is opened.
 */
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { join } from 'node:path';
import { DESKTOP_CALLER } from '../../shared/contracts/access';
import type { Notification } from '../../shared/contracts/notifications';
import type { Runtime } from '../runtime/create-runtime';
import { buildTrayText, unavailableTrayText, type TrayState, type TrayText } from './tray-text';

export interface StatusTrayOptions {
  readonly runtime: Pick<Runtime, 'execute' | 'subscribe'>;
  readonly resourcesDir: string;
  readonly onOpenWindow: () => void;
  readonly onQuit: () => void;
  readonly refreshMs?: number;
  readonly debounceMs?: number;
}

export interface StatusTray {
  refresh(): Promise<void>;
  /** A failure was notified: badge the icon and remember it as the last failure. */
  failureNotified(notification: Notification): void;
  /** The window was opened: the badge goes. */
  acknowledge(): void;
  destroy(): void;
}

function loadIcons(resourcesDir: string): Record<TrayState, NativeImage> {
  const load = (state: TrayState) => nativeImage.createFromPath(join(resourcesDir, `tray-${state}.png`));
  return { idle: load('idle'), running: load('running'), paused: load('paused'), failed: load('failed') };
}

export function createStatusTray(options: StatusTrayOptions): StatusTray {
  const { runtime } = options;
  const icons = loadIcons(options.resourcesDir);
  const tray = new Tray(icons.idle);
  let destroyed = false;
  let last: TrayText | null = null;
  let paused = false;
  let alert = false;
  let lastFailure: { title: string } | null = null;
  const openWindow = () => {
    acknowledge();
    options.onOpenWindow();
  };

  const run = (op: 'pauseQueue' | 'resumeQueue' | 'drainQueue') => {
    runtime
      .execute(op, {}, DESKTOP_CALLER)
      .then(() => refresh())
      .catch((error: unknown) => console.error(`Tray: ${op} failed:`, error));
  };

  const toggleQueue = () => {
    run(paused ? 'resumeQueue' : 'pauseQueue');
  };

  const render = (text: TrayText) => {
    if (destroyed) return;
    tray.setToolTip(text.tooltip);
    if (last?.state !== text.state) tray.setImage(icons[text.state]);
    const menu = Menu.buildFromTemplate([
      { label: text.statusLine, enabled: false },
      ...(text.vramLine ? [{ label: text.vramLine, enabled: false }] : []),
      ...text.jobLines.map((label) => ({ label, enabled: false })),
      ...(text.lastFailureLine ? [{ label: text.lastFailureLine, click: openWindow }] : []),
      { type: 'separator' },
      { label: 'Open window', click: openWindow },
      { label: text.pauseLabel, click: toggleQueue },
      ...(text.drainLabel ? [{ label: text.drainLabel, click: () => run('drainQueue') }] : []),
      { type: 'separator' },
      { label: 'Quit', click: () => options.onQuit() },
    ]);
    tray.setContextMenu(menu);
    last = text;
  };

  const refresh = async () => {
    try {
      const [stats, queue, running, failed] = await Promise.all([
        runtime.execute('getStats', {}),
        runtime.execute('getQueueState', {}),
        runtime.execute('listJobs', { status: 'running', limit: 5 }),
        lastFailure ? null : runtime.execute('listJobs', { status: 'failed', limit: 1 }),
      ]);
      paused = queue.paused;
      const failedJob = failed?.data[0];
      const last = lastFailure ?? (failedJob ? { title: `${failedJob.type} ${failedJob.lastError ?? 'failed'}` } : null);
      render(buildTrayText(stats, queue, { running: running.data, lastFailure: last, alert, drain: queue.drain?.state ?? 'off' }));
    } catch (error) {
      console.error('Tray: reading the queue statistics failed:', error);
      render(unavailableTrayText('Queue statistics unavailable'));
    }
  };

  let pending: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = runtime.subscribe((event) => {
    // progress moves too often to rebuild the menu for: the interval refresh shows it
    if (event.type === 'job.progress' || event.type === 'job.log' || event.type === 'job.console' || pending) return;
    pending = setTimeout(() => {
      pending = null;
      void refresh();
    }, options.debounceMs ?? 500);
  });
  const interval = setInterval(() => void refresh(), options.refreshMs ?? 5_000);
  tray.on('click', openWindow);
  render(unavailableTrayText('Starting…'));
  void refresh();

  function acknowledge(): void {
    if (!alert) return;
    alert = false;
    void refresh();
  }

  return {
    refresh,
    failureNotified(notification) {
      alert = true;
      lastFailure = { title: notification.title };
      void refresh();
    },
    acknowledge,
    destroy() {
      destroyed = true;
      unsubscribe();
      clearInterval(interval);
      if (pending) clearTimeout(pending);
      tray.destroy();
    },
  };
}
