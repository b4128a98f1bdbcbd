/**
 * Wires what decides, beyond the pause flags, whether this node may start work: time windows
 * (schedule-windows.ts), the GPU yield (gpu-yield.ts), the drain (drain.ts) and start-paused, with
 * the AutoSuspender they share. The composition root only plugs it in:
 *   - `capacity(snapshot)` adds the drain's pause reason and the closed categories to each claim's
 *     capacity (the scheduler turns them into waiting reasons);
 *   - `service` loads it all before the dispatcher starts and stops its timers;
 *   - `handlers(base)` adds the operations (drain, schedules) and extends the queue's state and the
 *     stats with the drain.
 */
import type { Caller } from '../../shared/contracts/access';
import type { ResourceCategory } from '../../shared/domain/statuses';
import type { NodeCapacity } from '../core/capacity';
import type { JobRecord, JobStore } from '../core/ports';
import type { Clock, Timers } from '../core/clock';
import type { SettingsStore } from '../core/watch-ports';
import type { GpuActivitySource } from '../system/gpu-activity';
import { AutoSuspender } from './auto-suspend';
import type { CapacityState } from './capacity-state';
import type { Dispatcher } from './dispatcher';
import { QueueDrain } from './drain';
import { GpuYield } from './gpu-yield';
import type { LiveEvents } from './live-events';
import type { OperationHandlers } from './operations';
import { ScheduleWindows } from './schedule-windows';
import type { RuntimeService } from './services/service';
import type { JobTransition } from './transitions';

export type QueueControlOperation = 'drainQueue' | 'getSchedules' | 'setSchedules';
type Extended = QueueControlOperation | 'getQueueState' | 'pauseQueue' | 'resumeQueue' | 'getStats';
type BaseHandlers = Omit<OperationHandlers, QueueControlOperation>;

export interface QueueControlDeps {
  readonly settings: SettingsStore;
  readonly store: Pick<JobStore, 'countJobs'>;
  readonly capacity: CapacityState;
  readonly dispatcher: Pick<Dispatcher, 'runningAttempts' | 'requestDispatch' | 'localUsage'>;
  readonly events: Pick<LiveEvents, 'announce'>;
  readonly gpuActivity: GpuActivitySource;
  readonly clock: Clock;
  readonly timers: Timers;
  /** MEDIA_START_PAUSED: the queue is paused when this node starts. */
  readonly startPaused: boolean;
  /** The zone windows are read in when their settings name none; this machine's by default. */
  readonly localZone?: string;
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
}

export interface QueueControl {
  readonly service: RuntimeService;
  readonly windows: ScheduleWindows;
  readonly gpuYield: GpuYield;
  readonly drain: QueueDrain;
  readonly suspender: AutoSuspender;
  capacity(snapshot: NodeCapacity): NodeCapacity;
  /** With the queue flags (wake-ups, the fleet's poll): settings saved through another node. */
  reload(): Promise<void>;
  jobsChanged(jobs: readonly JobRecord[]): void;
  transitions(transitions: readonly JobTransition[]): void;
  handlers(base: BaseHandlers): Pick<OperationHandlers, Extended>;
}

export function createQueueControl(deps: QueueControlDeps): QueueControl {
  const { capacity, dispatcher, logger } = deps;
  let bound: BaseHandlers | null = null;
  const base = (): BaseHandlers => {
    if (!bound) throw new Error('queue control used before its handlers were bound');
    return bound;
  };
  const suspender = new AutoSuspender({
    attempts: () => [...dispatcher.runningAttempts()].map((a) => ({ id: a.id, category: a.job.resourceCategory, suspended: a.suspended })),
    suspend: (id, caller: Caller) => base().pauseJob({ id }, caller),
    resume: (id, caller: Caller) => base().resumeJob({ id }, caller),
    logger,
  });
  const gpuYield = new GpuYield({
    source: deps.gpuActivity,
    timers: deps.timers,
    suspender,
    runningEncodes: () => dispatcher.localUsage().running.gpu_encode,
    onChange: () => dispatcher.requestDispatch(),
    logger,
  });
  const windows = new ScheduleWindows({
    settings: deps.settings,
    clock: deps.clock,
    timers: deps.timers,
    suspender,
    localZone: deps.localZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    onChange: () => dispatcher.requestDispatch(),
    onSettings: (s) => gpuYield.configure(s.gpuYield),
    logger,
  });
  const queueState = async () => {
    const state = await base().getQueueState({}, { name: 'internal', role: 'admin' });
    return { ...state, drain: drain.state(), closedCategories: closedCategories() };
  };
  const drain: QueueDrain = new QueueDrain({
    settings: deps.settings,
    clock: deps.clock,
    isPaused: () => capacity.queueFlags.queuePaused,
    setPaused: (paused) => capacity.setPaused(paused),
    countLive: async () => {
      const { byStatus } = await deps.store.countJobs();
      return byStatus.running + byStatus.suspended;
    },
    onChange: () => {
      dispatcher.requestDispatch();
      if (bound) void queueState().then((queue) => deps.events.announce({ type: 'queue.updated', queue }), () => undefined);
    },
    logger,
  });

  function closedCategories(): Partial<Record<ResourceCategory, string>> {
    return { ...gpuYield.closedReasons(), ...windows.closedReasons() };
  }

  const service: RuntimeService = {
    name: 'queue control',
    async start() {
      if (deps.startPaused && !capacity.queueFlags.queuePaused) {
        await capacity.setPaused(true);
        logger.info('MEDIA_START_PAUSED: the queue starts paused; resume it to start jobs.');
      }
      await drain.reload();
      await windows.start();
      gpuYield.configure(windows.settings.gpuYield);
      gpuYield.start();
    },
    async stop() {
      await gpuYield.stop();
      await windows.stop();
      await drain.check();
    },
  };

  return {
    service,
    windows,
    gpuYield,
    drain,
    suspender,
    capacity(snapshot) {
      const closed = closedCategories();
      const reason = drain.pausedReason();
      return { ...snapshot, ...(reason ? { queuePausedReason: reason } : {}), ...(Object.keys(closed).length > 0 ? { closedCategories: closed } : {}) };
    },
    async reload() {
      await Promise.all([windows.reload(), drain.reload()]);
    },
    jobsChanged: (jobs) => drain.jobsChanged(jobs),
    transitions: (t) => suspender.observe(t),
    handlers(handlers) {
      bound = handlers;
      const schedules = () => {
        const { current, zone, categories } = windows.view();
        return {
          settings: current.settings,
          source: current.source,
          updatedAt: current.updatedAt === null ? null : new Date(current.updatedAt).toISOString(),
          timeZone: zone,
          categories,
          gpuHold: gpuYield.holdReason,
        };
      };
      return {
        getQueueState: () => queueState(),
        async pauseQueue(input, caller) {
          await handlers.pauseQueue(input, caller);
          return queueState();
        },
        async resumeQueue(input, caller) {
          await handlers.resumeQueue(input, caller);
          if (!input.category) await drain.end();
          return queueState();
        },
        async getStats(input, caller) {
          return { ...(await handlers.getStats(input, caller)), drain: drain.state() };
        },
        async drainQueue() {
          await drain.drain();
          return queueState();
        },
        // one row read: another node of a fleet may have saved them since this one's last poll
        getSchedules: async () => (await windows.reload(), schedules()),
        async setSchedules(input) {
          await windows.update(input);
          await gpuYield.look();
          return schedules();
        },
      };
    },
  };
}
