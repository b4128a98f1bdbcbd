/**
 * Library transcoding as the UI shows it (issue #17): the space saved, summed by the server from
 * its savings ledger for each grouping (getSavings: day, codec, folder, node), a finished job's
 * result (getJobResult: outcome, sizes, codecs, checks), and a video's replace/restore history with
 * its quarantined original (getVideoTranscodes), which the library's rows show and restore
 * (restoreVideo).
 *
 * The store keeps itself current while something shows it (`retain()`, counted): it follows the
 * live events on its own subscription (the transport shares one stream between subscribers), and
 * a transcode or re-encode that ends re-reads the savings once (debounced) and forgets that job's
 * result and its video's history, so whatever shows them reads them again. A restore writes no
 * event: the store re-reads what it changes itself. Nothing is read or subscribed while unretained.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import { SAVINGS_GROUPS, type JobResult, type Savings, type VideoTranscodes } from '../../../shared/contracts/transcode';
import { errorMessage, isApiError } from '../api/api-error';
import type { MediaClient, OperationOutput } from '../api/media-client';
import { createBatcher, realTimers, type Timers } from '../lib/batcher';

export type SavingsGroupBy = (typeof SAVINGS_GROUPS)[number];

/** One thing read on demand: `none` is the server's NOT_FOUND (no result yet, no such video). */
export type Loadable<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'none'; readonly message: string }
  | { readonly status: 'error'; readonly message: string };

export type RestoreOutput = OperationOutput<'restoreVideo'>;

/** Job types that write a ledger row when they end (and so move the savings). */
export const LEDGER_JOB_TYPES: ReadonlySet<string> = new Set(['transcode', 'reencode_streaming']);

export interface SavingsState {
  /** The savings by each grouping (each carries the same `total`); absent until read. */
  readonly byGroup: Readonly<Partial<Record<SavingsGroupBy, Savings>>>;
  /** The first read has answered (well or not). */
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly error: string | null;
  /** When the savings were last read (the store's clock, ms). */
  readonly updatedAt: number | null;
  readonly results: Readonly<Record<string, Loadable<JobResult>>>;
  readonly transcodes: Readonly<Record<string, Loadable<VideoTranscodes>>>;
  /** Videos whose restore is under way. */
  readonly restoring: Readonly<Record<string, true>>;

  /** Something shows the savings: read them now and keep them current until the returned release. */
  retain(options?: { readonly savings?: boolean }): () => void;
  /** Reads every grouping again. */
  load(): Promise<void>;
  /** Reads a job's result unless it is known (or being read); `force` reads it again. */
  loadResult(jobId: string, force?: boolean): void;
  /**
   * Reads a video's history and quarantined original unless known; `force` reads it again, and so
   * does a `stamp` (the row's updatedAt) other than the one it was read for (the file changed).
   */
  loadTranscodes(videoId: string, force?: boolean, stamp?: string): void;
  /** Puts the quarantined original back; rejects with the server's error. */
  restore(videoId: string): Promise<RestoreOutput>;
  applyEvents(events: readonly MediaEvent[]): void;
  /** Drops every timer and the subscription (the session ended). */
  dispose(): void;
}

export type SavingsStore = StoreApi<SavingsState>;

export interface SavingsStoreOptions {
  readonly timers?: Timers;
  /** Wait after a ledger-writing job ended before the savings are read again (several end together). */
  readonly refreshDelayMs?: number;
  readonly batchIntervalMs?: number;
  /** Called after a restore went through (the library re-reads its rows). */
  readonly onRestored?: (result: RestoreOutput) => void;
}

function failure(error: unknown): { status: 'none'; message: string } | { status: 'error'; message: string } {
  return isApiError(error) && error.code === 'NOT_FOUND' ? { status: 'none', message: error.message } : { status: 'error', message: errorMessage(error) };
}

export function createSavingsStore(client: MediaClient, options: SavingsStoreOptions = {}): SavingsStore {
  const timers = options.timers ?? realTimers;
  const refreshDelayMs = options.refreshDelayMs ?? 800;
  let retained = 0;
  /** How many of the retainers show the savings themselves (pages): only they make events re-read them. */
  let showingSavings = 0;
  let seq = 0;
  let refreshTimer: unknown = null;
  let unsubscribe: (() => void) | null = null;
  /** The row stamp (updatedAt) each video's transcodes were last asked for. */
  const stamps = new Map<string, string>();
  const batcher = createBatcher<MediaEvent>((events) => store.getState().applyEvents(events), options.batchIntervalMs ?? 250, timers);

  const clearRefresh = () => {
    if (refreshTimer !== null) timers.clearTimeout(refreshTimer);
    refreshTimer = null;
  };

  const store = createStore<SavingsState>()((set, get) => {
    const scheduleRefresh = () => {
      if (showingSavings === 0 || refreshTimer !== null) return;
      refreshTimer = timers.setTimeout(() => {
        refreshTimer = null;
        void get().load();
      }, refreshDelayMs);
    };

    /** Missed events (or a reconnect): what is cached may be old; read what is shown again. */
    const reloadAll = () => {
      batcher.flush();
      set({ results: {}, transcodes: {} });
      if (showingSavings > 0) void get().load();
    };

    return {
      byGroup: {},
      loaded: false,
      loading: false,
      error: null,
      updatedAt: null,
      results: {},
      transcodes: {},
      restoring: {},

      retain({ savings = true } = {}) {
        retained += 1;
        if (savings) showingSavings += 1;
        if (unsubscribe === null) {
          let outage = false;
          unsubscribe = client.subscribe({
            onEvents: (events) => batcher.push(events),
            onReset: reloadAll,
            onStatus: (status) => {
              if (status === 'reconnecting') outage = true;
              if (status === 'live' && outage) {
                outage = false;
                reloadAll();
              }
            },
          });
        }
        if (savings) void get().load();
        let released = false;
        return () => {
          if (released) return;
          released = true;
          retained -= 1;
          if (savings) showingSavings -= 1;
          if (showingSavings === 0) clearRefresh();
          if (retained === 0) {
            batcher.flush();
            unsubscribe?.();
            unsubscribe = null;
          }
        };
      },

      async load() {
        const mine = ++seq;
        set({ loading: true });
        try {
          const answers = await Promise.all(SAVINGS_GROUPS.map((groupBy) => client.call('getSavings', { groupBy })));
          if (mine !== seq) return;
          const byGroup: Partial<Record<SavingsGroupBy, Savings>> = {};
          for (const answer of answers) byGroup[answer.groupBy] = answer;
          set({ byGroup, loaded: true, loading: false, error: null, updatedAt: timers.now() });
        } catch (error) {
          if (mine === seq) set({ loaded: true, loading: false, error: errorMessage(error) });
        }
      },

      loadResult(jobId, force = false) {
        const known = get().results[jobId];
        if (known && (!force || known.status === 'loading')) return;
        set({ results: { ...get().results, [jobId]: { status: 'loading' } } });
        client.call('getJobResult', { id: jobId }).then(
          (data) => set({ results: { ...get().results, [jobId]: { status: 'ready', data } } }),
          (error: unknown) => set({ results: { ...get().results, [jobId]: failure(error) } }),
        );
      },

      loadTranscodes(videoId, force = false, stamp) {
        const known = get().transcodes[videoId];
        const changed = stamp !== undefined && stamps.has(videoId) && stamps.get(videoId) !== stamp;
        if (stamp !== undefined) stamps.set(videoId, stamp);
        if (known && ((!force && !changed) || known.status === 'loading')) return;
        set({ transcodes: { ...get().transcodes, [videoId]: { status: 'loading' } } });
        client.call('getVideoTranscodes', { id: videoId }).then(
          (data) => set({ transcodes: { ...get().transcodes, [videoId]: { status: 'ready', data } } }),
          (error: unknown) => set({ transcodes: { ...get().transcodes, [videoId]: failure(error) } }),
        );
      },

      async restore(videoId) {
        if (get().restoring[videoId]) throw new Error('This original is being restored already.');
        set({ restoring: { ...get().restoring, [videoId]: true } });
        const done = () => {
          const restoring = { ...get().restoring };
          delete restoring[videoId];
          set({ restoring });
        };
        try {
          const result = await client.call('restoreVideo', { id: videoId });
          done();
          // a restore writes a ledger row (the saving given back) and the video's history
          get().loadTranscodes(videoId, true);
          if (showingSavings > 0) void get().load();
          options.onRestored?.(result);
          return result;
        } catch (error) {
          done();
          // 404: nothing in quarantine any more (expired, restored elsewhere): show what is true now
          if (isApiError(error) && error.code === 'NOT_FOUND') get().loadTranscodes(videoId, true);
          throw error;
        }
      },

      applyEvents(events) {
        let results: Record<string, Loadable<JobResult>> | null = null;
        let transcodes: Record<string, Loadable<VideoTranscodes>> | null = null;
        let moved = false;
        for (const event of events) {
          if (event.type !== 'job.updated' || !LEDGER_JOB_TYPES.has(event.job.type)) continue;
          if (event.job.status !== 'completed' && event.job.status !== 'failed') continue;
          moved = true;
          if (get().results[event.job.id]) {
            results ??= { ...get().results };
            delete results[event.job.id];
          }
          const videoId = event.job.params.videoId;
          if (typeof videoId === 'string' && get().transcodes[videoId]) {
            transcodes ??= { ...get().transcodes };
            delete transcodes[videoId];
          }
        }
        if (results) set({ results });
        if (transcodes) set({ transcodes });
        if (moved) scheduleRefresh();
      },

      dispose() {
        clearRefresh();
        batcher.dispose();
        unsubscribe?.();
        unsubscribe = null;
        retained = 0;
        showingSavings = 0;
      },
    };
  });
  return store;
}

/** Bytes saved by a video's last replace (previous size − new size), or null when its last change was not one. */
export function lastReplaceSaving(transcodes: VideoTranscodes): { bytes: number; percent: number; entry: VideoTranscodes['history'][number] } | null {
  const entry = transcodes.history[0];
  if (!entry || entry.action !== 'replaced' || entry.previousSizeBytes === null || entry.newSizeBytes === null || entry.previousSizeBytes <= 0) return null;
  const bytes = entry.previousSizeBytes - entry.newSizeBytes;
  return { bytes, percent: Math.round((bytes / entry.previousSizeBytes) * 1000) / 10, entry };
}
