/**
 * All stores of one signed-in session, built around one MediaClient, and the single live-event
 * subscription that feeds them: events are coalesced by a batcher and applied at most every
 * ~250 ms, so a burst (50 running jobs reporting progress) costs one update per store per interval.
 * A `reset` from the stream (events were missed) reloads everything. Who the caller is (getSession)
 * is read at the start; a 403 from any call says so in a toast and reads it again.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { MediaClient, StreamStatus } from '../api/media-client';
import { watchForbidden } from '../api/watch-forbidden';
import { forbiddenMessage } from '../lib/access';
import { createBatcher, realTimers, type Timers } from '../lib/batcher';
import { createDashboardStore, type DashboardStore } from './dashboard-store';
import { createJobDetailStore, type JobDetailStore } from './job-detail-store';
import { createJobRatesStore, type JobRatesStore } from './job-rates-store';
import { createJobsStore, type JobsStore } from './jobs-store';
import { createLibraryStore, type LibraryStore } from './library-store';
import { createQueueStore, type QueueStore } from './queue-store';
import { createSessionStore, type SessionStore } from './session-store';
import { createSystemStore, type SystemStore } from './system-store';
import { showToast, toastStore } from './toast-store';

export interface ConnectionState {
  readonly status: StreamStatus;
  /** When the live stream was lost (epoch ms), while it is reconnecting or closed. */
  readonly lostAt?: number | null;
  /** When it came back after an outage (epoch ms); null until then. */
  readonly reconnectedAt?: number | null;
}

export interface AppStores {
  readonly client: MediaClient;
  /** Who the caller is and what it may do. */
  readonly session: SessionStore;
  readonly jobs: JobsStore;
  readonly queue: QueueStore;
  readonly detail: JobDetailStore;
  readonly library: LibraryStore;
  readonly system: SystemStore;
  readonly dashboard: DashboardStore;
  /** Speed and frame rate of running jobs, from their live console. */
  readonly rates: JobRatesStore;
  readonly connection: StoreApi<ConnectionState>;
  /** Subscribes to live events and loads the first data; returns the stop function. */
  start(): () => void;
}

export interface AppStoresOptions {
  readonly batchIntervalMs?: number;
  readonly timers?: Timers;
}

const FORBIDDEN_TITLE = 'Not allowed with this token';

export function createAppStores(transport: MediaClient, options: AppStoresOptions = {}): AppStores {
  const timers = options.timers ?? realTimers;
  const session = createSessionStore(transport);
  const client = watchForbidden(transport, (error) => {
    const message = forbiddenMessage(error);
    // a bulk action refused for every job says it once
    if (!toastStore.getState().toasts.some((t) => t.title === FORBIDDEN_TITLE && t.message === message)) showToast({ color: 'red', title: FORBIDDEN_TITLE, message }, 8000);
    void session.getState().load(); // the role may have changed since it was read
  });
  const jobs = createJobsStore(client, { timers });
  const queue = createQueueStore(client);
  const detail = createJobDetailStore(client, { timers });
  const library = createLibraryStore(client, { timers });
  const system = createSystemStore(client);
  const dashboard = createDashboardStore(client, { timers });
  const rates = createJobRatesStore();
  const connection = createStore<ConnectionState>()(() => ({ status: 'connecting' }));

  const apply = (events: MediaEvent[]) => {
    jobs.getState().applyEvents(events);
    queue.getState().applyEvents(events);
    detail.getState().applyEvents(events);
    library.getState().applyEvents(events);
    dashboard.getState().applyEvents(events);
    rates.getState().applyEvents(events);
  };

  const reloadAll = () => {
    void session.getState().load();
    void jobs.getState().load();
    void queue.getState().load();
    void detail.getState().reloadJob();
    // the library and system pages load when shown; reload what is already there
    if (library.getState().pagination) void library.getState().load();
    if (system.getState().info) void system.getState().load();
    if (dashboard.getState().loaded) void dashboard.getState().load();
  };

  return {
    client,
    session,
    jobs,
    queue,
    detail,
    library,
    system,
    dashboard,
    rates,
    connection,
    start() {
      const batcher = createBatcher<MediaEvent>(apply, options.batchIntervalMs ?? 250, timers);
      let outage = false;
      let stopped = false;
      const unsubscribe = client.subscribe({
        onEvents: (events) => batcher.push(events),
        onReset: () => {
          batcher.flush();
          reloadAll();
        },
        onStatus: (status) => {
          // the `closed` of our own stop (sign-out, or a remount) is no outage: nothing to tell
          if (stopped) return;
          const offline = status === 'reconnecting' || status === 'closed';
          const before = connection.getState();
          connection.setState({
            status,
            lostAt: offline ? (before.lostAt ?? timers.now()) : null,
            reconnectedAt: status === 'live' && before.lostAt != null ? timers.now() : (before.reconnectedAt ?? null),
          });
          // A reconnect replays what was missed (lastEventId) or says `reset`; but a server that
          // restarted meanwhile has a new history and cannot know, so re-read after any outage.
          if (status === 'reconnecting') outage = true;
          if (status === 'live' && outage) {
            outage = false;
            batcher.flush();
            reloadAll();
          }
        },
      });
      void session.getState().load();
      void jobs.getState().load();
      void queue.getState().load();
      return () => {
        stopped = true;
        unsubscribe();
        batcher.dispose();
        jobs.getState().dispose();
        library.getState().dispose();
        detail.getState().close();
        dashboard.getState().deactivate();
      };
    },
  };
}
