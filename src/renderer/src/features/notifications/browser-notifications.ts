/**
 * Where a `notification` event shows in the renderer. In the desktop app (the preload's
 * `window.mediaApi` is there) the main process shows desktop notifications itself: the window
 * only adds an in-app toast for `channels.desktop`. In a browser (the web UI) a notification whose
 * `channels.browser` is set shows as a toast and, when the user granted the permission, as a
 * browser notification.
 */
import type { Notification as MediaNotification, NotificationLevel } from '../../../../shared/contracts/notifications';
import type { Toast } from '../../stores/toast-store';

export type BrowserPermission = NotificationPermission | 'unsupported';

/** The browser's Notification API as the renderer uses it (a fake in tests). */
export interface BrowserNotifier {
  permission(): BrowserPermission;
  request(): Promise<BrowserPermission>;
  show(title: string, options: { body: string; tag: string }): void;
}

interface NotificationCtor {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: { body?: string; tag?: string }): { onclick: (() => void) | null };
}

/** The desktop app's bridge, as App.tsx tells the two apart. */
export function isDesktopApp(win: { mediaApi?: unknown } | undefined = typeof window === 'undefined' ? undefined : (window as unknown as { mediaApi?: unknown })): boolean {
  return Boolean(win?.mediaApi);
}

export function browserNotifier(win: (Window & typeof globalThis) | undefined = typeof window === 'undefined' ? undefined : window): BrowserNotifier {
  const api = (win as unknown as { Notification?: NotificationCtor } | undefined)?.Notification;
  // a page not served over https (or localhost) has no notifications in most browsers
  const usable = () => api !== undefined && win?.isSecureContext !== false;
  return {
    permission: () => (usable() ? api!.permission : 'unsupported'),
    async request() {
      if (!usable()) return 'unsupported';
      try {
        return await api!.requestPermission();
      } catch {
        return api!.permission;
      }
    },
    show(title, options) {
      if (!usable() || api!.permission !== 'granted') return;
      try {
        const shown = new api!(title, options);
        shown.onclick = () => win?.focus();
      } catch {
        // some browsers allow notifications from a service worker only: the toast still shows
      }
    },
  };
}

const LEVEL_COLORS: Readonly<Record<NotificationLevel, Toast['color']>> = { info: 'blue', success: 'green', warning: 'yellow', failure: 'red' };

export interface PresentDeps {
  readonly desktopApp: boolean;
  readonly notifier: BrowserNotifier;
  readonly toast: (toast: Omit<Toast, 'id'>, ttlMs?: number) => void;
}

/** Shows one notification where its channels say this app shows it; true when it showed. */
export function presentNotification(notification: MediaNotification, deps: PresentDeps): boolean {
  const here = deps.desktopApp ? notification.channels.desktop : notification.channels.browser;
  if (!here) return false;
  deps.toast({ color: LEVEL_COLORS[notification.level], title: notification.title, message: notification.body }, 10_000);
  if (!deps.desktopApp) deps.notifier.show(notification.title, { body: notification.body, tag: notification.id });
  return true;
}
