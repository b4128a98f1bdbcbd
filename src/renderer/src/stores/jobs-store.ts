/**
 * The Jobs page's list: filters, server-side pagination (listJobs), row selection, and live
 * updates. Events arrive already batched (see app-stores.ts) and are applied in one state change:
 * rows on the page are updated in place (unchanged rows keep their identity, so memoised rows do
 * not re-render); anything that may change which jobs belong on the page (a new job, a status
 * change under a status filter) only marks the page stale and refreshes it lazily, once.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { Job, JobList } from '../../../shared/contracts/job';
import type { JobType } from '../../../shared/domain/job-types';
import { isLiveStatus, WAITING_STATUSES, type JobStatus, type ResourceCategory } from '../../../shared/domain/statuses';
import { errorMessage } from '../api/api-error';
import type { MediaClient } from '../api/media-client';
import { realTimers, type Timers } from '../lib/batcher';

const isLiveOrWaiting = (status: JobStatus) => isLiveStatus(status) || WAITING_STATUSES.includes(status);

export interface JobFilters {
  readonly status: JobStatus | null;
  readonly type: JobType | null;
  readonly resourceCategory: ResourceCategory | null;
  /** Input or output file name (server-side search); '' for none. */
  readonly search: string;
  /** Created on or after / on or before these days (local `YYYY-MM-DD`), inclusive. */
  readonly createdFrom: string | null;
  readonly createdTo: string | null;
}

export const NO_JOB_FILTERS: JobFilters = { status: null, type: null, resourceCategory: null, search: '', createdFrom: null, createdTo: null };

export function hasJobFilters(f: JobFilters): boolean {
  return f.status !== null || f.type !== null || f.resourceCategory !== null || f.search !== '' || f.createdFrom !== null || f.createdTo !== null;
}

/** A local day's start as an instant; `after` gives the next day's start (an inclusive end). */
export function dayStart(day: string, after = false): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (after ? 1 : 0));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The listJobs input of these filters (only what is set). */
export function listInputOf(filters: JobFilters): Record<string, string> {
  const from = filters.createdFrom ? dayStart(filters.createdFrom) : null;
  const to = filters.createdTo ? dayStart(filters.createdTo, true) : null;
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.resourceCategory ? { resourceCategory: filters.resourceCategory } : {}),
    ...(filters.search.trim() ? { search: filters.search.trim() } : {}),
    ...(from ? { createdFrom: from } : {}),
    ...(to ? { createdTo: to } : {}),
  };
}

export interface JobsState {
  readonly filters: JobFilters;
  readonly page: number;
  readonly limit: number;
  readonly jobs: readonly Job[];
  readonly pagination: JobList['pagination'] | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** Events said the page may no longer be what the server would answer; a refresh is scheduled. */
  readonly stale: boolean;
  readonly selected: ReadonlySet<string>;

  load(): Promise<void>;
  setFilters(filters: Partial<JobFilters>): void;
  setPage(page: number): void;
  setLimit(limit: number): void;
  /** Filters, page and page size at once (from the URL), then one load. */
  restore(view: { filters: JobFilters; page: number; limit: number }): void;
  applyEvents(events: readonly MediaEvent[]): void;
  /** Puts a job the UI just changed (action result) into the page, if it is there. */
  patchJob(id: string, patch: Partial<Job>): void;
  toggleSelected(id: string): void;
  setSelected(ids: Iterable<string>): void;
  clearSelection(): void;
  /** Stops the lazy refresh timer. */
  dispose(): void;
}

export interface JobsStoreOptions {
  /** Delay of the lazy refresh after events made the page stale. */
  readonly refreshDelayMs?: number;
  readonly timers?: Timers;
  readonly limit?: number;
}

/** Whether a job belongs under the filters, as far as this side can tell (a search or dates: the server decides). */
function matches(job: Job, filters: JobFilters): boolean {
  return (
    (filters.status === null || job.status === filters.status) &&
    (filters.type === null || job.type === filters.type) &&
    (filters.resourceCategory === null || job.resourceCategory === filters.resourceCategory)
  );
}

export type JobsStore = StoreApi<JobsState>;

export function createJobsStore(client: MediaClient, options: JobsStoreOptions = {}): JobsStore {
  const timers = options.timers ?? realTimers;
  const refreshDelayMs = options.refreshDelayMs ?? 1000;
  let requestSeq = 0;
  let refreshTimer: unknown = null;
  /**
   * Events seen while a listJobs request is in flight: its answer may predate them, so they are
   * applied again on top of it (later events arrive later still, so the end state is right).
   */
  let inFlightEvents: MediaEvent[] | null = null;

  return createStore<JobsState>()((set, get) => {
    const scheduleRefresh = () => {
      if (refreshTimer !== null) return;
      refreshTimer = timers.setTimeout(() => {
        refreshTimer = null;
        void get().load();
      }, refreshDelayMs);
    };

    return {
      filters: NO_JOB_FILTERS,
      page: 1,
      limit: options.limit ?? 25,
      jobs: [],
      pagination: null,
      loading: false,
      error: null,
      stale: false,
      selected: new Set(),

      async load() {
        const seq = ++requestSeq;
        const { filters, page, limit } = get();
        set({ loading: true });
        inFlightEvents = [];
        try {
          const result = await client.call('listJobs', { page, limit, ...listInputOf(filters) });
          if (seq !== requestSeq) return;
          const { totalPages } = result.pagination;
          // the page we were on emptied (jobs finished under a filter): step back to the last one
          if (result.data.length === 0 && page > 1 && totalPages < page) {
            set({ page: Math.max(1, totalPages) });
            return get().load();
          }
          const ids = new Set(result.data.map((j) => j.id));
          const selected = new Set([...get().selected].filter((id) => ids.has(id)));
          const replay = inFlightEvents ?? [];
          inFlightEvents = null;
          set({ jobs: result.data, pagination: result.pagination, loading: false, error: null, stale: false, selected });
          if (replay.length > 0) get().applyEvents(replay.filter((e) => e.type !== 'job.created'));
        } catch (error) {
          if (seq !== requestSeq) return;
          inFlightEvents = null;
          set({ loading: false, error: errorMessage(error) });
        }
      },

      setFilters(filters) {
        set({ filters: { ...get().filters, ...filters }, page: 1, selected: new Set() });
        void get().load();
      },

      setPage(page) {
        if (page === get().page) return;
        set({ page, selected: new Set() });
        void get().load();
      },

      setLimit(limit) {
        set({ limit, page: 1 });
        void get().load();
      },

      restore({ filters, page, limit }) {
        set({ filters, page, limit, selected: new Set() });
        void get().load();
      },

      applyEvents(events) {
        if (inFlightEvents !== null) inFlightEvents.push(...events);
        const state = get();
        const index = new Map(state.jobs.map((job, i) => [job.id, i]));
        let jobs: Job[] | null = null;
        let stale = false;
        const rows = () => (jobs ??= [...state.jobs]);

        for (const event of events) {
          switch (event.type) {
            case 'job.created':
              // new jobs come first (newest first), and totals change: refresh lazily
              if (matches(event.job, state.filters)) stale = true;
              break;
            case 'job.updated': {
              const i = index.get(event.job.id);
              if (i === undefined) {
                // only a status filter can bring a job not on this page onto it
                if (state.filters.status !== null && event.job.status === state.filters.status) stale = true;
                // a part of a segmented encode that moved on needs no page read: the server sends its
                // parent's view soon after it (coalesced, ~100 ms), with the new counts and progress (#20)
                break;
              }
              // events carry no queuePosition (a start or an insert ahead moves every job behind it, and
              // those get no event); keep the page's while the job still waits, none once it does not
              const previous = rows()[i]!;
              // events carry no files either (the page read them): keep those
              rows()[i] = {
                ...event.job,
                queuePosition: event.job.queuePosition ?? (WAITING_STATUSES.includes(event.job.status) ? previous.queuePosition : null),
                input: event.job.input !== undefined ? event.job.input : previous.input,
                outputs: event.job.outputs ?? previous.outputs,
                ...(previous.chunks && !event.job.chunks ? { chunks: previous.chunks } : {}),
                // a segmented parent's own update carries its stored progress (0 when its join run is claimed), and
                // its view read again after a part's change may lag its live progress: it does not go backwards until it ends (#20)
                ...(previous.chunks && isLiveOrWaiting(previous.status) && isLiveOrWaiting(event.job.status) ? { progress: Math.max(previous.progress, event.job.progress) } : {}),
              };
              if (!matches(event.job, state.filters)) stale = true;
              // a job that just completed has outputs to show: the page read picks them up
              if (event.job.status === 'completed' && previous.status !== 'completed') stale = true;
              break;
            }
            case 'job.progress': {
              const i = index.get(event.jobId);
              if (i === undefined) break;
              const row = rows()[i]!;
              if (row.progress !== event.progress) rows()[i] = { ...row, progress: event.progress };
              break;
            }
            default:
              break;
          }
        }
        if (jobs !== null) set({ jobs });
        if (stale) {
          set({ stale: true });
          scheduleRefresh();
        }
      },

      patchJob(id, patch) {
        const jobs = get().jobs;
        const i = jobs.findIndex((j) => j.id === id);
        if (i < 0) return;
        const next = [...jobs];
        next[i] = { ...jobs[i]!, ...patch };
        set({ jobs: next });
      },

      toggleSelected(id) {
        const selected = new Set(get().selected);
        if (selected.has(id)) selected.delete(id);
        else selected.add(id);
        set({ selected });
      },

      setSelected(ids) {
        set({ selected: new Set(ids) });
      },

      clearSelection() {
        set({ selected: new Set() });
      },

      dispose() {
        if (refreshTimer !== null) timers.clearTimeout(refreshTimer);
        refreshTimer = null;
      },
    };
  });
}
