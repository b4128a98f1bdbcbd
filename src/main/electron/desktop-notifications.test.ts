import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../shared/contracts/notifications';
import type { RuntimeEventListener } from '../runtime/events';
import { attachDesktopNotifications } from './desktop-notifications';
import { FakeNotification, resetFakeElectron } from './testing/fake-electron';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectron);

const note = (over: Partial<Notification> = {}): Notification => ({
  id: 'n',
  kind: 'job.failed',
  ruleId: 'r',
  title: 'Job failed: scan',
  body: 'Job j failed: boom',
  level: 'failure',
  at: '2026-01-01T00:00:00.000Z',
  subject: 'scan',
  channels: { desktop: true, browser: false },
  ...over,
});

describe('desktop notifications', () => {
  const listeners = new Set<RuntimeEventListener>();
  const runtime = { subscribe: (l: RuntimeEventListener) => (listeners.add(l), () => listeners.delete(l)) };
  const send = (notification: Notification) => listeners.forEach((l) => l({ type: 'notification', notification }));
  let stop: (() => void) | null = null;
  beforeEach(() => resetFakeElectron());
  afterEach(() => {
    stop?.();
    listeners.clear();
  });

  it('shows an Electron Notification for a desktop rule; a click opens the window; failures reach the tray', () => {
    const onOpenWindow = vi.fn();
    const onFailure = vi.fn();
    stop = attachDesktopNotifications({ runtime, onOpenWindow, onFailure });
    send(note());
    expect(FakeNotification.instances).toHaveLength(1);
    const shown = FakeNotification.instances[0]!;
    expect(shown).toMatchObject({ shown: true, options: { title: 'Job failed: scan', body: 'Job j failed: boom', urgency: 'critical' } });
    expect(onFailure).toHaveBeenCalledWith(expect.objectContaining({ title: 'Job failed: scan' }));
    shown.emit('click');
    expect(onOpenWindow).toHaveBeenCalledOnce();
  });

  it('shows nothing for a rule without the desktop channel, or where notifications are unsupported', () => {
    stop = attachDesktopNotifications({ runtime, onOpenWindow: () => {} });
    send(note({ channels: { desktop: false, browser: true } }));
    FakeNotification.supported = false;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    send(note({ level: 'warning', kind: 'disk.low' }));
    expect(FakeNotification.instances).toHaveLength(0);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('stops listening when detached', () => {
    stop = attachDesktopNotifications({ runtime, onOpenWindow: () => {} });
    stop();
    stop = null;
    expect(listeners.size).toBe(0);
  });
});
