/**
 * The runtime's live events: what this node's jobs do (changed, progress, log lines, console) goes
 * to its own listeners (IPC, SSE) and, in a fleet, to the other nodes through the event relay,
 * whose batches from other nodes come back here as this node's events. Stats follow job changes,
 * throttled (StatsNotifier). Nothing is built for an event nobody listens to, except what the relay
 * must send (another node's UI may be listening).
 */
import type { MediaEvent } from '../../shared/contracts/events';
import type { Job, Stats } from '../../shared/contracts/job';
import type { FleetEventChannel, FleetRegistry } from '../core/fleet-ports';
import type { JobRecord } from '../core/ports';
import type { Timers } from '../core/clock';
import { ConsoleRelay } from './console-relay';
import type { ParentViewRefresher } from './parent-view-refresher';
import { EventBus, type RuntimeEventListener } from './events';
import { FleetEventRelay } from './fleet-event-relay';
import { toJobView } from './job-view';
import { StatsNotifier } from './stats-notifier';

export interface LiveEventsDeps {
  readonly timers: Timers;
  /** Fleet mode with an event channel: relay this node's changes, and deliver the others'. */
  readonly fleet?: { readonly channel: FleetEventChannel; readonly registry: Pick<FleetRegistry, 'readJobs'> };
  /** The stats a `stats.changed` event carries. */
  getStats(): Promise<Stats>;
}

/**
 * The views a change sends besides the changed jobs' own: a part of a segmented encode changes its
 * parent's (`chunks`, and its progress while it waits; segments/segment-cascade.ts), which the
 * refresher reads and sends soon after, coalesced (parent-view-refresher.ts).
 */
export interface ParentViews {
  /** The parents whose views these changed jobs change, decided without a read. */
  parentsOf(jobs: readonly JobRecord[]): string[];
  readonly refresher: ParentViewRefresher;
}

export class LiveEvents {
  private readonly bus = new EventBus();
  private parentViews: ParentViews | null = null;
  /** A service: emits `stats.changed` at most every 500 ms after changes. */
  readonly stats: StatsNotifier;
  /** A service in fleet mode with an event channel; null otherwise. */
  readonly relay: FleetEventRelay | null;
  private readonly consoleRelay: ConsoleRelay;

  constructor(deps: LiveEventsDeps) {
    this.stats = new StatsNotifier(
      async () => {
        if (this.bus.hasListeners) this.bus.emit({ type: 'stats.changed', stats: await deps.getStats() });
      },
      500,
      deps.timers,
    );
    const fleet = deps.fleet;
    this.relay = fleet
      ? new FleetEventRelay(
          fleet.channel,
          {
            hasListeners: () => this.bus.hasListeners,
            deliver: async (batch) => {
              const jobs = await fleet.registry.readJobs(batch.jobIds);
              for (const job of jobs) this.sendJob('job.updated', job);
              // another node's part changes this node's view of its parent too
              this.refreshParents(jobs);
              for (const [jobId, progress] of Object.entries(batch.progress)) this.bus.emit({ type: 'job.progress', jobId, progress });
              for (const line of batch.logs) this.bus.emit({ type: 'job.log', ...line });
              if (batch.jobIds.length > 0) this.stats.changed();
            },
          },
          250,
          deps.timers,
        )
      : null;
    this.consoleRelay = new ConsoleRelay((jobId, text) => this.bus.emit({ type: 'job.console', jobId, text }), 250, deps.timers);
  }

  subscribe(listener: RuntimeEventListener): () => void {
    return this.bus.subscribe(listener);
  }

  /** Set once the runtime has its segment cascade (it is built after these events). */
  setParentViews(views: ParentViews): void {
    this.parentViews = views;
  }

  /** Jobs this node changed (or created). */
  publish(jobs: readonly JobRecord[], created = false): void {
    this.relay?.jobsChanged(jobs.map((j) => j.id));
    if (!this.bus.hasListeners) return;
    for (const job of jobs) this.sendJob(created ? 'job.created' : 'job.updated', job);
    this.stats.changed();
    this.refreshParents(jobs);
  }

  /** A parent's view read again (the refresher's `send`). */
  sendParentView(view: Job): void {
    if (this.bus.hasListeners) this.bus.emit({ type: 'job.updated', job: view });
  }

  private sendJob(type: 'job.created' | 'job.updated', job: JobRecord): void {
    this.bus.emit({ type, job: toJobView(job) });
    // a parent's view being read now may be older than this
    this.parentViews?.refresher.sent(job.id);
  }

  private refreshParents(jobs: readonly JobRecord[]): void {
    const parents = this.parentViews?.parentsOf(jobs) ?? [];
    if (parents.length > 0) this.parentViews!.refresher.request(parents);
  }

  progressed(jobId: string, progress: number): void {
    this.relay?.progressed(jobId, progress);
    if (this.bus.hasListeners) this.bus.emit({ type: 'job.progress', jobId, progress });
  }

  logged(jobId: string, at: number, text: string): void {
    const iso = new Date(at).toISOString();
    this.relay?.logged(jobId, iso, text);
    if (this.bus.hasListeners) this.bus.emit({ type: 'job.log', jobId, at: iso, text });
  }

  /** Raw console output (never relayed: only a UI on this node shows it live). */
  console(jobId: string, chunk: string): void {
    if (this.bus.hasListeners) this.consoleRelay.push(jobId, chunk);
  }

  /** Whether anyone listens here (a pipeline run's view is built only then). */
  get listening(): boolean {
    return this.bus.hasListeners;
  }

  /** Another event of this node (a pipeline run moved on) to its own listeners; not relayed. */
  announce(event: MediaEvent): void {
    if (this.bus.hasListeners) this.bus.emit(event);
  }
}
