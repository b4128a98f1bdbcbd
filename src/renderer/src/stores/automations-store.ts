/**
 * The Automations page's data: pipelines (with run counts and last run), the built-in templates,
 * each pipeline's run history and last dry run, and the watched-folder settings. It subscribes to
 * live events itself while the page is shown (start()), rather than through the session's shared
 * batch: `pipeline.run.updated` events are few (a run moves a handful of times), and only this page
 * shows them. A run event updates the history in place and re-reads the list (counts, last run)
 * once the burst has passed.
 *
 * Saves answer an outcome instead of throwing, so the editor can say what happened where it
 * happened: `invalid` carries the server's field errors by dotted path (`steps.1.params.videoId`),
 * `conflict` the version someone else saved meanwhile (409 VERSION_CONFLICT).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { DryRun, Pipeline, PipelineRun } from '../../../shared/contracts/pipeline';
import type { WatchSettingsInput, WatchState } from '../../../shared/contracts/watch';
import type { PipelineDocument } from '../../../shared/domain/pipeline';
import { errorMessage, fieldErrors, isApiError } from '../api/api-error';
import type { MediaClient, OperationOutput } from '../api/media-client';
import { realTimers, type Timers } from '../lib/batcher';

export type PipelineTemplate = OperationOutput<'listPipelineTemplates'>['data'][number];
export type RunPipelineResult = OperationOutput<'runPipeline'>;

export type SaveOutcome<T> =
  | { readonly kind: 'saved'; readonly value: T }
  | { readonly kind: 'invalid'; readonly message: string; readonly fields: Readonly<Record<string, string>> }
  | { readonly kind: 'conflict'; readonly message: string; readonly currentVersion: number | null }
  | { readonly kind: 'failed'; readonly message: string; readonly code: string | null; readonly forbidden: boolean };

export interface RunHistory {
  readonly runs: readonly PipelineRun[];
  readonly page: number;
  readonly totalPages: number;
  readonly total: number;
  readonly loading: boolean;
  readonly error: string | null;
}

export type DryRunState = { readonly status: 'running' } | { readonly status: 'done'; readonly result: DryRun; readonly force: boolean } | { readonly status: 'error'; readonly message: string };

export interface AutomationsState {
  readonly pipelines: readonly Pipeline[];
  /** The list was read at least once. */
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly error: string | null;
  readonly templates: readonly PipelineTemplate[] | null;
  readonly templatesError: string | null;
  readonly history: Readonly<Record<string, RunHistory>>;
  readonly dryRuns: Readonly<Record<string, DryRunState>>;
  readonly watch: WatchState | null;
  readonly watchError: string | null;

  load(): Promise<void>;
  loadTemplates(): Promise<void>;
  createFromTemplate(template: string, fields?: { name?: string; enabled?: boolean }): Promise<SaveOutcome<Pipeline>>;
  /** Re-reads one pipeline (after a conflict); null when it is gone. */
  reloadPipeline(id: string): Promise<Pipeline | null>;
  save(id: string, version: number, enabled: boolean, document: PipelineDocument): Promise<SaveOutcome<Pipeline>>;
  /** The on/off switch: the pipeline's own document with another `enabled` (a version of its own). */
  setEnabled(pipeline: Pipeline, enabled: boolean): Promise<SaveOutcome<Pipeline>>;
  remove(id: string): Promise<SaveOutcome<true>>;
  dryRun(id: string, force: boolean): Promise<void>;
  run(id: string, options: { videoIds?: string[]; force?: boolean }): Promise<SaveOutcome<RunPipelineResult>>;
  loadRuns(id: string, page?: number): Promise<void>;
  loadWatch(): Promise<void>;
  saveWatch(input: WatchSettingsInput): Promise<SaveOutcome<WatchState>>;
  applyEvents(events: readonly MediaEvent[]): void;
  /** Live events while the page is shown (and a fresh read of what it shows); returns the stop function. */
  start(): () => void;
}

export type AutomationsStore = StoreApi<AutomationsState>;

export interface AutomationsStoreOptions {
  readonly timers?: Timers;
  /** How long a burst of run events is let pass before the list is re-read. */
  readonly refreshDelayMs?: number;
  readonly runsPerPage?: number;
}

export function failure(error: unknown): SaveOutcome<never> {
  if (isApiError(error) && error.code === 'VALIDATION_FAILED') return { kind: 'invalid', message: error.message, fields: fieldErrors(error) };
  if (isApiError(error) && error.code === 'VERSION_CONFLICT') {
    const current = (error.details as { currentVersion?: unknown } | undefined)?.currentVersion;
    return { kind: 'conflict', message: error.message, currentVersion: typeof current === 'number' ? current : null };
  }
  const code = isApiError(error) ? error.code : null;
  // a 403 is told by the session already (a toast, and the role read again)
  return { kind: 'failed', message: errorMessage(error), code, forbidden: code === 'FORBIDDEN' };
}

/** The editable document of a stored pipeline (what updatePipeline takes besides id, version and enabled). */
export function documentOf(p: Pipeline): PipelineDocument {
  return { name: p.name, description: p.description, trigger: p.trigger, conditions: p.conditions, steps: p.steps, repeatAfterDays: p.repeatAfterDays };
}

const byName = (a: Pipeline, b: Pipeline) => a.name.localeCompare(b.name);

const perSession = new WeakMap<MediaClient, AutomationsStore>();

/**
 * The session's store (one per client), so a dry run, the history pages and the watch settings
 * are still there when the user comes back to the page; start() catches up on what was missed.
 */
export function automationsStoreFor(client: MediaClient): AutomationsStore {
  let store = perSession.get(client);
  if (!store) perSession.set(client, (store = createAutomationsStore(client)));
  return store;
}

export function createAutomationsStore(client: MediaClient, options: AutomationsStoreOptions = {}): AutomationsStore {
  const timers = options.timers ?? realTimers;
  const refreshDelayMs = options.refreshDelayMs ?? 500;
  const limit = options.runsPerPage ?? 10;
  let listSeq = 0;
  const runsSeq = new Map<string, number>();
  let refreshTimer: unknown = null;

  return createStore<AutomationsState>()((set, get) => {
    /** Puts a pipeline the server answered into the list (its counts are the server's). */
    const upsert = (pipeline: Pipeline) => {
      const rest = get().pipelines.filter((p) => p.id !== pipeline.id);
      set({ pipelines: [...rest, pipeline].sort(byName) });
    };

    const scheduleRefresh = () => {
      if (refreshTimer !== null) return;
      refreshTimer = timers.setTimeout(() => {
        refreshTimer = null;
        void get().load();
      }, refreshDelayMs);
    };

    const setHistory = (id: string, patch: Partial<RunHistory>) => {
      const current = get().history[id] ?? { runs: [], page: 1, totalPages: 1, total: 0, loading: false, error: null };
      set({ history: { ...get().history, [id]: { ...current, ...patch } } });
    };

    return {
      pipelines: [],
      loaded: false,
      loading: false,
      error: null,
      templates: null,
      templatesError: null,
      history: {},
      dryRuns: {},
      watch: null,
      watchError: null,

      async load() {
        const mine = ++listSeq;
        set({ loading: true });
        try {
          const result = await client.call('listPipelines', {});
          if (mine === listSeq) set({ pipelines: [...result.data].sort(byName), loaded: true, loading: false, error: null });
        } catch (error) {
          if (mine === listSeq) set({ loading: false, error: errorMessage(error) });
        }
      },

      async loadTemplates() {
        try {
          const result = await client.call('listPipelineTemplates', {});
          set({ templates: result.data, templatesError: null });
        } catch (error) {
          set({ templatesError: errorMessage(error) });
        }
      },

      async createFromTemplate(template, fields = {}) {
        try {
          const created = await client.call('createPipeline', { template, ...fields });
          upsert(created);
          return { kind: 'saved', value: created };
        } catch (error) {
          return failure(error);
        }
      },

      async reloadPipeline(id) {
        try {
          const pipeline = await client.call('getPipeline', { id });
          upsert(pipeline);
          return pipeline;
        } catch (error) {
          if (isApiError(error) && error.code === 'NOT_FOUND') set({ pipelines: get().pipelines.filter((p) => p.id !== id) });
          return null;
        }
      },

      async save(id, version, enabled, document) {
        try {
          const saved = await client.call('updatePipeline', { id, version, enabled, ...document });
          upsert(saved);
          return { kind: 'saved', value: saved };
        } catch (error) {
          return failure(error);
        }
      },

      setEnabled(pipeline, enabled) {
        return get().save(pipeline.id, pipeline.version, enabled, documentOf(pipeline));
      },

      async remove(id) {
        try {
          await client.call('deletePipeline', { id });
          const { [id]: _history, ...history } = get().history;
          const { [id]: _dry, ...dryRuns } = get().dryRuns;
          set({ pipelines: get().pipelines.filter((p) => p.id !== id), history, dryRuns });
          return { kind: 'saved', value: true };
        } catch (error) {
          return failure(error);
        }
      },

      async dryRun(id, force) {
        set({ dryRuns: { ...get().dryRuns, [id]: { status: 'running' } } });
        try {
          const result = await client.call('dryRunPipeline', { id, force });
          set({ dryRuns: { ...get().dryRuns, [id]: { status: 'done', result, force } } });
        } catch (error) {
          set({ dryRuns: { ...get().dryRuns, [id]: { status: 'error', message: errorMessage(error) } } });
        }
      },

      async run(id, { videoIds, force = false }) {
        try {
          const result = await client.call('runPipeline', { id, force, ...(videoIds ? { videoIds } : {}) });
          // the new runs show at once (their events may come before or after this answer)
          void get().loadRuns(id, 1);
          scheduleRefresh();
          return { kind: 'saved', value: result };
        } catch (error) {
          return failure(error);
        }
      },

      async loadRuns(id, page) {
        const mine = (runsSeq.get(id) ?? 0) + 1;
        runsSeq.set(id, mine);
        const wanted = page ?? get().history[id]?.page ?? 1;
        setHistory(id, { loading: true });
        try {
          const result = await client.call('listPipelineRuns', { id, page: wanted, limit });
          if (runsSeq.get(id) !== mine) return;
          setHistory(id, { runs: result.data, page: wanted, totalPages: Math.max(1, result.pagination.totalPages), total: result.pagination.total, loading: false, error: null });
        } catch (error) {
          if (runsSeq.get(id) === mine) setHistory(id, { loading: false, error: errorMessage(error) });
        }
      },

      async loadWatch() {
        try {
          set({ watch: await client.call('getWatchSettings', {}), watchError: null });
        } catch (error) {
          set({ watchError: errorMessage(error) });
        }
      },

      async saveWatch(input) {
        try {
          const watch = await client.call('setWatchSettings', input);
          set({ watch, watchError: null });
          return { kind: 'saved', value: watch };
        } catch (error) {
          return failure(error);
        }
      },

      applyEvents(events) {
        let history: Record<string, RunHistory> | null = null;
        const edit = () => (history ??= { ...get().history });
        let runsMoved = false;
        for (const event of events) {
          if (event.type === 'pipeline.run.updated') {
            runsMoved = true;
            const run = event.run;
            const current = (history ?? get().history)[run.pipelineId];
            if (!current) continue; // its history is not shown: read when it is
            const at = current.runs.findIndex((r) => r.id === run.id);
            let runs: PipelineRun[];
            if (at >= 0) runs = current.runs.map((r) => (r.id === run.id ? run : r));
            // a new run belongs on the first page (newest first), which keeps its size
            else if (current.page === 1) runs = [run, ...current.runs].slice(0, limit);
            else continue;
            edit()[run.pipelineId] = { ...current, runs, total: current.total + (at >= 0 ? 0 : 1) };
          } else if (event.type === 'job.updated' && event.job.pipelineRunId) {
            // a step's job moved (queued → running …) between run events: its badge follows
            const { job } = event;
            for (const [pipelineId, h] of Object.entries(history ?? get().history)) {
              const run = h.runs.find((r) => r.id === job.pipelineRunId);
              if (!run || !run.steps.some((s) => s.jobId === job.id && s.jobStatus !== job.status)) continue;
              const steps = run.steps.map((s) => (s.jobId === job.id ? { ...s, jobStatus: job.status, jobError: job.lastError } : s));
              edit()[pipelineId] = { ...h, runs: h.runs.map((r) => (r.id === run.id ? { ...run, steps } : r)) };
            }
          }
        }
        if (history) set({ history });
        if (runsMoved) scheduleRefresh();
      },

      start() {
        let outage = false;
        const reload = () => {
          void get().load();
          for (const id of Object.keys(get().history)) void get().loadRuns(id);
        };
        const unsubscribe = client.subscribe({
          onEvents: (events) => get().applyEvents(events),
          onReset: reload,
          onStatus: (status) => {
            // a server that restarted meanwhile cannot replay what was missed: read again
            if (status === 'reconnecting') outage = true;
            if (status === 'live' && outage) {
              outage = false;
              reload();
            }
          },
        });
        // events were not followed while the page was away: read what they would have said
        reload();
        return () => {
          unsubscribe();
          if (refreshTimer !== null) timers.clearTimeout(refreshTimer);
          refreshTimer = null;
        };
      },
    };
  });
}
