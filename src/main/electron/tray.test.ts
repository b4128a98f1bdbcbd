import { DESKTOP_CALLER } from '../../shared/contracts/access';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuntimeEventListener } from '../runtime/events';
import { FakeTray, resetFakeElectron } from './testing/fake-electron';
import { createStatusTray, type StatusTray } from './tray';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectron);

const stats = { pending: 3, queued: 1, running: 2, completed: 0, failed: 1, cancelled: 0, paused: 0, totalVramUsed: 2048, totalVramAvailable: 8192, averageProcessingTime: 0, jobsByType: {} };

function fakeRuntime() {
  const state = { paused: false };
  const listeners = new Set<RuntimeEventListener>();
  const execute = vi.fn(async (name: string) => {
    if (name === 'getStats') return stats;
    if (name === 'pauseQueue') state.paused = true;
    if (name === 'resumeQueue') state.paused = false;
    return { paused: state.paused, pausedCategories: [], limits: {}, vramBudgetMb: 8192 };
  });
  const subscribe = (listener: RuntimeEventListener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return { execute, subscribe, listeners };
}

type MenuItem = { label?: string; click?: () => void; type?: string; enabled?: boolean };
const menuItems = (tray: FakeTray) => (tray.menu?.template ?? []) as MenuItem[];
const item = (tray: FakeTray, label: string) => menuItems(tray).find((i) => i.label === label);

describe('status tray', () => {
  let tray: StatusTray | null = null;
  beforeEach(() => resetFakeElectron());
  afterEach(() => tray?.destroy());

  it('shows the counts, VRAM and the running icon', async () => {
    const runtime = fakeRuntime();
    tray = createStatusTray({ runtime: runtime as never, resourcesDir: '/res', onOpenWindow: () => {}, onQuit: () => {} });
    await tray.refresh();
    const fake = FakeTray.instances[0]!;
    expect(fake.tooltip).toBe('Media Job Control\n2 running · 4 pending · 1 failed\nVRAM 2.0 GB / 8.0 GB');
    expect(fake.image).toEqual({ path: '/res/tray-running.png' });
    expect(menuItems(fake)[0]).toMatchObject({ label: '2 running · 4 pending · 1 failed', enabled: false });
  });

  it('pauses and resumes the queue from its menu', async () => {
    const runtime = fakeRuntime();
    tray = createStatusTray({ runtime: runtime as never, resourcesDir: '/res', onOpenWindow: () => {}, onQuit: () => {} });
    await tray.refresh();
    const fake = FakeTray.instances[0]!;
    item(fake, 'Pause queue')!.click!();
    await vi.waitFor(() => expect(item(fake, 'Resume queue')).toBeDefined());
    expect(runtime.execute).toHaveBeenCalledWith('pauseQueue', {}, DESKTOP_CALLER);
    expect(fake.image).toEqual({ path: '/res/tray-paused.png' });
    item(fake, 'Resume queue')!.click!();
    await vi.waitFor(() => expect(item(fake, 'Pause queue')).toBeDefined());
    expect(runtime.execute).toHaveBeenCalledWith('resumeQueue', {}, DESKTOP_CALLER);
  });

  it('opens the window and quits from its menu', async () => {
    const onOpenWindow = vi.fn();
    const onQuit = vi.fn();
    tray = createStatusTray({ runtime: fakeRuntime() as never, resourcesDir: '/res', onOpenWindow, onQuit });
    await tray.refresh();
    const fake = FakeTray.instances[0]!;
    item(fake, 'Open window')!.click!();
    item(fake, 'Quit')!.click!();
    expect(onOpenWindow).toHaveBeenCalledOnce();
    expect(onQuit).toHaveBeenCalledOnce();
  });

  it('stops listening and removes the icon when destroyed', async () => {
    const runtime = fakeRuntime();
    tray = createStatusTray({ runtime: runtime as never, resourcesDir: '/res', onOpenWindow: () => {}, onQuit: () => {} });
    await tray.refresh();
    tray.destroy();
    tray = null;
    expect(runtime.listeners.size).toBe(0);
    expect(FakeTray.instances[0]!.destroyed).toBe(true);
  });
});
