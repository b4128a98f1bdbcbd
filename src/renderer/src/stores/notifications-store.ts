/**
 * Notifications as the UI shows them (issue #19): the rules and webhooks every node shares
 * (getNotifications / setNotifications, admin to change; webhook secrets are write-only, the
 * server says only `secretSet`), a test per channel (testNotification, operate) and this node's
 * last webhook tries (listNotificationDeliveries).
 *
 * While a page shows them (`retain()`, counted) the store follows the live events on its own
 * subscription (the transport shares one stream between subscribers): a `notification` re-reads
 * the deliveries shortly after (a webhook's try follows the event), and they are re-read every few
 * seconds anyway (a retry writes no event). Saves and tests answer an outcome instead of throwing:
 * `invalid` carries the server's field errors by dotted path (`webhooks.0.url`).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { Delivery, NotificationSettingsInput, NotificationSettingsView } from '../../../shared/contracts/notifications';
import { errorMessage, fieldErrors, isApiError } from '../api/api-error';
import type { MediaClient, OperationOutput } from '../api/media-client';
import { realTimers, type Timers } from '../lib/batcher';

export type NotificationsSaveOutcome =
  | { readonly kind: 'saved'; readonly value: NotificationSettingsView }
  | { readonly kind: 'invalid'; readonly message: string; readonly fields: Readonly<Record<string, string>> }
  /** forbidden: the session has said so already (a toast). */
  | { readonly kind: 'failed'; readonly message: string; readonly forbidden: boolean };

export type TestChannel = 'desktop' | 'browser' | 'webhook';
export type TestResult = OperationOutput<'testNotification'>;
export type TestOutcome = { readonly kind: 'sent'; readonly value: TestResult } | { readonly kind: 'failed'; readonly message: string; readonly forbidden: boolean };

/** The key of a test in flight: the channel, or `webhook:<id>`. */
export const testKey = (channel: TestChannel, webhookId?: string) => (channel === 'webhook' ? `webhook:${webhookId ?? ''}` : channel);

export interface NotificationsState {
  readonly settings: NotificationSettingsView | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly saving: boolean;
  /** Newest first. */
  readonly deliveries: readonly Delivery[];
  readonly deliveriesLoaded: boolean;
  readonly deliveriesError: string | null;
  /** Tests in flight, by testKey. */
  readonly testing: Readonly<Record<string, true>>;

  load(): Promise<void>;
  save(input: NotificationSettingsInput): Promise<NotificationsSaveOutcome>;
  loadDeliveries(): Promise<void>;
  sendTest(channel: TestChannel, webhookId?: string): Promise<TestOutcome>;
  /** Something shows the notifications: read them now and keep the deliveries current until the returned release. */
  retain(): () => void;
  applyEvents(events: readonly MediaEvent[]): void;
  /** Drops every timer and the subscription (the session ended). */
  dispose(): void;
}

export type NotificationsStore = StoreApi<NotificationsState>;

export interface NotificationsStoreOptions {
  readonly timers?: Timers;
  /** Re-read the deliveries this long after a `notification` event (its webhook tries follow it). */
  readonly refreshDelayMs?: number;
  /** Re-read the deliveries this often while retained. */
  readonly pollMs?: number;
  readonly deliveriesLimit?: number;
}

export function createNotificationsStore(client: MediaClient, options: NotificationsStoreOptions = {}): NotificationsStore {
  const timers = options.timers ?? realTimers;
  const refreshDelayMs = options.refreshDelayMs ?? 1000;
  const pollMs = options.pollMs ?? 5000;
  const limit = options.deliveriesLimit ?? 50;
  let seq = 0;
  let deliveriesSeq = 0;
  let retained = 0;
  let refreshTimer: unknown = null;
  let pollTimer: unknown = null;
  let unsubscribe: (() => void) | null = null;

  return createStore<NotificationsState>()((set, get) => {
    const clear = (timer: unknown) => {
      if (timer !== null) timers.clearTimeout(timer);
    };
    const scheduleRefresh = () => {
      if (refreshTimer !== null || retained === 0) return;
      refreshTimer = timers.setTimeout(() => {
        refreshTimer = null;
        void get().loadDeliveries();
      }, refreshDelayMs);
    };
    const poll = () => {
      clear(pollTimer);
      pollTimer = timers.setTimeout(() => {
        pollTimer = null;
        if (retained === 0) return;
        void get().loadDeliveries();
        poll();
      }, pollMs);
    };
    const stop = () => {
      clear(refreshTimer);
      clear(pollTimer);
      refreshTimer = pollTimer = null;
      unsubscribe?.();
      unsubscribe = null;
    };

    return {
      settings: null,
      loading: false,
      error: null,
      saving: false,
      deliveries: [],
      deliveriesLoaded: false,
      deliveriesError: null,
      testing: {},

      async load() {
        const mine = ++seq;
        set({ loading: true });
        try {
          const settings = await client.call('getNotifications', {});
          if (mine === seq) set({ settings, loading: false, error: null });
        } catch (error) {
          if (mine === seq) set({ loading: false, error: errorMessage(error) });
        }
      },

      async save(input) {
        set({ saving: true });
        try {
          const settings = await client.call('setNotifications', input);
          seq += 1; // a read in flight answers older settings
          set({ settings, saving: false, error: null, loading: false });
          return { kind: 'saved', value: settings };
        } catch (error) {
          set({ saving: false });
          if (isApiError(error) && error.code === 'VALIDATION_FAILED') return { kind: 'invalid', message: error.message, fields: fieldErrors(error) };
          return { kind: 'failed', message: errorMessage(error), forbidden: isApiError(error) && error.code === 'FORBIDDEN' };
        }
      },

      async loadDeliveries() {
        const mine = ++deliveriesSeq;
        try {
          const result = await client.call('listNotificationDeliveries', { limit });
          if (mine === deliveriesSeq) set({ deliveries: result.deliveries, deliveriesLoaded: true, deliveriesError: null });
        } catch (error) {
          if (mine === deliveriesSeq) set({ deliveriesLoaded: true, deliveriesError: errorMessage(error) });
        }
      },

      async sendTest(channel, webhookId) {
        const key = testKey(channel, webhookId);
        set({ testing: { ...get().testing, [key]: true } });
        const done = () => {
          const { [key]: _done, ...rest } = get().testing;
          set({ testing: rest });
        };
        try {
          const value = await client.call('testNotification', channel === 'webhook' ? { channel, webhookId } : { channel });
          done();
          if (value.delivery) void get().loadDeliveries();
          return { kind: 'sent', value };
        } catch (error) {
          done();
          return { kind: 'failed', message: errorMessage(error), forbidden: isApiError(error) && error.code === 'FORBIDDEN' };
        }
      },

      retain() {
        retained += 1;
        if (retained === 1) {
          unsubscribe = client.subscribe({
            onEvents: (events) => get().applyEvents(events),
            onReset: () => void get().loadDeliveries(),
          });
          poll();
        }
        void get().load();
        void get().loadDeliveries();
        let released = false;
        return () => {
          if (released) return;
          released = true;
          retained -= 1;
          if (retained === 0) stop();
        };
      },

      applyEvents(events) {
        if (events.some((e) => e.type === 'notification')) scheduleRefresh();
      },

      dispose() {
        retained = 0;
        stop();
      },
    };
  });
}

const perSession = new WeakMap<MediaClient, NotificationsStore>();

/** The session's store (one per client), so the page shows what it had when the user comes back. */
export function notificationsStoreFor(client: MediaClient): NotificationsStore {
  let store = perSession.get(client);
  if (!store) perSession.set(client, (store = createNotificationsStore(client)));
  return store;
}
