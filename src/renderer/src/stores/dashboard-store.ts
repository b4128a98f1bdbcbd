/**
 * The dashboard's data: every live job (running or suspended) with its files, the failures of the
 * last 24 hours, jobs ended per hour (getThroughput), the fleet's nodes (limits, GPUs), the savings
 * ledger by day and this node's GPU telemetry. Loaded when the dashboard opens; live events keep it current: progress is
 * applied in place, a job that stops running leaves at once, and anything that changes which jobs
 * are live or how many ended triggers one debounced re-read.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { Fleet } from '../../../shared/contracts/fleet';
import type { Job, Throughput } from '../../../shared/contracts/job';
import type { SystemInfo } from '../../../shared/contracts/system';
import type { Savings } from '../../../shared/contracts/transcode';
import { isLiveStatus } from '../../../shared/domain/statuses';
import { errorMessage } from '../api/api-error';
import type { MediaClient } from '../api/media-client';
import { realTimers, type Timers } from '../lib/batcher';

const DAY_MS = 24 * 3_600_000;

export interface DashboardState {
  readonly live: readonly Job[];
  readonly failures: readonly Job[];
  readonly throughput: Throughput | null;
  readonly fleet: Fleet | null;
  readonly gpus: SystemInfo['gpus'] | null;
  /** The savings ledger by day (null until read, or where it cannot be read: the tile says so). */
  readonly savings: Savings | null;
  readonly loaded: boolean;
  readonly error: string | null;
  /** Loads and keeps refreshing (GPU telemetry every `telemetryMs`) until deactivate. */
  activate(): void;
  deactivate(): void;
  load(): Promise<void>;
  applyEvents(events: readonly MediaEvent[]): void;
}

export type DashboardStore = StoreApi<DashboardState>;

export interface DashboardStoreOptions {
  readonly timers?: Timers;
  readonly refreshDelayMs?: number;
  readonly telemetryMs?: number;
}

export function createDashboardStore(client: MediaClient, options: DashboardStoreOptions = {}): DashboardStore {
  const timers = options.timers ?? realTimers;
  const refreshDelayMs = options.refreshDelayMs ?? 800;
  const telemetryMs = options.telemetryMs ?? 10_000;
  let active = false;
  let refreshTimer: unknown = null;
  let telemetryTimer: unknown = null;
  let seq = 0;

  return createStore<DashboardState>()((set, get) => {
    const scheduleRefresh = () => {
      if (!active || refreshTimer !== null) return;
      refreshTimer = timers.setTimeout(() => {
        refreshTimer = null;
        void get().load();
      }, refreshDelayMs);
    };

    const readTelemetry = async () => {
      try {
        const info = await client.call('getSystemInfo', {});
        if (active) set({ gpus: info.gpus });
      } catch {
        // the dashboard shows what it has; the System page says what is wrong
      }
      if (active) telemetryTimer = timers.setTimeout(() => void readTelemetry(), telemetryMs);
    };

    return {
      live: [],
      failures: [],
      throughput: null,
      fleet: null,
      gpus: null,
      savings: null,
      loaded: false,
      error: null,

      activate() {
        if (active) return;
        active = true;
        void get().load();
        void readTelemetry();
      },

      deactivate() {
        active = false;
        for (const timer of [refreshTimer, telemetryTimer]) if (timer !== null) timers.clearTimeout(timer);
        refreshTimer = null;
        telemetryTimer = null;
      },

      async load() {
        const mine = ++seq;
        try {
          const [running, suspended, failed, throughput, fleet, savings] = await Promise.all([
            client.call('listJobs', { status: 'running', limit: 100 }),
            client.call('listJobs', { status: 'suspended', limit: 100 }),
            client.call('listJobs', { status: 'failed', limit: 25 }),
            client.call('getThroughput', { hours: 24 }),
            client.call('listNodes', {}).catch(() => get().fleet),
            // re-read with the rest: a transcode that ends triggers this refresh, and it moves the total
            client.call('getSavings', { groupBy: 'day' }).catch(() => get().savings),
          ]);
          if (mine !== seq) return;
          const since = timers.now() - DAY_MS;
          const failures = failed.data.filter((j) => j.completedAt !== null && Date.parse(j.completedAt) >= since);
          set({ live: [...running.data, ...suspended.data], failures, throughput, fleet, savings, loaded: true, error: null });
        } catch (error) {
          if (mine === seq) set({ error: errorMessage(error), loaded: true });
        }
      },

      applyEvents(events) {
        if (!active) return;
        const state = get();
        let live: Job[] | null = null;
        const rows = () => (live ??= [...state.live]);
        let refresh = false;
        for (const event of events) {
          if (event.type === 'job.progress') {
            const i = (live ?? state.live).findIndex((j) => j.id === event.jobId);
            if (i >= 0 && rows()[i]!.progress !== event.progress) rows()[i] = { ...rows()[i]!, progress: event.progress };
          } else if (event.type === 'job.updated' || event.type === 'job.created') {
            const i = (live ?? state.live).findIndex((j) => j.id === event.job.id);
            if (i >= 0 && isLiveStatus(event.job.status)) {
              const previous = rows()[i]!;
              rows()[i] = { ...event.job, input: previous.input, outputs: previous.outputs };
            } else if (i >= 0) {
              rows().splice(i, 1);
              refresh = true; // it ended: the counts and failures move
            } else if (isLiveStatus(event.job.status) || event.job.status === 'failed' || event.job.status === 'completed') {
              refresh = true;
            }
          }
        }
        if (live !== null) set({ live });
        if (refresh) scheduleRefresh();
      },
    };
  });
}
