// @vitest-environment jsdom
import '../../testing/setup';
import { act } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Toast } from '../../stores/toast-store';
import { createFakeClient } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { browserNotifier, isDesktopApp, presentNotification, type BrowserNotifier } from './browser-notifications';
import { makeNotification, notificationsHandlers } from './fixtures';
import { NotificationListener } from './NotificationListener';

function recorder() {
  const shown: string[] = [];
  const toasts: Array<Omit<Toast, 'id'>> = [];
  const notifier: BrowserNotifier = { permission: () => 'granted', request: async () => 'granted', show: (title) => shown.push(title) };
  return { shown, toasts, notifier, toast: (t: Omit<Toast, 'id'>) => toasts.push(t) };
}

describe('showing notifications in the renderer', () => {
  it('web UI: a notification for the browser channel shows as a toast and a browser notification, once', () => {
    const r = recorder();
    const client = createFakeClient(notificationsHandlers());
    renderUi(<NotificationListener deps={{ desktopApp: false, notifier: r.notifier, toast: r.toast }} />, storesAs('read', client));
    act(() => client.emit([{ type: 'notification', notification: makeNotification() }, { type: 'stats.changed' } as never]));
    expect(r.shown).toEqual(['Job failed: transcode']);
    expect(r.toasts).toEqual([{ color: 'red', title: 'Job failed: transcode', message: 'Input file is missing: inbox/holiday.mp4' }]);
    // a replay of the same notification (a reconnect) shows nothing more
    act(() => client.emit([{ type: 'notification', notification: makeNotification() }]));
    expect(r.shown).toHaveLength(1);
    // desktop-only: the desktop app shows it, not the browser
    act(() => client.emit([{ type: 'notification', notification: makeNotification({ id: 'n-2', channels: { desktop: true, browser: false } }) }]));
    expect(r.shown).toHaveLength(1);
    expect(r.toasts).toHaveLength(1);
  });

  it('desktop app: the main process notifies; the window only adds a toast for the desktop channel', () => {
    const r = recorder();
    const deps = { desktopApp: true, notifier: r.notifier, toast: r.toast };
    expect(presentNotification(makeNotification({ level: 'warning', channels: { desktop: true, browser: false } }), deps)).toBe(true);
    expect(presentNotification(makeNotification({ channels: { desktop: false, browser: true } }), deps)).toBe(false);
    expect(r.shown).toEqual([]);
    expect(r.toasts).toEqual([expect.objectContaining({ color: 'yellow' })]);
  });

  it('tells the desktop app by its bridge, and uses the browser’s Notification only when granted', async () => {
    expect(isDesktopApp({ mediaApi: {} })).toBe(true);
    expect(isDesktopApp({})).toBe(false);
    expect(browserNotifier({} as Window & typeof globalThis).permission()).toBe('unsupported');

    const made: Array<{ title: string; options: unknown }> = [];
    class FakeNotification {
      static permission: NotificationPermission = 'default';
      static requestPermission = vi.fn(async () => (FakeNotification.permission = 'granted'));
      onclick: (() => void) | null = null;
      constructor(title: string, options: unknown) {
        made.push({ title, options });
      }
    }
    const win = { Notification: FakeNotification, isSecureContext: true, focus: () => {} } as unknown as Window & typeof globalThis;
    const notifier = browserNotifier(win);
    notifier.show('early', { body: '', tag: 'a' });
    expect(made).toEqual([]);
    expect(await notifier.request()).toBe('granted');
    notifier.show('Job failed', { body: 'why', tag: 'n-1' });
    expect(made).toEqual([{ title: 'Job failed', options: { body: 'why', tag: 'n-1' } }]);
    expect(browserNotifier({ ...win, isSecureContext: false } as Window & typeof globalThis).permission()).toBe('unsupported');
  });
});
