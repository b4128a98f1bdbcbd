/**
 * The dashboard's data: every live job (running or suspended) with its files, the failures of the
 * last 24 hours, jobs ended per hour (getThroughput), the fleet's nodes (limits, GPUs), the savings
 * ledger by day and this node's GPU telemetry. Loaded when the dashboard opens; live events keep it current: progress is
 * applied in place, a job that stops running leaves at once, and anything that changes which jobs
 * are live or how many ended triggers one debounced re-read.
 *
 * A segmented encode (#20) is one job to the user: while its parts run, the parent itself waits
 * (status pending) and the list of running jobs hides the parts. The dashboard reads the running
 * parts too (`includeChildren`), shows one tile per parent (`segmented`, read with getJob: its view
 * carries the chunk counts, the aggregated progress and ETA), never the parts, and counts the parts
 * in the slot gauges (`parts`). A part's progress re-reads its parents (debounced).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { Fleet } from '../../../shared/contracts/fleet';
import type { Job, Throughput } from '../../../shared/contracts/job';
import type { SystemInfo } from '../../../shared/contracts/system';
import type { Savings } from '../../../shared/contracts/transcode';
import { isSegmentChild } from '../../../shared/domain/job-types';
import { isLiveStatus, WAITING_STATUSES } from '../../../shared/domain/statuses';
import { errorMessage } from '../api/api-error';
import type { MediaClient } from '../api/media-client';
import { realTimers, type Timers } from '../lib/batcher';

const DAY_MS = 24 * 3_600_000;

export interface DashboardState {
  readonly live: readonly Job[];
  /** Segmented encodes whose parts run while the parent waits for them: one tile each (#20). */
  readonly segmented: readonly Job[];
  /** The running parts of segmented encodes (slots in use; never tiles). */
  readonly parts: readonly Job[];
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

const withoutLog = ({ log, ...job }: Job & { log: string }): Job => (void log, job);

/** The parents still waiting for their parts (a parent read as ended or running is left to the other lists). */
async function readParentsOf(client: MediaClient, ids: readonly string[]): Promise<Job[]> {
  // getJob carries the parent's own log: a few lines (plan, hand-off), the parts log their encodes
  const read = await Promise.all(ids.map((id) => client.call('getJob', { id }).then(withoutLog, () => null)));
  return read.filter((j): j is Job => j !== null && WAITING_STATUSES.includes(j.status));
}

export function createDashboardStore(client: MediaClient, options: DashboardStoreOptions = {}): DashboardStore {
  const timers = options.timers ?? realTimers;
  const refreshDelayMs = options.refreshDelayMs ?? 800;
  const telemetryMs = options.telemetryMs ?? 10_000;
  let active = false;
  let refreshTimer: unknown = null;
  let telemetryTimer: unknown = null;
  let parentsTimer: unknown = null;
  let seq = 0;
  const readParents = (ids: readonly string[]) => readParentsOf(client, ids);

  return createStore<DashboardState>()((set, get) => {
    const scheduleRefresh = () => {
      if (!active || refreshTimer !== null) return;
      refreshTimer = timers.setTimeout(() => {
        refreshTimer = null;
        void get().load();
      }, refreshDelayMs);
    };

    // a part progressed: its parent's aggregated progress and ETA did (one getJob per parent, debounced)
    const scheduleParents = () => {
      if (!active || parentsTimer !== null) return;
      parentsTimer = timers.setTimeout(() => {
        parentsTimer = null;
        const mine = seq;
        void readParents(get().segmented.map((j) => j.id)).then((parents) => {
          if (active && mine === seq) set({ segmented: parents });
        });
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
      segmented: [],
      parts: [],
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
        for (const timer of [refreshTimer, telemetryTimer, parentsTimer]) if (timer !== null) timers.clearTimeout(timer);
        refreshTimer = null;
        telemetryTimer = null;
        parentsTimer = null;
      },

      async load() {
        const mine = ++seq;
        try {
          const [running, suspended, failed, throughput, fleet, savings, withParts] = await Promise.all([
            client.call('listJobs', { status: 'running', limit: 100 }),
            client.call('listJobs', { status: 'suspended', limit: 100 }),
            client.call('listJobs', { status: 'failed', limit: 25 }),
            client.call('getThroughput', { hours: 24 }),
            client.call('listNodes', {}).catch(() => get().fleet),
            // re-read with the rest: a transcode that ends triggers this refresh, and it moves the total
            client.call('getSavings', { groupBy: 'day' }).catch(() => get().savings),
            // the running parts of segmented encodes (both types in one read: any job with a parent)
            client.call('listJobs', { status: 'running', includeChildren: 'true', limit: 200 }),
          ]);
          if (mine !== seq) return;
          const live = [...running.data, ...suspended.data];
          const parts = withParts.data.filter((j) => j.parentJobId !== null && isSegmentChild(j.type));
          // a parent in its join run is running itself: it has its tile already
          const liveIds = new Set(live.map((j) => j.id));
          const segmented = await readParents([...new Set(parts.map((j) => j.parentJobId!))].filter((id) => !liveIds.has(id)));
          if (mine !== seq) return;
          const since = timers.now() - DAY_MS;
          const failures = failed.data.filter((j) => j.completedAt !== null && Date.parse(j.completedAt) >= since);
          set({ live, segmented, parts, failures, throughput, fleet, savings, loaded: true, error: null });
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
        let parents = false;
        const partIds = new Set(state.parts.map((j) => j.id));
        for (const event of events) {
          if (event.type === 'job.progress') {
            if (partIds.has(event.jobId)) parents = true;
            const i = (live ?? state.live).findIndex((j) => j.id === event.jobId);
            if (i >= 0 && rows()[i]!.progress !== event.progress) rows()[i] = { ...rows()[i]!, progress: event.progress };
          } else if (event.type === 'job.updated' || event.type === 'job.created') {
            // a part started or ended, or a waiting parent moved on (to its join, or its end): which tiles show changes
            if (partIds.has(event.job.id) || (event.job.parentJobId !== null && isSegmentChild(event.job.type)) || state.segmented.some((j) => j.id === event.job.id)) refresh = true;
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
        else if (parents) scheduleParents();
      },
    };
  });
}
