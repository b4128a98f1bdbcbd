/**
 * The one composition root: wires a store, the pure core, processors and telemetry into a Runtime
 * facade { start, stop, execute(operation, input), events }. The desktop app, the headless server
 * and the tests all get their runtime from here.
 *
 * It only wires: the long-lived duties are services (services/service.ts), each on the injected
 * clock and timers, started in this order and stopped in reverse (* fleet mode only):
 *   queue flags → queue control (start paused, drain, time windows, GPU yield) → node registration* → fleet event relay* → process book → start-up recovery →
 *   dispatcher → stats notifier → heartbeat* → lease sweeper* → wake listener* → hang watchdog →
 *   retention cleaner → library watcher (where the runtime has a library; runtime/library-watcher.ts) →
 *   pipelines (where it has a pipeline store; runtime/pipelines: runs advanced, triggers, the cron) →
 *   notifier (runtime/notifications: rules → notification events and webhooks)
 * so a stop ends the timers first, then the dispatcher winds its attempts down, the process book
 * clears what they left, the relay sends their last changes, and the node is marked stopped.
 */
import { OPERATIONS, type OperationOutput } from '../../shared/contracts/operations';
import { AppError } from '../../shared/contracts/errors';
import { forbidden, roleAllows, type Caller } from '../../shared/contracts/access';
import { JOB_TYPE_CATALOG } from '../../shared/domain/job-types';
import { systemClock } from '../core/clock';
import { decideAfterCrash } from '../core/retry-policy';
import { APP_VERSION } from '../version';
import { CapacityState, noGpu } from './capacity-state';
import { GpuSlots } from './gpu-slots';
import { withGpuPlacement } from './gpu-system-view';
import { JobCleaner } from './cleaner';
import { SegmentCascade } from './segments/segment-cascade';
import { workFolderCleaner } from './segments/work-folders';
import { createLibraryWatcher } from './library-watcher';
import { createPipelines } from './pipelines/create-pipelines';
import { Dispatcher } from './dispatcher';
import { createQueueControl } from './queue-control';
import { MemorySettingsStore } from './memory-settings';
import { SystemGpuActivity } from '../system/gpu-activity';
import { createFleetMember } from './fleet-member';
import { formatLogTime } from './job-view';
import { LiveEvents } from './live-events';
import { ParentViewRefresher } from './parent-view-refresher';
import { createOperationHandlers, type OperationHandlers } from './operations';
import { killRecordedOrphans } from './orphans';
import { removeAbandonedPartials } from './partial-recovery';
import { ProcessBook } from './process-book';
import { INTERNAL_CALLER, type Runtime, type RuntimeDeps } from './runtime-api';
import { SelfNode } from './self-node';
import { defineService, ServiceGroup, type RuntimeService } from './services/service';
import { systemTimers } from './services/timers';
import { startupRecovery } from './startup-recovery';
import { TransitionRecorder, transitionsOf } from './transitions';
import { parseInput } from './validation';
import { HangWatchdog } from './watchdog';
import { NotificationService } from './notifications/notification-service';
import { LiveSettings } from './live-settings';
import { settingsHandlers } from './settings-operations';

export { INTERNAL_CALLER, type FleetDeps, type Runtime, type RuntimeDeps } from './runtime-api';

export function createRuntime(deps: RuntimeDeps): Runtime {
  const { config, store } = deps;
  const clock = deps.clock ?? systemClock;
  const timers = deps.timers ?? systemTimers;
  const logger = deps.logger ?? console;
  const sharedStore = deps.fleet !== undefined;
  const transitions = new TransitionRecorder();
  const settings = deps.settings ?? deps.libraryWatch?.settings ?? new MemorySettingsStore();
  // live settings (PUT /api/media/settings): limits and headroom → capacity, retention → the cleaner, hang timeout → watchdog and attempts
  const retention = { ...config.retention };
  const live: LiveSettings = new LiveSettings({
    settings,
    config,
    env: deps.env ?? process.env,
    clock,
    logger,
    onApplied: (values) => {
      capacity.reconfigure(values.limits, values.vramHeadroomMb);
      Object.assign(retention, { completedDays: values.retainCompletedDays, failedDays: values.retainFailedDays });
      dispatcher.requestDispatch();
    },
  });
  const perGpu = deps.gpuInventory ? new GpuSlots(deps.gpuInventory, { nvencSessions: config.nvencSessions ?? null, ...(deps.gpuEncodeSupport ? { encodeSupport: deps.gpuEncodeSupport } : {}) }) : null;
  const capacity = new CapacityState(store, config.limits, config.declaredVramMb, config.vramHeadroomMb, deps.gpu ?? noGpu, deps.gpuWork, perGpu);
  const relayed = deps.fleet?.events ? { fleet: { channel: deps.fleet.events, registry: deps.fleet.registry } } : {};
  const events = new LiveEvents({ timers, ...relayed, getStats: () => handlers.getStats({}, INTERNAL_CALLER) });
  const killOrphans = deps.killOrphans ?? killRecordedOrphans;
  const processes = new ProcessBook(store, config.nodeId, clock, logger, killOrphans);
  const { nodeId, retryPolicy, stopGraceMs, starvationGuardMs, reportFlushMs } = config;
  const dispatcher = new Dispatcher(
    store,
    deps.processors,
    (local) => (capacity.setReservedByUs(local.vramReservedMb, local.gpus), control.capacity(capacity.snapshot())),
    {
      onProcessStarted: (jobId, p) => (processes.started(jobId, p), control.gpuYield.processStarted(p.pid), perGpu?.processStarted(p.pid)),
      onProcessEnded: (_jobId, p) => (processes.ended(p), control.gpuYield.processEnded(p.pid), perGpu?.processEnded(p.pid)),
      onJobsChanged: (jobs) => (self.countOutcomes(jobs), events.publish(jobs), control.jobsChanged(jobs)),
      onProgress: (jobId, progress) => events.progressed(jobId, progress),
      onConsole: (jobId, chunk) => events.console(jobId, chunk),
      onLog: (jobId, at, text) => events.logged(jobId, at, text),
      onTransitions: (changes) => transitions.record(changes),
      onError: (error) => logger.error('Dispatcher tick failed (it will run again on the next event):', error),
    },
    {
      nodeId,
      clock,
      retryPolicy,
      get hangTimeoutMs() {
        return live.values.hangTimeoutMs;
      },
      stopGraceMs,
      starvationGuardMs,
      reportFlushMs,
      sharedStore,
    },
    clock,
  );
  perGpu?.setUsageSource(() => dispatcher.localUsage().gpus);
  const control = createQueueControl({
    settings,
    store,
    capacity,
    dispatcher,
    events,
    gpuActivity: deps.gpuActivity ?? new SystemGpuActivity(),
    clock,
    timers,
    startPaused: config.startPaused ?? false,
    logger,
  });
  transitions.observe((changes) => control.transitions(changes));
  // the GPUs with what the scheduler sees on each (per-GPU placement): System page and node record
  const baseExtras = deps.systemExtras ?? (() => ({ version: APP_VERSION, gpus: [], tools: { ffmpeg: null, ffprobe: null, error: null }, encoders: { available: [], preferred: null, failed: [] } }));
  const systemExtras = () => {
    const extras = baseExtras();
    return { ...extras, gpus: withGpuPlacement(extras.gpus, capacity.gpuViews()) };
  };
  const self: SelfNode = new SelfNode({ config, ...(deps.fleet ? { fleet: deps.fleet } : {}), clock, dispatcher, capacity, gpus: () => systemExtras().gpus });
  const fleet = deps.fleet
    ? createFleetMember({
        ...deps.fleet,
        registration: self.registration,
        clock,
        timers,
        beat: () => self.live(),
        dispatcher,
        // notifier: declared below, called only once the runtime runs (a rule saved through another node applies at the next poll)
        reloadFlags: () => Promise.all([capacity.load(), control.reload(), live.load(), notifier.refresh()]).then(() => undefined),
        decideRescue: (job) => decideAfterCrash(job.retryCount, job.maxRetries),
        onRescued: (jobs) => {
          events.publish(jobs);
          transitions.record(transitionsOf(jobs, null)); // the rescue is this node's transition (from running, or suspended)
          // the rescuer removes the rescued attempts' partials (the library is shared)
          void removeAbandonedPartials(store, config.libraryPath, { jobIds: jobs.map((j) => j.id) }, logger).catch((error: unknown) => logger.error('Could not remove the partial files of rescued jobs:', error));
        },
        logger,
      })
    : null;

  const watcher = createLibraryWatcher(deps.libraryWatch, { videos: deps.videos, config, instanceId: deps.fleet?.instanceId, clock, timers, logger });
  const automation = createPipelines(deps, { clock, timers, logger, catalog: deps.catalog ?? JOB_TYPE_CATALOG, watcher, events, observeTransitions: (l) => transitions.observe(l), announceJobs: (jobs) => (events.publish(jobs, true), transitions.record(transitionsOf(jobs, null)), dispatcher.requestDispatch()) });
  // a segmented encode is one job: what happens to the parent happens to its parts (a failure cancels those not ended)
  const segments = deps.segments ? new SegmentCascade({ ...deps.segments, jobs: store, clock, dispatcher, onJobsChanged: (jobs) => events.publish(jobs) }) : null;
  if (segments) transitions.observe((changes) => segments.onTransitions(changes));
  // a part's change sends its parent's view again soon after, with the parts' aggregate (coalesced)
  const parentViews = segments
    ? new ParentViewRefresher((ids) => segments.parentViews(ids), (view) => events.sendParentView(view), timers, (error) => logger.warn('Could not read the views of segmented encodes for a live update (tried again in 1 s):', error))
    : null;
  if (segments && parentViews) events.setParentViews({ parentsOf: (jobs) => segments.parentsOf(jobs), refresher: parentViews });
  const baseHandlers = createOperationHandlers({
    watcher,
    pipelineHandlers: automation?.handlers,
    store,
    videos: deps.videos,
    ...(deps.analysis ? { analysis: deps.analysis } : {}),
    dispatcher,
    capacity,
    catalog: deps.catalog ?? JOB_TYPE_CATALOG,
    clock,
    maxLogLines: 100_000,
    onJobsChanged: (jobs, created) => events.publish(jobs, created),
    onTransitions: (changes) => transitions.record(changes),
    nodeId,
    listNodes: () => self.listNodes(),
    sharedStore,
    ...(deps.readLibraryFile ? { readLibraryFile: deps.readLibraryFile } : {}),
    ...(deps.transcode ? { transcode: deps.transcode } : {}),
    ...(segments ? { segments } : {}),
    systemExtras,
  });
  const notifier = new NotificationService({
    settings,
    clock,
    timers,
    logger,
    nodeId,
    holder: `${nodeId}#${deps.fleet?.instanceId ?? `pid-${process.pid}`}`,
    leases: deps.libraryWatch?.leases ?? null,
    leaseMs: config.fleet.leaseMs,
    renewMs: config.fleet.heartbeatMs,
    folders: { library: config.libraryPath, data: config.dataDir },
    subscribe: (listener) => events.subscribe(listener),
    emit: (event) => events.announce(event),
    listNodes: deps.fleet ? () => self.listNodes() : null,
    userAgent: `media-job-control/${APP_VERSION}`,
    ...(deps.deliveries ? { deliveries: deps.deliveries } : {}),
    ...deps.notifications,
  });
  const withNotifications = { ...baseHandlers, ...notifier.handlers, ...settingsHandlers(live, () => handlers, () => clock.now()) };
  const handlers: OperationHandlers = { ...withNotifications, ...control.handlers(withNotifications) };

  const services = new ServiceGroup(
    [
      defineService('queue flags', () => capacity.load()),
      defineService('runtime settings', () => live.load()),
      control.service,
      ...(fleet ? [fleet.registration] : []),
      ...(events.relay ? [events.relay] : []),
      processes, // closed after the attempts ended: no job_processes rows (and no tools) outlive a clean stop
      startupRecovery({
        store,
        nodeId,
        libraryPath: config.libraryPath,
        clock,
        sharedStore,
        killOrphans,
        onRecovered: (jobs) => (events.publish(jobs), transitions.record(transitionsOf(jobs, null))),
        logger,
      }),
      defineService('dispatcher', () => dispatcher.start(), () => dispatcher.stop()),
      events.stats,
      ...(parentViews ? [parentViews] : []),
      ...(fleet ? [fleet.heartbeat, fleet.sweeper, fleet.wake] : []),
      new HangWatchdog({
        attempts: () => dispatcher.runningAttempts(),
        stop: (jobId, reason) => dispatcher.stopAttempt(jobId, reason),
        get hangTimeoutMs() {
          return live.values.hangTimeoutMs;
        },
        clock,
        timers,
        onHang: (jobId) => logger.warn(`[${formatLogTime(clock.now())}] job ${jobId} showed no progress for ${live.values.hangTimeoutMs} ms: stopping it`),
      }),
      new JobCleaner(store, retention, clock, {
        timers,
        onPruned: (deleted) => {
          logger.info(`Retention: deleted ${deleted} ended job(s) past their retention, with their log lines.`);
          events.stats.changed();
        },
        onError: (error) => logger.error('Retention cleaner pass failed (it runs again at its next interval):', error),
      }),
      ...(watcher ? [watcher] : []),
      ...(automation ? [automation.service] : []),
      ...(deps.segments ? [workFolderCleaner({ root: deps.segments.root, jobs: store, segments: deps.segments.store, onError: (error) => logger.error('Segment work folder cleaner failed (it runs again in an hour):', error) })] : []),
      notifier,
    ] satisfies RuntimeService[],
    (phase, name, error) => logger.error(`Runtime service "${name}" failed to ${phase}:`, error),
  );

  let started = false;
  return {
    config,
    async start() {
      if (started) return;
      started = true;
      await services.start().catch((error: unknown) => {
        started = false; // what had started is stopped again: a later start begins afresh
        throw error;
      });
    },
    async stop() {
      if (!started) return;
      started = false;
      await services.stop();
    },
    async execute(name, input, caller: Caller = INTERNAL_CALLER) {
      const definition = OPERATIONS[name];
      if (!definition) throw new AppError('NOT_FOUND', `Unknown operation ${String(name)}.`);
      if (!roleAllows(caller.role, definition.access)) throw forbidden(caller, definition.access);
      const parsed = parseInput(definition.input, input, `input for ${name}`);
      const handler = handlers[name] as (input: unknown, caller: Caller) => Promise<OperationOutput<typeof name>>;
      return handler(parsed, caller);
    },
    subscribe: (listener) => events.subscribe(listener),
    observeTransitions: (listener) => transitions.observe(listener),
    runningJobIds: () => [...dispatcher.runningAttempts()].map((a) => a.id),
    liveAttempts: () => [...dispatcher.runningAttempts()].map((a) => ({ jobId: a.id, attempt: a.job.attempt })),
    vramBudgetMb: () => capacity.vramBudgetMb(),
  };
}
