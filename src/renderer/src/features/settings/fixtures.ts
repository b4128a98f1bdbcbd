/** Canned answers of the settings operations for renderer tests (fake client handlers). */
import type { SettingsExport, SettingsState } from '../../../../shared/contracts/settings';
import type { Handlers } from '../../testing/fake-client';

export function makeSettingsState(overrides: Partial<SettingsState> = {}): SettingsState {
  return {
    settings: { limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramHeadroomMb: 512, retainCompletedDays: 30, retainFailedDays: 90, hangTimeoutMs: 300_000 },
    locked: { 'limits.gpu_ai': 'MEDIA_LIMIT_GPU_AI' },
    source: 'stored',
    updatedAt: '2026-02-13T09:00:00.000Z',
    ...overrides,
  };
}

export const EXPORTED: SettingsExport = {
  format: 'media-job-control/settings',
  version: 1,
  exportedAt: '2026-02-13T09:00:00.000Z',
  settings: { limits: { cpu: 3 } },
  watch: null,
  schedules: null,
  notifications: null,
  pipelines: [],
};

/** getSettings / setSettings (merging what is sent) / export / import over one state. */
export function settingsHandlers(initial: SettingsState = makeSettingsState()): Handlers {
  let state = initial;
  return {
    getSettings: () => state,
    setSettings: (input) => {
      state = { ...state, settings: { ...state.settings, ...input, limits: { ...state.settings.limits, ...input.limits } } as SettingsState['settings'], source: 'stored' };
      return state;
    },
    exportSettings: () => EXPORTED,
    importSettings: () => ({ settings: state, skippedLocked: [], watch: false, schedules: false, notifications: false, pipelines: { created: ['Nightly'], updated: [] } }),
  };
}
