/**
 * The system-tray status: icon by state (idle / running / paused), tooltip and a menu with the
 * live counts, open window, pause/resume queue and quit. Refreshed shortly after runtime events
 * and every few seconds (VRAM use moves without job events).
 */
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { join } from 'node:path';
import { DESKTOP_CALLER } from '../../shared/contracts/access';
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
  destroy(): void;
}

function loadIcons(resourcesDir: string): Record<TrayState, NativeImage> {
  const load = (state: TrayState) => nativeImage.createFromPath(join(resourcesDir, `tray-${state}.png`));
  return { idle: load('idle'), running: load('running'), paused: load('paused') };
}

export function createStatusTray(options: StatusTrayOptions): StatusTray {
  const { runtime } = options;
  const icons = loadIcons(options.resourcesDir);
  const tray = new Tray(icons.idle);
  let destroyed = false;
  let last: TrayText | null = null;
  let paused = false;

  const toggleQueue = () => {
    const op = paused ? 'resumeQueue' : 'pauseQueue';
    runtime
      .execute(op, {}, DESKTOP_CALLER)
      .then(() => refresh())
      .catch((error: unknown) => console.error(`Tray: ${op} failed:`, error));
  };

  const render = (text: TrayText) => {
    if (destroyed) return;
    tray.setToolTip(text.tooltip);
    if (last?.state !== text.state) tray.setImage(icons[text.state]);
    const menu = Menu.buildFromTemplate([
      { label: text.statusLine, enabled: false },
      ...(text.vramLine ? [{ label: text.vramLine, enabled: false }] : []),
      { type: 'separator' },
      { label: 'Open window', click: () => options.onOpenWindow() },
      { label: text.pauseLabel, click: toggleQueue },
      { type: 'separator' },
      { label: 'Quit', click: () => options.onQuit() },
    ]);
    tray.setContextMenu(menu);
    last = text;
  };

  const refresh = async () => {
    try {
      const [stats, queue] = await Promise.all([runtime.execute('getStats', {}), runtime.execute('getQueueState', {})]);
      paused = queue.paused;
      render(buildTrayText(stats, queue));
    } catch (error) {
      console.error('Tray: reading the queue statistics failed:', error);
      render(unavailableTrayText('Queue statistics unavailable'));
    }
  };

  let pending: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = runtime.subscribe((event) => {
    if (event.type === 'job.progress' || event.type === 'job.log' || pending) return;
    pending = setTimeout(() => {
      pending = null;
      void refresh();
    }, options.debounceMs ?? 500);
  });
  const interval = setInterval(() => void refresh(), options.refreshMs ?? 5_000);
  tray.on('click', () => options.onOpenWindow());
  render(unavailableTrayText('Starting…'));
  void refresh();

  return {
    refresh,
    destroy() {
      destroyed = true;
      unsubscribe();
      clearInterval(interval);
      if (pending) clearTimeout(pending);
      tray.destroy();
    },
  };
}
