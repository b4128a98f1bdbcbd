/**
 * Canned answers of the notification operations for renderer tests (fake client handlers): one
 * job.failed rule posting to one webhook ("Ops chat", secret set), one disk.low rule, and two
 * deliveries (one delivered, one failed with an HTTP 500).
 */
import type { Delivery, Notification, NotificationSettingsView } from '../../../../shared/contracts/notifications';
import type { OperationInput } from '../../api/media-client';
import type { Handlers } from '../../testing/fake-client';

export const SAVED_AT = '2026-02-13T09:00:00.000Z';

export function makeNotificationSettings(overrides: Partial<NotificationSettingsView> = {}): NotificationSettingsView {
  return {
    rules: [
      { id: 'failures', event: 'job.failed', enabled: true, jobTypes: ['transcode'], channels: { desktop: true, browser: true, webhooks: ['ops'] }, throttleMinutes: 10 },
      { id: 'disk', event: 'disk.low', enabled: true, folder: 'library', minFreeGb: 50, channels: { desktop: true, browser: false, webhooks: [] } },
    ],
    webhooks: [{ id: 'ops', name: 'Ops chat', url: 'https://hooks.example.com/media', enabled: true, timeoutMs: 10_000, secretSet: true }],
    updatedAt: SAVED_AT,
    ...overrides,
  };
}

export function makeDelivery(overrides: Partial<Delivery> = {}): Delivery {
  return {
    webhookId: 'ops',
    notificationId: 'n-1',
    kind: 'job.failed',
    attempt: 1,
    at: '2026-02-13T10:00:00.000Z',
    outcome: 'delivered',
    httpStatus: 200,
    error: null,
    durationMs: 42,
    nodeId: 'node-a',
    ...overrides,
  };
}

export const DELIVERIES: readonly Delivery[] = [
  makeDelivery(),
  makeDelivery({ notificationId: 'n-0', kind: 'test', attempt: 2, at: '2026-02-13T09:30:00.000Z', outcome: 'failed', httpStatus: 500, error: 'HTTP 500 from the receiver' }),
];

export function makeNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'n-1',
    kind: 'job.failed',
    ruleId: 'failures',
    title: 'Job failed: transcode',
    body: 'Input file is missing: inbox/holiday.mp4',
    level: 'failure',
    at: '2026-02-13T10:00:00.000Z',
    subject: 'transcode',
    channels: { desktop: true, browser: true },
    ...overrides,
  };
}

/** get/set over one stored document (secrets kept as `secretSet`), tests that go through, and the deliveries. */
export function notificationsHandlers(initial: NotificationSettingsView = makeNotificationSettings(), deliveries: readonly Delivery[] = DELIVERIES): Handlers {
  let state = initial;
  return {
    getNotifications: () => state,
    setNotifications: (input: OperationInput<'setNotifications'>) => {
      const webhooks = input.webhooks.map(({ secret, ...w }) => ({
        ...w,
        enabled: w.enabled ?? true,
        timeoutMs: w.timeoutMs ?? 10_000,
        secretSet: secret === undefined ? (state.webhooks.find((old) => old.id === w.id)?.secretSet ?? false) : secret !== null,
      }));
      state = { rules: input.rules as NotificationSettingsView['rules'], webhooks, updatedAt: new Date().toISOString() };
      return state;
    },
    testNotification: (input) => ({
      notification: makeNotification({ id: 'n-test', kind: 'test', ruleId: null, title: 'Test notification', level: 'info', channels: { desktop: input.channel === 'desktop', browser: input.channel === 'browser' } }),
      delivery: input.channel === 'webhook' ? makeDelivery({ webhookId: input.webhookId ?? 'ops', notificationId: 'n-test', kind: 'test' }) : null,
    }),
    listNotificationDeliveries: () => ({ deliveries: [...deliveries] }),
  };
}
