/**
 * The Notifications page (`#/notifications`): which happenings notify whom — rules for a failed
 * job, a failed pipeline run, a drained queue, low disk space and a node gone offline, delivered
 * to the desktop app, this browser and webhooks — saved with setNotifications (admin; other roles
 * see the same fields read-only), a test per channel (operate), this browser's permission, and the
 * recent webhook deliveries. The server's field errors show next to the field they name.
 */
import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { NotificationSettingsView } from '../../../../shared/contracts/notifications';
import { Guarded, useOperationAccess } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { ErrorState, LoadingState } from '../../components/StateViews';
import { notificationsStoreFor, testKey } from '../../stores/notifications-store';
import { useStores } from '../../stores/stores-context';
import { showToast } from '../../stores/toast-store';
import { browserNotifier, isDesktopApp, type BrowserNotifier } from './browser-notifications';
import { ChannelsCard } from './ChannelsCard';
import { DeliveriesTable } from './DeliveriesTable';
import { toDraft, toInput, unplacedErrors, validateDraft, withoutWebhook, type FieldErrors, type NotificationsDraft, type WebhookDraft } from './notifications-draft';
import { LOCAL_ERRORS_MESSAGE, saveFeedback } from '../../lib/settings-save';
import { RulesEditor } from './RulesEditor';
import { WebhooksEditor } from './WebhooksEditor';

const versionOf = (s: NotificationSettingsView) => s.updatedAt ?? 'never';

export interface NotificationsPageProps {
  /** This browser's Notification API (a fake in tests). */
  readonly notifier?: BrowserNotifier;
  readonly desktopApp?: boolean;
}

export function NotificationsPage({ notifier: givenNotifier, desktopApp: givenDesktop }: NotificationsPageProps) {
  const { client } = useStores();
  const store = notificationsStoreFor(client);
  const settings = useStore(store, (s) => s.settings);
  const error = useStore(store, (s) => s.error);
  const saving = useStore(store, (s) => s.saving);
  const testing = useStore(store, (s) => s.testing);
  const canEdit = useOperationAccess('setNotifications').allowed;
  const [notifier] = useState(() => givenNotifier ?? browserNotifier());
  const desktopApp = givenDesktop ?? (isDesktopApp() || client.kind === 'ipc');
  const [draft, setDraft] = useState<NotificationsDraft | null>(null);
  const [version, setVersion] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => store.getState().retain(), [store]);

  // new settings from the server (the first read, a save): the form starts from them
  if (settings && versionOf(settings) !== version) {
    setVersion(versionOf(settings));
    setDraft(toDraft(settings));
  }

  const webhookNames = useMemo(() => new Map((settings?.webhooks ?? []).map((w) => [w.id, w.name])), [settings]);

  const save = async () => {
    if (!draft) return;
    const local = validateDraft(draft);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setMessage(LOCAL_ERRORS_MESSAGE);
      return;
    }
    const outcome = await store.getState().save(toInput(draft));
    const feedback = saveFeedback(outcome, unplacedErrors);
    if (feedback?.errors) setErrors(feedback.errors);
    if (feedback) setMessage(feedback.message);
    if (outcome.kind === 'saved') showToast({ color: 'green', title: 'Notifications saved', message: 'Every node applies them at once.' });
  };

  const testWebhook = async (hook: WebhookDraft) => {
    const outcome = await store.getState().sendTest('webhook', hook.id);
    const name = hook.name.trim() || hook.id;
    if (outcome.kind === 'failed') {
      if (!outcome.forbidden) showToast({ color: 'red', title: `Test to ${name} not sent`, message: outcome.message }, 8000);
      return;
    }
    const d = outcome.value.delivery;
    if (d?.outcome === 'delivered') showToast({ color: 'green', title: `${name} answered`, message: `HTTP ${d.httpStatus ?? '?'} in ${d.durationMs} ms` });
    else showToast({ color: 'red', title: `${name} failed the test`, message: d ? (d.error ?? `HTTP ${d.httpStatus ?? '?'}`) : 'No try was made.' }, 10_000);
  };

  const isTestable = (hook: WebhookDraft) => settings?.webhooks.some((w) => w.id === hook.id && w.url === hook.url.trim()) ?? false;

  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>Notifications</Title>
        <Text size="sm" c="dimmed">
          Who hears about failed jobs and pipeline runs, a drained queue, low disk space and nodes gone offline: as desktop or browser notifications, and as webhooks (JSON POST, Apprise-compatible, signed, retried).
        </Text>
      </Stack>
      <ChannelsCard store={store} notifier={notifier} desktopApp={desktopApp} />
      {error && !settings && <ErrorState title="Could not read the notification rules" message={error} onRetry={() => void store.getState().load()} />}
      {!settings && !error && <LoadingState label="Reading the notification rules…" />}
      {settings && draft && (
        <>
          {message && (
            <Alert color="red" icon={<Icon name="alert" />} title="Not saved" role="alert">
              <Text size="sm">{message}</Text>
            </Alert>
          )}
          <Card withBorder radius="md" padding="md" component="section" aria-label="Rules">
            <Stack gap="sm">
              <Title order={3} size="h4">
                Rules
              </Title>
              <Text size="xs" c="dimmed">
                Each rule says which happening notifies which channels. The limit keeps one notification per rule and subject (job type, folder, node) in that many minutes.
              </Text>
              <RulesEditor rules={draft.rules} webhooks={draft.webhooks} errors={errors} disabled={!canEdit} onChange={(rules) => setDraft({ ...draft, rules })} />
            </Stack>
          </Card>
          <Card withBorder radius="md" padding="md" component="section" aria-label="Webhooks">
            <Stack gap="sm">
              <Title order={3} size="h4">
                Webhooks
              </Title>
              <WebhooksEditor
                webhooks={draft.webhooks}
                errors={errors}
                disabled={!canEdit}
                isTestable={isTestable}
                isTesting={(id) => testing[testKey('webhook', id)] === true}
                onTest={(hook) => void testWebhook(hook)}
                onChange={(webhooks) => setDraft({ ...draft, webhooks })}
                onRemove={(index) => setDraft(withoutWebhook(draft, index))}
              />
            </Stack>
          </Card>
          <Group justify="flex-end" gap="xs">
            {settings.updatedAt && (
              <Text size="xs" c="dimmed">
                saved {new Date(settings.updatedAt).toLocaleString()}
              </Text>
            )}
            <Guarded operation="setNotifications">
              <Button loading={saving} onClick={() => void save()}>
                Save notifications
              </Button>
            </Guarded>
          </Group>
        </>
      )}
      <DeliveriesTable store={store} webhookNames={webhookNames} />
    </Stack>
  );
}
