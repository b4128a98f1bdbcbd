/**
 * When the queue may start work, beyond pause: the time windows and GPU yield
 * (getSchedules / setSchedules) and the drain (drainQueue). The drain's state is part of the
 * queue's state, which the session's queue store keeps (live from `queue.updated`): a drain's
 * answer goes there, so every control that shows the queue follows at once.
 *
 * While the Schedules page is shown (activate()), the schedule is read again just after the next
 * window boundary (`nextChange` of any category), so "open until 07:00" turns into "closed, opens
 * 22:00" without a reload. Saves answer an outcome instead of throwing: `invalid` carries the
 * server's field errors by dotted path (`windows.0.end`).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ScheduleState } from '../../../shared/contracts/queue-control';
import { errorMessage, fieldErrors, isApiError } from '../api/api-error';
import type { MediaClient, OperationInput } from '../api/media-client';
import { realTimers, type Timers } from '../lib/batcher';
import type { QueueStore } from './queue-store';

export type ScheduleSaveOutcome =
  | { readonly kind: 'saved'; readonly value: ScheduleState }
  | { readonly kind: 'invalid'; readonly message: string; readonly fields: Readonly<Record<string, string>> }
  /** forbidden: the session has said so already (a toast). */
  | { readonly kind: 'failed'; readonly message: string; readonly forbidden: boolean };

export interface QueueControlState {
  readonly schedules: ScheduleState | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly saving: boolean;
  /** A drain request in flight. */
  readonly draining: boolean;
  readonly drainError: string | null;

  load(): Promise<void>;
  save(input: OperationInput<'setSchedules'>): Promise<ScheduleSaveOutcome>;
  /** Starts a drain; true when the server took it. */
  drain(): Promise<boolean>;
  /** While a page shows the schedule: re-read it at the next boundary. Returns the stop function. */
  activate(): () => void;
}

export type QueueControlStore = StoreApi<QueueControlState>;

export interface QueueControlStoreOptions {
  /** The session's queue store: a drain's answer (the queue's new state) goes there. */
  readonly queue?: QueueStore;
  readonly timers?: Timers;
  /** Re-read this long after a boundary (the server re-evaluates at it). */
  readonly boundarySlackMs?: number;
}

/** Longest wait before a re-read (a timer far ahead drifts, and the machine may sleep). */
const MAX_WAIT_MS = 60 * 60_000;

export function createQueueControlStore(client: MediaClient, options: QueueControlStoreOptions = {}): QueueControlStore {
  const timers = options.timers ?? realTimers;
  const slack = options.boundarySlackMs ?? 1500;
  let active = 0;
  let timer: unknown = null;
  let seq = 0;

  return createStore<QueueControlState>()((set, get) => {
    const clearTimer = () => {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    };

    /** The next boundary of any category, while a page shows the schedule. */
    const schedule = () => {
      clearTimer();
      const state = get().schedules;
      if (active === 0 || !state) return;
      const changes = Object.values(state.categories)
        .map((c) => (c?.nextChange ? Date.parse(c.nextChange) : NaN))
        .filter((t) => Number.isFinite(t));
      if (changes.length === 0) return;
      const wait = Math.min(MAX_WAIT_MS, Math.max(1000, Math.min(...changes) - timers.now() + slack));
      timer = timers.setTimeout(() => {
        timer = null;
        void get().load();
      }, wait);
    };

    const took = (schedules: ScheduleState) => {
      set({ schedules, error: null });
      schedule();
    };

    return {
      schedules: null,
      loading: false,
      error: null,
      saving: false,
      draining: false,
      drainError: null,

      async load() {
        const mine = ++seq;
        set({ loading: true });
        try {
          const schedules = await client.call('getSchedules', {});
          if (mine !== seq) return;
          set({ loading: false });
          took(schedules);
        } catch (error) {
          if (mine !== seq) return;
          set({ loading: false, error: errorMessage(error) });
        }
      },

      async save(input) {
        set({ saving: true });
        try {
          const schedules = await client.call('setSchedules', input);
          seq += 1; // a read in flight answers older settings
          set({ saving: false });
          took(schedules);
          return { kind: 'saved', value: schedules };
        } catch (error) {
          set({ saving: false });
          if (isApiError(error) && error.code === 'VALIDATION_FAILED') return { kind: 'invalid', message: error.message, fields: fieldErrors(error) };
          return { kind: 'failed', message: errorMessage(error), forbidden: isApiError(error) && error.code === 'FORBIDDEN' };
        }
      },

      async drain() {
        set({ draining: true, drainError: null });
        try {
          const queue = await client.call('drainQueue', {});
          options.queue?.setState({ queue });
          set({ draining: false });
          return true;
        } catch (error) {
          set({ draining: false, drainError: errorMessage(error) });
          return false;
        }
      },

      activate() {
        active += 1;
        schedule();
        let stopped = false;
        return () => {
          if (stopped) return;
          stopped = true;
          active -= 1;
          if (active === 0) clearTimer();
        };
      },
    };
  });
}

const perSession = new WeakMap<MediaClient, QueueControlStore>();

/** The session's store (one per client, sharing its queue store), kept while the session lasts. */
export function queueControlStoreFor(stores: { readonly client: MediaClient; readonly queue: QueueStore }): QueueControlStore {
  let store = perSession.get(stores.client);
  if (!store) perSession.set(stores.client, (store = createQueueControlStore(stores.client, { queue: stores.queue })));
  return store;
}
