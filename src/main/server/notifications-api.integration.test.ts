/**
 * Notifications over HTTP with a real runtime: a job made to fail reaches a local webhook receiver
 * within 5 s, signed with a valid HMAC; secrets are write-only; bad settings answer 400 naming the
 * field; access follows the table; the delivery log and the test endpoint work.
 */
import type { FastifyInstance } from 'fastify';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaEvent } from '../../shared/contracts/events';
import { startWebhookReceiver, type WebhookReceiver } from '../runtime/notifications/testing/webhook-receiver';
import { startTestRuntime, type TestRuntime } from '../runtime/testing/test-runtime';
import { createServer } from './create-server';
import { httpClient } from './testing/http-client';
import { TokenRegistry } from './tokens/token-registry';

const SECRET = 'a-very-secret-webhook-key';
let dir: string;
let t: TestRuntime;
let app: FastifyInstance;
let receiver: WebhookReceiver;
const token = {} as Record<'read' | 'operate' | 'admin', string>;
let url: string;
const events: MediaEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-notifications-api-'));
  const tokens = new TokenRegistry(join(dir, 'api-tokens.json'), undefined);
  for (const role of ['read', 'operate', 'admin'] as const) token[role] = tokens.create(`notify-${role}`, role).token;
  receiver = await startWebhookReceiver();
  t = await startTestRuntime();
  t.runtime.subscribe((e) => events.push(e));
  app = await createServer({ runtime: t.runtime, tokens, version: 'test', health: () => ({}) });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await t?.dispose();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

const as = (role: 'read' | 'operate' | 'admin') => httpClient(url, token[role]);

/** A settings body a case breaks on purpose. */
type Loose = { rules: Record<string, unknown>[]; webhooks: Record<string, unknown>[]; [key: string]: unknown };

const settings = () => ({
  rules: [{ id: 'failures', event: 'job.failed', channels: { desktop: true, browser: true, webhooks: ['ops'] } }],
  webhooks: [{ id: 'ops', name: 'Ops channel', url: receiver.url, secret: SECRET, timeoutMs: 2000 }],
});

describe('notifications API', () => {
  it('answers no rules before any were saved', async () => {
    const res = await as('read')('GET', '/api/media/notifications');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ rules: [], webhooks: [], updatedAt: null });
  });

  it.each([
    { name: 'a webhook URL that is not http(s)', patch: (s: Loose) => (s.webhooks[0]!.url = 'file:///etc/passwd'), field: 'webhooks.0.url' },
    { name: 'an unknown event', patch: (s: Loose) => (s.rules[0]!.event = 'job.exploded'), field: 'rules.0.event' },
    { name: 'a rule naming an unknown webhook', patch: (s: Loose) => (s.rules[0]!.channels = { webhooks: ['nope'] }), field: 'rules.0.channels.webhooks.0' },
    { name: 'a disk rule without a threshold', patch: (s: Loose) => (s.rules[0] = { id: 'disk', event: 'disk.low', folder: 'data', channels: {} }), field: 'rules.0.minFreeGb' },
    { name: 'a throttle of 0 minutes', patch: (s: Loose) => (s.rules[0]!.throttleMinutes = 0), field: 'rules.0.throttleMinutes' },
    { name: 'a too short secret', patch: (s: Loose) => (s.webhooks[0]!.secret = 'short'), field: 'webhooks.0.secret' },
    { name: 'an unknown field', patch: (s: Loose) => (s.extra = true), field: '' },
  ])('refuses $name with 400 VALIDATION_FAILED naming the field', async ({ patch, field }) => {
    const body = settings() as Loose;
    patch(body);
    const res = await as('admin')('PUT', '/api/media/notifications', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(field);
  });

  it('lets only an admin change the settings, and read and operate callers read them', async () => {
    expect((await as('operate')('PUT', '/api/media/notifications', settings())).status).toBe(403);
    expect((await as('read')('POST', '/api/media/notifications/test', { channel: 'browser' })).status).toBe(403);
    expect((await as('read')('GET', '/api/media/notifications/deliveries')).status).toBe(200);
  });

  it('never returns a webhook secret, and keeps it when a PUT leaves it out', async () => {
    const saved = await as('admin')('PUT', '/api/media/notifications', settings());
    expect(saved.status).toBe(200);
    const read = await as('read')('GET', '/api/media/notifications');
    for (const res of [saved, read]) {
      expect(JSON.stringify(res.body)).not.toContain(SECRET);
      expect(res.body.webhooks[0]).toMatchObject({ id: 'ops', secretSet: true, url: receiver.url });
      expect(res.body.webhooks[0]).not.toHaveProperty('secret');
    }
    const { secret: _kept, ...withoutSecret } = settings().webhooks[0]!;
    const again = await as('admin')('PUT', '/api/media/notifications', { ...settings(), webhooks: [withoutSecret] });
    expect(again.body.webhooks[0].secretSet).toBe(true);
  });

  it('posts a signed webhook within 5 s of a job failing, and emits a notification event', async () => {
    await as('admin')('PUT', '/api/media/notifications', settings());
    receiver.received.length = 0;
    const job = (await as('operate')('POST', '/api/media/jobs', { type: 'scan', params: { fail: 'fatal' }, maxRetries: 0 })).body;
    const failedAt = await waitFor(async () => {
      const { body } = await as('read')('GET', `/api/media/jobs/${job.id}`);
      return body.status === 'failed' ? Date.now() : null;
    });
    const hook = await waitFor(() => receiver.received.find((r) => JSON.parse(r.body).job?.id === job.id) ?? null);
    expect(hook.at - failedAt).toBeLessThan(5000);
    const expected = `sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`;
    expect(hook.headers['x-media-signature']).toBe(expected);
    expect(hook.headers['content-type']).toBe('application/json');
    expect(JSON.parse(hook.body)).toMatchObject({ title: 'Job failed: scan', type: 'failure', event: 'job.failed', job: { id: job.id, type: 'scan' } });
    expect(typeof JSON.parse(hook.body).at).toBe('string');
    const note = events.find((e) => e.type === 'notification' && e.notification.job?.id === job.id);
    expect(note).toMatchObject({ notification: { kind: 'job.failed', channels: { desktop: true, browser: true } } });
    const log = await waitFor(async () => {
      const { body } = await as('read')('GET', '/api/media/notifications/deliveries?webhookId=ops');
      return body.deliveries.length > 0 ? body : null;
    });
    expect(log.deliveries[0]).toMatchObject({ webhookId: 'ops', outcome: 'delivered', httpStatus: 200, attempt: 1 });
  });

  it('is in the OpenAPI document with the role each route needs', async () => {
    const doc = (await httpClient(url, null)('GET', '/api/openapi.json')).body;
    expect(doc.paths['/api/media/notifications'].get['x-required-role']).toBe('read');
    expect(doc.paths['/api/media/notifications'].put['x-required-role']).toBe('admin');
    expect(doc.paths['/api/media/notifications/test'].post['x-required-role']).toBe('operate');
    expect(doc.paths['/api/media/notifications/deliveries'].get['x-required-role']).toBe('read');
    expect(JSON.stringify(doc.paths['/api/media/notifications'].get.responses['200'])).toContain('secretSet');
  });

  it('sends a test to a webhook (one try) and to the browser channel', async () => {
    receiver.answer(500);
    const failed = await as('operate')('POST', '/api/media/notifications/test', { channel: 'webhook', webhookId: 'ops' });
    expect(failed.status).toBe(200);
    expect(failed.body.delivery).toMatchObject({ outcome: 'failed', httpStatus: 500, attempt: 1 });
    const ok = await as('operate')('POST', '/api/media/notifications/test', { channel: 'webhook', webhookId: 'ops' });
    expect(ok.body.delivery).toMatchObject({ outcome: 'delivered', httpStatus: 200 });
    expect((await as('operate')('POST', '/api/media/notifications/test', { channel: 'webhook', webhookId: 'missing' })).status).toBe(404);
    expect((await as('operate')('POST', '/api/media/notifications/test', { channel: 'webhook' })).status).toBe(400);
    const browser = await as('operate')('POST', '/api/media/notifications/test', { channel: 'browser' });
    expect(browser.body.notification).toMatchObject({ kind: 'test', channels: { browser: true, desktop: false } });
  });
});

async function waitFor<T>(probe: () => T | null | Promise<T | null>, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
