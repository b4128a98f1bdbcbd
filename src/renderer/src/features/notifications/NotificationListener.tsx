/**
 * Always mounted in a session: shows each `notification` event of the live stream as a toast and,
 * in the web UI with the permission granted, as a browser notification (browser-notifications.ts
 * says which). Renders nothing. A notification seen once (a replay after a reconnect) shows once.
 */
import { useEffect } from 'react';
import { showToast } from '../../stores/toast-store';
import { useStores } from '../../stores/stores-context';
import { browserNotifier, isDesktopApp, presentNotification, type PresentDeps } from './browser-notifications';

export function NotificationListener({ deps }: { readonly deps?: Partial<PresentDeps> }) {
  const { client } = useStores();
  const desktopApp = deps?.desktopApp;
  const notifier = deps?.notifier;
  const toast = deps?.toast;
  useEffect(() => {
    const resolved: PresentDeps = { desktopApp: desktopApp ?? (isDesktopApp() || client.kind === 'ipc'), notifier: notifier ?? browserNotifier(), toast: toast ?? showToast };
    const seen: string[] = [];
    return client.subscribe({
      onEvents: (events) => {
        for (const event of events) {
          if (event.type !== 'notification' || seen.includes(event.notification.id)) continue;
          seen.push(event.notification.id);
          if (seen.length > 100) seen.shift();
          presentNotification(event.notification, resolved);
        }
      },
    });
  }, [client, desktopApp, notifier, toast]);
  return null;
}
