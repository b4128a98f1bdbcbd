/**
 * Desktop notifications: the runtime's `notification` events whose rule asks for the desktop
 * channel become Electron `Notification`s (a click opens the window), and failures are handed to
 * the tray, which shows a failure badge until the window is opened. Electron is reached only
 * through the small DesktopNotifier adapter, so the fake electron module tests it.
 */
import { Notification as ElectronNotification } from 'electron';
import type { Notification } from '../../shared/contracts/notifications';
import type { Runtime } from '../runtime/create-runtime';

export interface DesktopNotifier {
  /** Whether this desktop can show notifications at all. */
  supported(): boolean;
  show(message: { readonly title: string; readonly body: string; readonly urgency: 'normal' | 'critical' }, onClick: () => void): void;
}

/** Notifications shown and not yet closed: Electron drops a notification's events once it is collected. */
const shown = new Set<ElectronNotification>();

export const electronNotifier: DesktopNotifier = {
  supported: () => ElectronNotification.isSupported(),
  show(message, onClick) {
    const notification = new ElectronNotification({ title: message.title, body: message.body, urgency: message.urgency });
    shown.add(notification);
    notification.on('click', () => onClick());
    notification.on('close', () => shown.delete(notification));
    notification.show();
  },
};

export interface DesktopNotificationsOptions {
  readonly runtime: Pick<Runtime, 'subscribe'>;
  readonly notifier?: DesktopNotifier;
  readonly onOpenWindow: () => void;
  /** A failure was notified (any channel): the tray's badge. */
  readonly onFailure?: (notification: Notification) => void;
}

/** Starts showing desktop notifications; returns the function that stops it. */
export function attachDesktopNotifications(options: DesktopNotificationsOptions): () => void {
  const notifier = options.notifier ?? electronNotifier;
  let warned = false;
  return options.runtime.subscribe((event) => {
    if (event.type !== 'notification') return;
    const { notification } = event;
    if (notification.level === 'failure') options.onFailure?.(notification);
    if (!notification.channels.desktop) return;
    if (!notifier.supported()) {
      if (!warned) console.warn('This desktop cannot show notifications; desktop notification rules are not shown.');
      warned = true;
      return;
    }
    notifier.show({ title: notification.title, body: notification.body, urgency: notification.level === 'failure' ? 'critical' : 'normal' }, options.onOpenWindow);
  });
}
