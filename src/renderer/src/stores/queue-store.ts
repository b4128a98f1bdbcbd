/**
 * Queue statistics (getStats, then `stats.changed` events) and the queue's pause state
 * (getQueueState; changed by pause/resume, whose answers carry the new state, and by `queue.updated`
 * events: a drain began, drained or ended).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { QueueState, Stats } from '../../../shared/contracts/job';
import type { ResourceCategory } from '../../../shared/domain/statuses';
import { errorMessage } from '../api/api-error';
import type { MediaClient } from '../api/media-client';

export interface QueueStoreState {
  readonly stats: Stats | null;
  readonly queue: QueueState | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** A pause/resume request in flight ('all' or a category). */
  readonly busy: ResourceCategory | 'all' | null;
  readonly actionError: string | null;

  load(): Promise<void>;
  applyEvents(events: readonly MediaEvent[]): void;
  pause(category?: ResourceCategory): Promise<void>;
  resume(category?: ResourceCategory): Promise<void>;
}

export type QueueStore = StoreApi<QueueStoreState>;

export function createQueueStore(client: MediaClient): QueueStore {
  return createStore<QueueStoreState>()((set, get) => {
    const toggle = async (op: 'pauseQueue' | 'resumeQueue', category?: ResourceCategory) => {
      set({ busy: category ?? 'all', actionError: null });
      try {
        const queue = await client.call(op, category ? { category } : {});
        set({ queue, busy: null });
      } catch (error) {
        set({ busy: null, actionError: errorMessage(error) });
      }
    };
    return {
      stats: null,
      queue: null,
      loading: false,
      error: null,
      busy: null,
      actionError: null,

      async load() {
        set({ loading: true });
        try {
          const [stats, queue] = await Promise.all([client.call('getStats', {}), client.call('getQueueState', {})]);
          set({ stats, queue, loading: false, error: null });
        } catch (error) {
          set({ loading: false, error: errorMessage(error) });
        }
      },

      applyEvents(events) {
        let stats: Stats | null = null;
        let queue: QueueState | null = null;
        for (const event of events) {
          if (event.type === 'stats.changed') stats = event.stats;
          // a drain began, drained or ended (here or through another caller or node)
          else if (event.type === 'queue.updated') queue = event.queue;
        }
        if (stats !== null && stats !== get().stats) set({ stats });
        if (queue !== null) set({ queue });
      },

      pause: (category) => toggle('pauseQueue', category),
      resume: (category) => toggle('resumeQueue', category),
    };
  });
}
