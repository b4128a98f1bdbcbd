/**
 * End-to-end, notifications at a small laptop's 1024×700: on the Notifications page a webhook
 * pointing at a real local HTTP receiver (started here) with a signing secret, and a job.failed
 * rule posting to it, saved; a job made to fail through the API (a thumbnail of a file moved away)
 * reaches the receiver as a signed POST within 5 s, the page shows the notification as a toast and
 * the delivery in its table, and nothing scrolls sideways.
 */
import { createHmac } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationSettingsView } from '../src/shared/contracts/notifications';
import { startWebhookReceiver, type WebhookReceiver } from '../src/main/runtime/notifications/testing/webhook-receiver';
import { setupSuite } from './support/suite';
import { choose, expectNoHorizontalScroll, signIn } from './support/ui';
import { waitFor } from './support/wait';

const s = setupSuite({ name: 'notifications', viewport: { width: 1024, height: 700 }, longClip: false });
const SECRET = 'e2e-webhook-secret';

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

describe.sequential('notifications, in the browser', () => {
  it('adds a signed webhook and a job.failed rule posting to it on the Notifications page, and saves them', async () => {
    const { page, server, api, shots } = s;
    await signIn(page, server.url, server.token);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Notifications(\s|$)/ }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 2 }).waitFor();

    await page.getByRole('button', { name: 'Add webhook' }).click();
    const hook = page.getByRole('group', { name: 'Webhook 1' });
    await hook.getByRole('textbox', { name: 'Name' }).fill('Receiver');
    await hook.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
    await hook.getByRole('textbox', { name: 'Time limit (s)' }).fill('3');
    await hook.getByRole('button', { name: 'Set a secret' }).click();
    await hook.getByLabel('Secret', { exact: true }).fill(SECRET);

    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.getByRole('group', { name: 'Rule 1' });
    expect(await rule.getByRole('combobox', { name: 'When' }).inputValue()).toBe('A job failed');
    await choose(page, rule.getByRole('combobox', { name: 'Webhooks' }), 'Receiver');
    await page.getByRole('button', { name: 'Save notifications' }).click();

    // saved: the form shows the secret as set (never the secret) and the webhook can be tested
    await hook.getByRole('button', { name: 'Send test to Receiver' }).waitFor();
    await hook.getByText('set', { exact: true }).waitFor();
    const stored = await api.request<NotificationSettingsView>('GET', '/api/media/notifications');
    expect(stored.webhooks).toEqual([{ id: 'webhook-1', name: 'Receiver', url: receiver.url, enabled: true, timeoutMs: 3000, secretSet: true }]);
    expect(stored.rules).toMatchObject([{ id: 'rule-1', event: 'job.failed', enabled: true, channels: { desktop: true, browser: true, webhooks: ['webhook-1'] } }]);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    await expectNoHorizontalScroll(page, 'Notifications at 1024×700');
    await shots.take(page, 'notifications-1024x700');
  });

  it('a job that fails reaches the receiver as a signed POST within 5 s, and the page shows it', async () => {
    const { page, api, libraryPath, shots } = s;
    await api.scanInbox();
    const hike = await api.videoByFilename('mountain-hike.mp4');
    const file = join(libraryPath, hike.path);
    await rename(file, `${file}.away`);
    const job = await api.createJob('thumbnail_generate', { videoId: hike.id }, { maxRetries: 0 });
    const failedAt = await api.waitForStatus(job.id, ['failed']).then(
      () => Date.now(),
      async (error: unknown) => {
        await rename(`${file}.away`, file);
        throw error;
      },
    );
    await rename(`${file}.away`, file);

    const received = await waitFor('the webhook receiver to get the failure', async () => receiver.received.find((h) => h.body.includes(job.id)), { timeoutMs: 10_000, intervalMs: 50 });
    expect(received.at - failedAt).toBeLessThan(5000);
    expect(received.headers['x-media-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(received.body).digest('hex')}`);
    expect(received.headers['x-media-event']).toBe('job.failed');
    expect(received.headers['content-type']).toMatch(/application\/json/);
    const body = JSON.parse(received.body) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'failure', event: 'job.failed', rule: 'rule-1', job: { id: job.id, type: 'thumbnail_generate' } });
    expect(body.title).toEqual(expect.stringContaining('thumbnail_generate'));
    expect(received.headers['x-media-delivery']).toBe(body.id);

    // the browser channel: the open page shows it as a toast
    await page.getByRole('alert').filter({ hasText: 'thumbnail_generate' }).first().waitFor({ timeout: 10_000 });
    // and the delivery is in the table (re-read after the event, and every few seconds)
    const table = page.getByRole('table', { name: 'Webhook deliveries' });
    const row = table.getByRole('row').filter({ hasText: 'Receiver' }).filter({ hasText: 'A job failed' });
    await row.first().waitFor({ timeout: 10_000 });
    expect(await row.first().textContent()).toMatch(/delivered.*HTTP 200/);
    await expectNoHorizontalScroll(page, 'Notifications with a delivery at 1024×700');
    await shots.take(page, 'notifications-delivered');
  });
});
