/**
 * Canned answers of the queue-control operations for renderer tests (fake client handlers):
 * schedules with one gpu_encode window (closed now, opens at 22:00) and a drain that answers
 * `draining`.
 */
import type { QueueState } from '../../../../shared/contracts/job';
import type { ScheduleSettings, ScheduleState } from '../../../../shared/contracts/queue-control';
import type { OperationInput } from '../../api/media-client';
import type { Handlers } from '../../testing/fake-client';

export const DEFAULT_GPU_YIELD: ScheduleSettings['gpuYield'] = { enabled: false, processNames: [], watchEncoder: true, action: 'hold', categories: ['gpu_encode', 'gpu_ai'], pollSeconds: 5 };

export function makeSchedules(overrides: Partial<ScheduleState> = {}): ScheduleState {
  return {
    settings: {
      timeZone: 'UTC',
      windows: [{ category: 'gpu_encode', start: '22:00', end: '07:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'], atClose: 'suspend' }],
      gpuYield: DEFAULT_GPU_YIELD,
    },
    source: 'stored',
    updatedAt: '2026-02-13T09:00:00.000Z',
    timeZone: 'UTC',
    categories: {
      cpu: { open: true, reason: null, nextChange: null },
      gpu_encode: { open: false, reason: 'gpu_encode: outside its window, opens 22:00', nextChange: '2026-02-13T22:00:00.000Z' },
      gpu_ai: { open: true, reason: null, nextChange: null },
    },
    gpuHold: null,
    ...overrides,
  };
}

export const IDLE_QUEUE: QueueState = { paused: false, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null, drain: { state: 'off', since: null, drainedAt: null, live: 0 } };

export function drainingQueue(live = 1): QueueState {
  return { ...IDLE_QUEUE, paused: true, drain: { state: 'draining', since: '2026-02-13T10:00:00.000Z', drainedAt: null, live } };
}

export function drainedQueue(): QueueState {
  return { ...IDLE_QUEUE, paused: true, drain: { state: 'drained', since: '2026-02-13T10:00:00.000Z', drainedAt: '2026-02-13T10:05:00.000Z', live: 0 } };
}

/** getSchedules / setSchedules over one stored document, and drainQueue. */
export function queueControlHandlers(initial: ScheduleState = makeSchedules()): Handlers {
  let state = initial;
  return {
    getSchedules: () => state,
    setSchedules: (input: OperationInput<'setSchedules'>) => {
      const { timeZone, ...rest } = input;
      const settings = { ...state.settings, ...rest, ...(timeZone === undefined ? {} : { timeZone: timeZone ?? undefined }) };
      state = { ...state, settings: settings as ScheduleSettings, updatedAt: new Date().toISOString() };
      return state;
    },
    drainQueue: () => drainingQueue(),
  };
}
