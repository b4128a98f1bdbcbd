/**
 * Webhook delivery against a real local receiver, the back-off driven by the manual clock: tries
 * after 1 s, 4 s, 16 s (and 64 s), a valid signature on each, no retry on a refusal (4xx).
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notification, StoredWebhook } from '../../../shared/contracts/notifications';
import { ManualClock } from '../testing/manual-clock';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-receiver';
import { MemoryDeliveryStore } from './memory-delivery-store';
import { WebhookSender } from './webhook-sender';

const notification: Notification = {
  id: 'n-1',
  kind: 'job.failed',
  ruleId: 'r',
  title: 'Job failed: scan',
  body: 'Job j-1 failed.',
  level: 'failure',
  at: '2026-01-01T00:00:00.000Z',
  subject: 'scan',
  channels: { desktop: false, browser: false },
  job: { id: 'j-1', type: 'scan', lastError: 'boom', nodeId: 'n' },
};

let receiver: WebhookReceiver;
let clock: ManualClock;
let log: MemoryDeliveryStore;
let sender: WebhookSender;
const hook = (): StoredWebhook => ({ id: 'ops', name: 'Ops', url: receiver.url, enabled: true, timeoutMs: 5000, secret: 'secret-of-ops' });

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  clock = new ManualClock();
  log = new MemoryDeliveryStore();
  sender = new WebhookSender({ clock, timers: clock, log, nodeId: 'node-a', userAgent: 'test', logger: { warn() {} } });
});

afterEach(async () => {
  await sender.stop();
  await receiver.close();
});

describe('webhook sender', () => {
  it('retries 500s after 1 s, 4 s and 16 s, then delivers', async () => {
    receiver.answer(500, 500, 500);
    const done = sender.deliver(hook(), notification);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    await clock.advance(999);
    expect(receiver.received).toHaveLength(1); // nothing before the back-off ends
    await clock.advance(1);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2));
    await clock.advance(3_999);
    expect(receiver.received).toHaveLength(2);
    await clock.advance(1);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(3));
    await clock.advance(16_000);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(4));
    const last = await done;
    expect(last).toMatchObject({ outcome: 'delivered', attempt: 4, httpStatus: 200 });
    expect((await log.listDeliveries('ops', 10)).map((d) => [d.attempt, d.outcome, d.httpStatus, d.nodeId])).toEqual([
      [4, 'delivered', 200, 'node-a'],
      [3, 'retrying', 500, 'node-a'],
      [2, 'retrying', 500, 'node-a'],
      [1, 'retrying', 500, 'node-a'],
    ]);
    for (const r of receiver.received) {
      expect(r.headers['x-media-signature']).toBe(`sha256=${createHmac('sha256', 'secret-of-ops').update(r.body).digest('hex')}`);
      expect(JSON.parse(r.body)).toMatchObject({ title: 'Job failed: scan', body: 'Job j-1 failed.', type: 'failure', event: 'job.failed', at: notification.at });
    }
  });

  it('gives up after 5 tries', async () => {
    receiver.answer(503, 503, 503, 503, 503);
    const done = sender.deliver(hook(), notification);
    for (const [n, pause] of [[1, 1_000], [2, 4_000], [3, 16_000], [4, 64_000]] as const) {
      await vi.waitFor(() => expect(receiver.received).toHaveLength(n));
      await clock.advance(pause);
    }
    expect(await done).toMatchObject({ outcome: 'failed', attempt: 5, httpStatus: 503 });
    expect(receiver.received).toHaveLength(5);
  });

  it('does not retry a refusal (4xx), and sends no signature without a secret', async () => {
    receiver.answer(404);
    expect(await sender.deliver({ ...hook(), secret: null }, notification)).toMatchObject({ outcome: 'failed', attempt: 1, httpStatus: 404 });
    expect(receiver.received[0]!.headers['x-media-signature']).toBeUndefined();
  });

  it('counts an unreachable receiver as a failed try, and stop() ends the back-off', async () => {
    const closed = receiver.url;
    await receiver.close();
    receiver = await startWebhookReceiver();
    const done = sender.deliver({ ...hook(), url: closed }, notification);
    await vi.waitFor(async () => expect((await log.listDeliveries(undefined, 1))[0]).toMatchObject({ outcome: 'retrying', httpStatus: null, nodeId: 'node-a' }));
    await sender.stop();
    expect((await done).attempt).toBe(1);
  });

  it('ends at once when stop() comes while a try is being kept (a slow database): no back-off starts after it', async () => {
    const closed = receiver.url;
    await receiver.close();
    receiver = await startWebhookReceiver();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let kept = 0;
    const slow = { appendDelivery: async () => (kept++, held), listDeliveries: async () => [] };
    const slowSender = new WebhookSender({ clock, timers: clock, log: slow, nodeId: 'node-a', userAgent: 'test', logger: { warn() {} } });
    const done = slowSender.deliver({ ...hook(), url: closed }, notification);
    await vi.waitFor(() => expect(kept).toBe(1));
    const stopped = slowSender.stop();
    release();
    // the manual clock never moves here: a pause started after the keep would hold stop() for good
    const outcome = await Promise.race([stopped.then(() => 'stopped'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1_000))]);
    expect(outcome).toBe('stopped');
    expect(await done).toMatchObject({ attempt: 1, outcome: 'retrying' });
    expect(kept).toBe(1);
  });
});
