/**
 * The pipelines as a runtime service (start/stop, the injected clock and timers). It wires:
 *   - the runs' advance: on every transition of a step's job that THIS node makes (the node that
 *     records a job's end advances its run), at start-up and every `sweepMs` for every running run
 *     (what a crash or another node's death left behind); advances of one run never overlap here,
 *     and the store's conditional writes make concurrent advances on several nodes safe;
 *   - the triggers: `job_completed` (this node's completed jobs), `file_added` (the library
 *     watcher's registered and changed videos, when the runtime has a watcher), `schedule` (the
 *     cron, on the node holding the pipeline-scheduler lease) and `manual` (the run operation);
 *   - `pipeline.run.updated` events.
 */
import type { MediaEvent } from '../../../shared/contracts/events';
import type { PipelineDocument } from '../../../shared/domain/pipeline';
import type { AnalysisStore } from '../../core/analysis-ports';
import type { VideoStore } from '../../core/library-ports';
import type { PipelineRecord, PipelineStore, RunRecord } from '../../core/pipeline-ports';
import type { JobRecord, JobStore, NewJob } from '../../core/ports';
import type { Clock, Timers } from '../../core/clock';
import type { LeaderLeaseStore } from '../../core/watch-ports';
import { STATUS_CLASS } from '../../../shared/domain/statuses';
import type { JobTypeCatalog } from '../create-job';
import { LeaderLease } from '../leader-lease';
import type { LibraryVideoEvent } from '../library-video-events';
import { ChainedLoop } from '../services/chained-loop';
import type { RuntimeService } from '../services/service';
import type { JobTransition, TransitionListener } from '../transitions';
import { KeyedRunner } from './keyed-runner';
import { PipelineScheduler } from './pipeline-scheduler';
import { RunAdvancer } from './run-advancer';
import { startRuns, type StartOutcome, type StartRequest } from './run-starter';
import { jobsOfRun, toRunView } from './views';

export interface PipelineServiceDeps {
  readonly pipelines: PipelineStore;
  readonly jobs: JobStore;
  readonly videos: VideoStore;
  readonly analysis?: AnalysisStore | undefined;
  readonly catalog: JobTypeCatalog;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly libraryPath: string;
  /** Inserts step jobs the way every job is created (events, metrics, a dispatch). */
  insertJobs(jobs: readonly NewJob[]): Promise<JobRecord[]>;
  /** This node's job transitions. */
  observeTransitions(listener: TransitionListener): () => void;
  /** The library watcher's notifications; absent where the runtime has no watcher. */
  readonly libraryEvents?: { observe(listener: (event: LibraryVideoEvent) => void): () => void } | undefined;
  readonly events: { readonly hasListeners: boolean; emit(event: MediaEvent): void };
  /** Fleet: the leases that let one node run the cron; null or absent: this node runs it (embedded). */
  readonly leases?: LeaderLeaseStore | null | undefined;
  /** This process, as a lease holder (node id and instance), and the lease's timing (the fleet's). */
  readonly holder: string;
  readonly leaseMs?: number;
  readonly renewMs?: number;
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
  /** How often every running run is advanced again (default 30 s). */
  readonly sweepMs?: number;
  /** How often the cron looks for due times (default 15 s). */
  readonly scheduleTickMs?: number;
}

const TRIGGER_CACHE_MS = 10_000;

export class PipelineService implements RuntimeService {
  readonly name = 'pipelines';
  private readonly advancer: RunAdvancer;
  private readonly runner: KeyedRunner;
  private readonly sweeper: ChainedLoop;
  private readonly scheduler: PipelineScheduler;
  private readonly lease: LeaderLease;
  private readonly documents = new Map<string, Promise<PipelineDocument | undefined>>();
  private enabled: { at: number; list: Promise<PipelineRecord[]> } | null = null;
  private unsubscribe: (() => void)[] = [];
  /** Trigger work in progress (started from listeners), awaited by stop(). */
  private readonly work = new Set<Promise<unknown>>();

  constructor(private readonly deps: PipelineServiceDeps) {
    this.advancer = new RunAdvancer({
      ...deps,
      documentOf: (id, version) => this.documentOf(id, version),
      onRunChanged: (run, document) => this.announce(run, document),
    });
    this.runner = new KeyedRunner(
      (runId) => this.advancer.advance(runId),
      (runId, error) => deps.logger.error(`Pipeline run ${runId} could not move on (it is tried again at the next change or sweep):`, error),
    );
    this.sweeper = new ChainedLoop(() => this.sweep(), { timers: deps.timers, intervalMs: deps.sweepMs ?? 30_000, onError: (error) => deps.logger.error('Pipeline sweep failed:', error) });
    this.lease = new LeaderLease({ name: 'pipeline-scheduler', holder: deps.holder, store: deps.leases ?? null, ttlMs: deps.leaseMs ?? 30_000, renewMs: deps.renewMs ?? 10_000, clock: deps.clock, timers: deps.timers, onChange: () => undefined, logger: deps.logger });
    this.scheduler = new PipelineScheduler({
      clock: deps.clock,
      timers: deps.timers,
      tickMs: deps.scheduleTickMs ?? 15_000,
      listScheduled: async () => (await this.enabledPipelines()).filter((p) => p.document.trigger.type === 'schedule'),
      claimSlot: (id, at, now) => deps.pipelines.claimScheduleSlot(id, at, now),
      fire: async (pipeline, at) => void (await this.startRuns(pipeline, { force: false, trigger: 'schedule', triggerDetail: new Date(at).toISOString() })),
      isLeader: () => this.lease.isLeader,
      logger: deps.logger,
    });
  }

  async start(): Promise<void> {
    this.unsubscribe = [this.deps.observeTransitions((changes) => this.onTransitions(changes))];
    if (this.deps.libraryEvents) this.unsubscribe.push(this.deps.libraryEvents.observe((event) => this.onLibraryEvent(event)));
    this.lease.start();
    this.scheduler.start();
    this.sweeper.start();
    this.track(this.sweep()); // runs a restart left behind go on now, not at the first interval
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await this.sweeper.stop();
    await this.scheduler.stop();
    await this.lease.stop();
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
    await this.runner.idle();
  }

  /** Starts the pipeline's runs for the request's videos (or the whole library) that pass its screening. */
  startRuns(pipeline: PipelineRecord, request: StartRequest): Promise<StartOutcome> {
    return startRuns({ ...this.deps, advance: (runId) => this.runner.request(runId) }, pipeline, request);
  }

  /** Advances a run now (and resolves when done): after a trigger, and for tests. */
  advance(runId: string): Promise<void> {
    return this.runner.request(runId);
  }

  /** The running runs that need it, advanced again (restart safety, and jobs whose end another node recorded). */
  async sweep(): Promise<void> {
    this.enabled = null; // pick up other nodes' edits of triggers
    const ids = await this.deps.pipelines.listRunsToAdvance(1_000);
    await Promise.all(ids.map((id) => this.runner.request(id)));
  }

  /** A local create, update or delete: the triggers see it at once. */
  pipelinesChanged(): void {
    this.enabled = null;
  }

  documentOf(pipelineId: string, version: number): Promise<PipelineDocument | undefined> {
    const key = `${pipelineId}@${version}`;
    let document = this.documents.get(key);
    if (!document) {
      document = this.deps.pipelines.getPipelineVersion(pipelineId, version);
      document.then((d) => d ?? this.documents.delete(key), () => this.documents.delete(key));
      this.documents.set(key, document);
    }
    return document;
  }

  private enabledPipelines(): Promise<PipelineRecord[]> {
    const now = this.deps.clock.now();
    if (!this.enabled || now - this.enabled.at > TRIGGER_CACHE_MS) {
      const list = this.deps.pipelines.listPipelines().then((all) => all.filter((p) => p.enabled));
      list.catch(() => (this.enabled = null));
      this.enabled = { at: now, list };
    }
    return this.enabled.list;
  }

  private onTransitions(changes: readonly JobTransition[]): void {
    for (const { job, to } of changes) {
      // a step's job ended, or came back (a manual retry): its run moves on
      if (job.pipelineRunId && (STATUS_CLASS[to] === 'final' || job.retryCount > 0)) this.track(this.runner.request(job.pipelineRunId));
      if (to === 'completed') this.track(this.onJobCompleted(job));
    }
  }

  private async onJobCompleted(job: JobRecord): Promise<void> {
    const matching = (await this.enabledPipelines()).filter((p) => p.document.trigger.type === 'job_completed' && p.document.trigger.jobType === job.type);
    if (matching.length === 0) return;
    const ownPipeline = job.pipelineRunId ? (await this.deps.pipelines.getRun(job.pipelineRunId))?.pipelineId : undefined;
    const output = await this.deps.pipelines.outputVideoOf(job.id);
    const named = [job.params.videoId, ...(Array.isArray(job.params.videoIds) ? job.params.videoIds : [])].filter((v): v is string => typeof v === 'string');
    const videoIds = [...new Set([...(output ? [output] : []), ...named])];
    for (const pipeline of matching) {
      if (pipeline.id === ownPipeline) continue; // a pipeline's own steps never retrigger it
      await this.startRuns(pipeline, { ...(videoIds.length > 0 ? { videoIds } : {}), force: false, trigger: 'job_completed', triggerDetail: job.id });
    }
  }

  private onLibraryEvent(event: LibraryVideoEvent): void {
    if (event.type === 'video.missing') return;
    this.track(
      (async () => {
        const path = event.video.path;
        for (const pipeline of await this.enabledPipelines()) {
          const trigger = pipeline.document.trigger;
          if (trigger.type !== 'file_added') continue;
          if (trigger.folders && !trigger.folders.some((f) => path.startsWith(`${f.replace(/\/+$/, '')}/`))) continue;
          await this.startRuns(pipeline, { videoIds: [event.video.id], force: false, trigger: 'file_added', triggerDetail: path });
        }
      })(),
    );
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => this.deps.logger.error('Pipeline trigger failed:', error)).finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  private announce(run: RunRecord, document: PipelineDocument): void {
    if (!this.deps.events.hasListeners) return;
    this.track(
      (async () => {
        const [pipeline, video, jobs] = await Promise.all([this.deps.pipelines.getPipeline(run.pipelineId), this.deps.videos.getVideo(run.videoId), jobsOfRun(this.deps.jobs, run)]);
        const view = toRunView(run, { document, pipelineName: pipeline?.document.name ?? null, videoPath: video?.path ?? null, jobs });
        this.deps.events.emit({ type: 'pipeline.run.updated', run: view });
      })(),
    );
  }
}
