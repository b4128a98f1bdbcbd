/**
 * The one composition root: wires a store, the pure core, processors and telemetry into a Runtime
 * facade { start, stop, execute(operation, input), events }. The desktop app, the headless server
 * and the tests all get their runtime from here.
 */
import { OPERATIONS, type OperationName, type OperationOutput } from '../../shared/contracts/operations';
import { AppError } from '../../shared/contracts/errors';
import { forbidden, roleAllows, type Caller } from '../../shared/contracts/access';
import { JOB_TYPE_CATALOG } from '../../shared/domain/job-types';
import { decideAfterCrash } from '../core/retry-policy';
import { systemClock, type Clock, type JobRecord, type JobStore, type RecordedProcess } from '../core/ports';
import { killRecordedOrphans } from './orphans';
import { removeAbandonedPartials } from './partial-recovery';
import { ProcessBook } from './process-book';
import type { ProcessorRegistry } from '../processors/processor';
import type { VideoStore } from '../core/library-ports';
import type { AnalysisStore } from '../core/analysis-ports';
import { CapacityState, noGpu, type GpuReadingSource, type GpuWorkProfile } from './capacity-state';
import type { RuntimeConfig } from './config';
import type { JobTypeCatalog } from './create-job';
import { Dispatcher } from './dispatcher';
import { EventBus, type RuntimeEventListener } from './events';
import { toJobView } from './job-view';
import { createOperationHandlers, type OperationHandlers } from './operations';
import { parseInput } from './validation';
import { HangWatchdog } from './watchdog';
import { StatsNotifier } from './stats-notifier';
import { JobCleaner } from './cleaner';
import { ConsoleRelay } from './console-relay';
import { formatLogTime } from './job-view';
import type { SystemExtras } from '../../shared/contracts/system';
import { APP_VERSION } from '../version';
import { hostname } from 'node:os';
import type { Fleet } from '../../shared/contracts/fleet';
import type { FleetEventChannel, FleetRegistry, LiveAttempt, NodeRecord, WakeSource } from '../core/fleet-ports';
import { FleetEventRelay } from './fleet-event-relay';
import { FleetMember, type FleetTiming } from './fleet-member';
import { toNodeView } from './node-view';
import { TransitionRecorder, transitionsOf, type TransitionListener } from './transitions';

/** The runtime acting for itself (tests, scheduled work): no token, every right. */
export const INTERNAL_CALLER: Caller = { name: 'internal', role: 'admin' };

export interface RuntimeDeps {
  readonly config: RuntimeConfig;
  readonly store: JobStore;
  readonly videos: VideoStore;
  /** Analysis results (scenes); without it the analysis read operations answer NOT_FOUND. */
  readonly analysis?: AnalysisStore;
  readonly processors: ProcessorRegistry;
  readonly gpu?: GpuReadingSource;
  /** What the GPU really does here (encoder probe); by default both GPU categories use it. */
  readonly gpuWork?: () => GpuWorkProfile;
  readonly clock?: Clock;
  /** Job types this runtime accepts; the spec's catalog unless a test narrows or widens it. */
  readonly catalog?: JobTypeCatalog;
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
  readonly readLibraryFile?: (relativePath: string, maxBytes: number) => Promise<Buffer>;
  /** GPUs, tools and encoders for the System page (only the composition root knows them). */
  readonly systemExtras?: () => SystemExtras;
  /** Kills child processes a crashed run left behind; the /proc-checked default unless a test swaps it. */
  readonly killOrphans?: (processes: readonly RecordedProcess[]) => Promise<number[]>;
  /** Fleet mode: this node shares its store with others (PostgreSQL). Absent: the embedded default, a fleet of one. */
  readonly fleet?: FleetDeps;
}

export interface FleetDeps {
  readonly registry: FleetRegistry;
  readonly wake?: WakeSource;
  /** Job changes relayed between nodes, so a UI on any node follows the whole fleet. */
  readonly events?: FleetEventChannel;
  /** One per process (a uuid). */
  readonly instanceId: string;
  readonly timing: FleetTiming;
}

export interface Runtime {
  readonly config: RuntimeConfig;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Runs one operation of the operations table for `caller` (recorded on the jobs it creates and
   * in the log lines of its actions). A caller whose role is below the operation's access is
   * refused with FORBIDDEN; without a caller the runtime acts for itself (tests, internal work).
   */
  execute<N extends OperationName>(name: N, input: unknown, caller?: Caller): Promise<OperationOutput<N>>;
  subscribe(listener: RuntimeEventListener): () => void;
  /**
   * The status transitions THIS node makes (creates, starts, recorded outcomes, rescues, manual
   * actions it serves), for metrics; unlike `subscribe`, no events relayed from other nodes and no
   * waiting-reason rewrites.
   */
  observeTransitions(listener: TransitionListener): () => void;
  /** Attempts running in this process now (for the watchdog, metrics and tests). */
  runningJobIds(): string[];
  /** The same with their attempt numbers (fencing tokens). */
  liveAttempts(): LiveAttempt[];
  /** The VRAM budget the scheduler uses now; null without a GPU or a declared budget. */
  vramBudgetMb(): number | null;
}

export function createRuntime(deps: RuntimeDeps): Runtime {
  const { config, store } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? console;
  const events = new EventBus();
  const transitions = new TransitionRecorder();
  const capacity = new CapacityState(store, config.limits, config.declaredVramMb, config.vramHeadroomMb, deps.gpu ?? noGpu, deps.gpuWork);

  const stats = new StatsNotifier(async () => {
    if (events.hasListeners) events.emit({ type: 'stats.changed', stats: await handlers.getStats({}, INTERNAL_CALLER) });
  });
  const relay = deps.fleet?.events
    ? new FleetEventRelay(deps.fleet.events, {
        hasListeners: () => events.hasListeners,
        deliver: async (batch) => {
          for (const job of await deps.fleet!.registry.readJobs(batch.jobIds)) events.emit({ type: 'job.updated', job: toJobView(job) });
          for (const [jobId, progress] of Object.entries(batch.progress)) events.emit({ type: 'job.progress', jobId, progress });
          for (const line of batch.logs) events.emit({ type: 'job.log', ...line });
          if (batch.jobIds.length > 0) stats.changed();
        },
      })
    : null;
  const publish = (jobs: readonly JobRecord[], created = false) => {
    relay?.jobsChanged(jobs.map((j) => j.id));
    if (!events.hasListeners) return;
    for (const job of jobs) events.emit({ type: created ? 'job.created' : 'job.updated', job: toJobView(job) });
    stats.changed();
  };

  /** Outcomes this process recorded since it started (the node view shows them). */
  const outcomes = { completed: 0, failed: 0 };
  const startedAt = clock.now();
  const consoleRelay = new ConsoleRelay((jobId, text) => events.emit({ type: 'job.console', jobId, text }));
  const killOrphans = deps.killOrphans ?? killRecordedOrphans;
  const processes = new ProcessBook(store, config.nodeId, clock, logger, killOrphans);
  const dispatcher = new Dispatcher(
    store,
    deps.processors,
    (local) => {
      capacity.setReservedByUs(local.vramReservedMb);
      return capacity.snapshot();
    },
    {
      onProcessStarted: (jobId, p) => processes.started(jobId, p),
      onProcessEnded: (_jobId, p) => processes.ended(p),
      onJobsChanged: (jobs) => {
        for (const job of jobs) {
          if (job.status === 'completed') outcomes.completed += 1;
          else if (job.status === 'failed') outcomes.failed += 1;
        }
        publish(jobs);
      },
      onProgress: (jobId, progress) => {
        relay?.progressed(jobId, progress);
        if (events.hasListeners) events.emit({ type: 'job.progress', jobId, progress });
      },
      onConsole: (jobId, chunk) => events.hasListeners && consoleRelay.push(jobId, chunk),
      onLog: (jobId, at, text) => {
        relay?.logged(jobId, new Date(at).toISOString(), text);
        if (events.hasListeners) events.emit({ type: 'job.log', jobId, at: new Date(at).toISOString(), text });
      },
      onTransitions: (changes) => transitions.record(changes),
      onError: (error) => logger.error('Dispatcher tick failed (it will run again on the next event):', error),
    },
    {
      nodeId: config.nodeId,
      clock,
      retryPolicy: config.retryPolicy,
      hangTimeoutMs: config.hangTimeoutMs,
      stopGraceMs: config.stopGraceMs,
      starvationGuardMs: config.starvationGuardMs,
      reportFlushMs: config.reportFlushMs,
      sharedStore: deps.fleet !== undefined,
    },
    clock,
  );

  const watchdog = new HangWatchdog(
    () => dispatcher.runningAttempts(),
    (jobId, reason) => dispatcher.stopAttempt(jobId, reason),
    config.hangTimeoutMs,
    clock,
    (jobId) => logger.warn(`[${formatLogTime(clock.now())}] job ${jobId} showed no progress for ${config.hangTimeoutMs} ms: stopping it`),
  );

  const cleaner = new JobCleaner(store, config.retention, clock, {
    onPruned: (deleted) => {
      logger.info(`Retention: deleted ${deleted} ended job(s) past their retention, with their log lines.`);
      stats.changed();
    },
    onError: (error) => logger.error('Retention cleaner pass failed (it runs again at its next interval):', error),
  });

  const gpusNow = () => (deps.systemExtras?.().gpus ?? []).map(({ index, name, totalMb, usedMb }) => ({ index, name, totalMb, usedMb }));
  const liveState = () => {
    const usage = dispatcher.localUsage();
    const attempts = [...dispatcher.runningAttempts()];
    return {
      limits: capacity.categoryLimits(),
      vramBudgetMb: capacity.vramBudgetMb(),
      gpus: gpusNow(),
      running: usage.running,
      vramReservedMb: usage.vramReservedMb,
      attempts: attempts.map((a) => ({ jobId: a.job.id, attempt: a.job.attempt })),
      completedSinceStart: outcomes.completed,
      failedSinceStart: outcomes.failed,
    };
  };
  const registration = {
    nodeId: config.nodeId,
    instanceId: deps.fleet?.instanceId ?? 'embedded',
    hostname: hostname(),
    version: APP_VERSION,
    libraryPath: config.libraryPath,
    limits: config.limits,
    startedAt,
  };
  /** This process's own node, live (its registry row is as old as its last heartbeat). */
  const selfRecord = (base?: NodeRecord): NodeRecord => {
    const now = clock.now();
    const live = liveState();
    return {
      ...registration,
      heartbeatAt: now,
      stoppedAt: null,
      readAt: now,
      ...base,
      ...live,
      runningJobIds: live.attempts.map((a) => a.jobId),
    };
  };
  const fleet = deps.fleet
    ? new FleetMember({
        registry: deps.fleet.registry,
        ...(deps.fleet.wake ? { wake: deps.fleet.wake } : {}),
        registration,
        timing: deps.fleet.timing,
        beat: liveState,
        stopAttempt: ({ jobId, attempt }) => {
          if (dispatcher.attemptOf(jobId)?.job.attempt !== attempt) return;
          logger.warn(`Job ${jobId} (attempt ${attempt}) is no longer this node's (cancelled elsewhere, or rescued after a lost lease): stopping it.`);
          dispatcher.stopAttempt(jobId, 'fenced');
        },
        cancelAttempt: ({ jobId, attempt }) => {
          if (dispatcher.attemptOf(jobId)?.job.attempt !== attempt) return;
          dispatcher.stopAttempt(jobId, 'cancel'); // a no-op when this node stopped it already
        },
        requestDispatch: () => dispatcher.requestDispatch(),
        reloadFlags: () => capacity.load(),
        decideRescue: (job) => decideAfterCrash(job.retryCount, job.maxRetries),
        now: () => clock.now(),
        onRescued: (jobs) => {
          publish(jobs);
          transitions.record(transitionsOf(jobs, null)); // the rescue is this node's transition (from running, or suspended)
          // the rescuer removes the rescued attempts' partials (the library is shared)
          void removeAbandonedPartials(store, config.libraryPath, { jobIds: jobs.map((j) => j.id) }, logger).catch((error: unknown) => logger.error('Could not remove the partial files of rescued jobs:', error));
        },
        onSuperseded: () => dispatcher.fenceAll(),
        logger,
      })
    : null;
  const listNodes = async (): Promise<Fleet> => {
    if (!deps.fleet) return { mode: 'embedded', nodeId: config.nodeId, leaseMs: null, nodes: [toNodeView(selfRecord(), Number.POSITIVE_INFINITY, config.nodeId)] };
    const { registry, instanceId } = deps.fleet;
    const records = await registry.listNodes();
    const nodes = records.map((r) => toNodeView(r.nodeId === config.nodeId && r.instanceId === instanceId ? selfRecord(r) : r, registry.leaseMs, config.nodeId));
    return { mode: 'fleet', nodeId: config.nodeId, leaseMs: registry.leaseMs, nodes };
  };

  const handlers: OperationHandlers = createOperationHandlers({
    store,
    videos: deps.videos,
    ...(deps.analysis ? { analysis: deps.analysis } : {}),
    dispatcher,
    capacity,
    catalog: deps.catalog ?? JOB_TYPE_CATALOG,
    clock,
    maxLogLines: 100_000,
    onJobsChanged: publish,
    onTransitions: (changes) => transitions.record(changes),
    nodeId: config.nodeId,
    listNodes,
    sharedStore: deps.fleet !== undefined,
    ...(deps.readLibraryFile ? { readLibraryFile: deps.readLibraryFile } : {}),
    systemExtras: deps.systemExtras ?? (() => ({ version: APP_VERSION, gpus: [], tools: { ffmpeg: null, ffprobe: null, error: null }, encoders: { available: [], preferred: null, failed: [] } })),
  });

  let started = false;
  return {
    config,
    async start() {
      if (started) return;
      started = true;
      await capacity.load();
      // before rescuing this node's jobs: a second live process with the same node id is refused here
      await fleet?.register();
      const orphans = await killOrphans(await store.takeRecordedProcesses(config.nodeId));
      if (orphans.length > 0) logger.warn(`Killed ${orphans.length} process(es) left running by a previous run: PIDs ${orphans.join(', ')}`);
      const rescued = await store.rescueJobs(config.nodeId, clock.now(), (job) => decideAfterCrash(job.retryCount, job.maxRetries));
      if (rescued.length > 0) {
        logger.warn(`Recovered ${rescued.length} job(s) left running by a previous run: ${rescued.map((j) => `${j.id} → ${j.status}`).join(', ')}`);
        publish(rescued);
        transitions.record(transitionsOf(rescued, null));
      }
      // the files of every attempt that will not go on (this node's, in a fleet; all, embedded)
      await removeAbandonedPartials(store, config.libraryPath, deps.fleet ? { nodeId: config.nodeId } : {}, logger).catch((error: unknown) => logger.error('Could not remove the partial files of recovered jobs:', error));
      dispatcher.start();
      watchdog.start();
      fleet?.start();
      relay?.start();
      cleaner.start();
    },
    async stop() {
      if (!started) return;
      started = false;
      watchdog.stopWatching();
      await cleaner.stop(); // a pass in progress ends after its current batch
      stats.stop();
      fleet?.stop();
      await dispatcher.stop();
      await processes.close(); // no job_processes rows (and no tools) outlive a clean stop
      relay?.stop();
      await fleet?.markStopped();
    },
    async execute(name, input, caller = INTERNAL_CALLER) {
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
