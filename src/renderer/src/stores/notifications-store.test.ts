import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { DELIVERIES, makeNotification, makeNotificationSettings, notificationsHandlers } from '../features/notifications/fixtures';
import { createFakeClient, manualTimers } from '../testing/fake-client';
import { createNotificationsStore, notificationsStoreFor, testKey } from './notifications-store';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the notifications store', () => {
  it('reads the settings and saves them, answering the server’s field errors by path', async () => {
    const client = createFakeClient(notificationsHandlers());
    const store = createNotificationsStore(client);
    await store.getState().load();
    expect(store.getState().settings?.rules).toHaveLength(2);
    expect(store.getState().settings?.webhooks[0]).toMatchObject({ id: 'ops', secretSet: true });

    const input = { rules: [], webhooks: [{ id: 'ops', name: 'Ops chat', url: 'https://hooks.example.com/media', secret: null }] };
    const saved = await store.getState().save(input);
    expect(saved.kind).toBe('saved');
    expect(client.callsOf('setNotifications')).toEqual([input]);
    expect(store.getState().settings).toMatchObject({ rules: [], webhooks: [{ id: 'ops', secretSet: false }] });
    expect(store.getState().saving).toBe(false);

    client.handlers.setNotifications = () => {
      throw new ApiError('VALIDATION_FAILED', 'Invalid input: webhooks.0.url: an http:// or https:// URL', { issues: [{ path: ['webhooks', 0, 'url'], message: 'an http:// or https:// URL' }] });
    };
    const refused = await store.getState().save({ rules: [], webhooks: [{ id: 'ops', name: 'Ops', url: 'ftp://x' }] });
    expect(refused).toEqual({ kind: 'invalid', message: expect.stringContaining('webhooks.0.url'), fields: { 'webhooks.0.url': 'an http:// or https:// URL' } });
    // what is shown stays what the server has
    expect(store.getState().settings?.webhooks[0]?.url).toBe('https://hooks.example.com/media');

    client.handlers.setNotifications = () => {
      throw new ApiError('FORBIDDEN', 'needs admin', { requiredRole: 'admin', role: 'operate' });
    };
    expect(await store.getState().save({ rules: [], webhooks: [] })).toMatchObject({ kind: 'failed', forbidden: true });
  });

  it('says why the settings could not be read', async () => {
    const client = createFakeClient({
      getNotifications: () => {
        throw new ApiError('INTERNAL', 'database is locked');
      },
    });
    const store = createNotificationsStore(client);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ settings: null, loading: false, error: 'database is locked' });
  });

  it('sends a test per channel, marks it in flight, and re-reads the deliveries after a webhook test', async () => {
    const client = createFakeClient(notificationsHandlers());
    const store = createNotificationsStore(client);
    let release: () => void = () => {};
    const original = client.handlers.testNotification!;
    client.handlers.testNotification = (input) => new Promise((resolve) => (release = () => resolve(original(input))));
    const pending = store.getState().sendTest('webhook', 'ops');
    expect(store.getState().testing).toEqual({ [testKey('webhook', 'ops')]: true });
    release();
    const outcome = await pending;
    expect(outcome).toMatchObject({ kind: 'sent', value: { delivery: { outcome: 'delivered', webhookId: 'ops' } } });
    expect(store.getState().testing).toEqual({});
    expect(client.callsOf('testNotification')).toEqual([{ channel: 'webhook', webhookId: 'ops' }]);
    await flush();
    expect(store.getState().deliveries).toEqual(DELIVERIES);

    client.handlers.testNotification = original;
    expect(await store.getState().sendTest('browser')).toMatchObject({ kind: 'sent', value: { delivery: null } });
    expect(client.callsOf('testNotification').at(-1)).toEqual({ channel: 'browser' });

    client.handlers.testNotification = () => {
      throw new ApiError('NOT_FOUND', 'no webhook with id gone');
    };
    expect(await store.getState().sendTest('webhook', 'gone')).toEqual({ kind: 'failed', message: 'no webhook with id gone', forbidden: false });
  });

  it('while retained: reads everything, re-reads the deliveries after a notification event and every few seconds; stops when released', async () => {
    const timers = manualTimers();
    const client = createFakeClient(notificationsHandlers(makeNotificationSettings(), []));
    const store = createNotificationsStore(client, { timers, refreshDelayMs: 1000, pollMs: 5000, deliveriesLimit: 20 });
    const release = store.getState().retain();
    await flush();
    expect(client.callsOf('getNotifications')).toHaveLength(1);
    expect(client.callsOf('listNotificationDeliveries')).toEqual([{ limit: 20 }]);
    expect(store.getState()).toMatchObject({ deliveriesLoaded: true, deliveries: [] });

    client.handlers.listNotificationDeliveries = () => ({ deliveries: [...DELIVERIES] });
    client.emit([{ type: 'notification', notification: makeNotification() }]);
    client.emit([{ type: 'notification', notification: makeNotification({ id: 'n-2' }) }]);
    timers.advance(999);
    expect(client.callsOf('listNotificationDeliveries')).toHaveLength(1);
    timers.advance(1);
    await flush();
    // two events, one re-read
    expect(client.callsOf('listNotificationDeliveries')).toHaveLength(2);
    expect(store.getState().deliveries).toHaveLength(2);

    timers.advance(4000); // the poll, 5 s after retain
    expect(client.callsOf('listNotificationDeliveries')).toHaveLength(3);
    timers.advance(5000);
    expect(client.callsOf('listNotificationDeliveries')).toHaveLength(4);

    // a second page showing it shares the subscription; released by both, it stops
    const second = store.getState().retain();
    release();
    release(); // twice is once
    timers.advance(5000);
    expect(client.callsOf('listNotificationDeliveries')).toHaveLength(6);
    second();
    expect(timers.scheduled).toBe(0);
    client.emit([{ type: 'notification', notification: makeNotification({ id: 'n-3' }) }]);
    timers.advance(60_000);
    expect(client.callsOf('listNotificationDeliveries')).toHaveLength(6);
  });

  it('is one store per session client', () => {
    const a = createFakeClient(notificationsHandlers());
    const b = createFakeClient(notificationsHandlers());
    expect(notificationsStoreFor(a)).toBe(notificationsStoreFor(a));
    expect(notificationsStoreFor(a)).not.toBe(notificationsStoreFor(b));
  });
});
