import { DESKTOP_CALLER } from '../../shared/contracts/access';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuntimeEventListener } from '../runtime/events';
import { FakeTray, resetFakeElectron } from './testing/fake-electron';
import { createStatusTray, type StatusTray } from './tray';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectron);

const stats = { pending: 3, queued: 1, running: 2, completed: 0, failed: 1, cancelled: 0, paused: 0, totalVramUsed: 2048, totalVramAvailable: 8192, averageProcessingTime: 0, jobsByType: {} };

function fakeRuntime() {
  const state = { paused: false, jobs: [] as Array<{ type: string; progress: number; lastError?: string }> };
  const listeners = new Set<RuntimeEventListener>();
  const execute = vi.fn(async (name: string) => {
    if (name === 'getStats') return stats;
    if (name === 'listJobs') return { data: state.jobs, pagination: {} };
    if (name === 'drainQueue') state.paused = true;
    if (name === 'pauseQueue') state.paused = true;
    if (name === 'resumeQueue') state.paused = false;
    return { paused: state.paused, pausedCategories: [], limits: {}, vramBudgetMb: 8192 };
  });
  const subscribe = (listener: RuntimeEventListener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return { execute, subscribe, listeners, state };
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
    expect(fake.tooltip).toBe('Media Job Control: 2 running · 4 waiting');
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

  it('lists the running jobs with progress and drains the queue from its menu', async () => {
    const runtime = fakeRuntime();
    runtime.state.jobs = [{ type: 'transcode', progress: 40 }];
    tray = createStatusTray({ runtime: runtime as never, resourcesDir: '/res', onOpenWindow: () => {}, onQuit: () => {} });
    await tray.refresh();
    const fake = FakeTray.instances[0]!;
    expect(item(fake, 'transcode — 40 %')).toMatchObject({ enabled: false });
    item(fake, 'Drain queue')!.click!();
    await vi.waitFor(() => expect(runtime.execute).toHaveBeenCalledWith('drainQueue', {}, DESKTOP_CALLER));
  });

  it('badges a failure until the window is opened', async () => {
    const runtime = fakeRuntime();
    const onOpenWindow = vi.fn();
    tray = createStatusTray({ runtime: runtime as never, resourcesDir: '/res', onOpenWindow, onQuit: () => {} });
    await tray.refresh();
    const fake = FakeTray.instances[0]!;
    tray.failureNotified({ title: 'Job failed: scan' } as never);
    await vi.waitFor(() => expect(fake.image).toEqual({ path: '/res/tray-failed.png' }));
    expect(fake.tooltip).toContain('a job failed');
    expect(item(fake, 'Last failure: Job failed: scan')).toBeDefined();
    item(fake, 'Open window')!.click!();
    expect(onOpenWindow).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(fake.image).toEqual({ path: '/res/tray-running.png' }));
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
