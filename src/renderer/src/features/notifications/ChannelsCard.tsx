/**
 * The desktop and browser channels: whether this browser may show notifications (with the button
 * that asks for the permission; the desktop app shows its own), and a test of each channel
 * (testNotification, operate): the test comes back as a `notification` event and shows as any other.
 */
import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useStore } from 'zustand';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import type { NotificationsStore, TestChannel } from '../../stores/notifications-store';
import { showToast } from '../../stores/toast-store';
import type { BrowserNotifier, BrowserPermission } from './browser-notifications';

const PERMISSION_TEXT: Readonly<Record<BrowserPermission, { color: string; label: string; help: string }>> = {
  granted: { color: 'green', label: 'Browser notifications on', help: 'Rules with the browser channel show here while this page is open, even in another tab.' },
  default: { color: 'gray', label: 'Browser notifications off', help: 'The browser asks once; rules with the browser channel then show a notification while this page is open.' },
  denied: { color: 'red', label: 'Blocked by the browser', help: "Allow notifications for this site in the browser's site settings, then reload." },
  unsupported: { color: 'gray', label: 'Not available here', help: 'This browser (or a page not served over https or localhost) shows no notifications; toasts still show.' },
};

interface ChannelsCardProps {
  readonly store: NotificationsStore;
  readonly notifier: BrowserNotifier;
  readonly desktopApp: boolean;
}

export function ChannelsCard({ store, notifier, desktopApp }: ChannelsCardProps) {
  const testing = useStore(store, (s) => s.testing);
  const [permission, setPermission] = useState<BrowserPermission>(() => notifier.permission());
  const text = PERMISSION_TEXT[permission];

  const test = async (channel: TestChannel) => {
    const outcome = await store.getState().sendTest(channel);
    if (outcome.kind === 'sent') showToast({ color: 'blue', title: `Test sent to the ${channel} channel`, message: channel === 'desktop' ? 'The desktop app shows it, where it runs.' : 'It shows here as a notification.' });
    else if (!outcome.forbidden) showToast({ color: 'red', title: 'Test not sent', message: outcome.message }, 8000);
  };

  return (
    <Card withBorder radius="md" padding="md" component="section" aria-label="Desktop and browser">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Desktop and browser
        </Title>
        {desktopApp ? (
          <Text size="sm" c="dimmed">
            This is the desktop app: rules with the desktop channel show as system notifications, and the tray icon shows a failure until the window is opened.
          </Text>
        ) : (
          <Group gap="sm" wrap="wrap">
            <Badge color={text.color} variant="light">
              {text.label}
            </Badge>
            {permission === 'default' && (
              <Button size="xs" variant="light" leftSection={<Icon name="check" size={14} />} onClick={() => void notifier.request().then(setPermission)}>
                Enable browser notifications
              </Button>
            )}
            <Text size="xs" c="dimmed" style={{ flex: '1 1 240px' }}>
              {text.help}
            </Text>
          </Group>
        )}
        <Group gap="xs" wrap="wrap">
          <Guarded operation="testNotification">
            <Button size="xs" variant="default" loading={testing.desktop === true} onClick={() => void test('desktop')}>
              Send test (desktop)
            </Button>
          </Guarded>
          <Guarded operation="testNotification">
            <Button size="xs" variant="default" loading={testing.browser === true} onClick={() => void test('browser')}>
              Send test (browser)
            </Button>
          </Guarded>
        </Group>
      </Stack>
    </Card>
  );
}
