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
import type { JobRecord, Timers } from '../core/ports';
import { ConsoleRelay } from './console-relay';
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
 * Views that need a read before they can be sent: a segmented encode's parent carries its parts'
 * aggregate (`chunks`, and its progress while it waits for them), and a part that changes changes
 * its parent's (segments/segment-cascade.ts). Without them a parent's `chunks` stayed as the page
 * last loaded them until a reload.
 */
export interface EventViews {
  /** Whether this job's update needs views() (decided without a read). */
  concerns(job: JobRecord): boolean;
  /** The views to send for these changed jobs: theirs, then the parents they change. */
  views(jobs: readonly JobRecord[]): Promise<Job[]>;
}

export class LiveEvents {
  private readonly bus = new EventBus();
  private eventViews: EventViews | null = null;
  /**
   * Updates that wait for views(), in order. While any waits, every later update queues behind it,
   * so no job's update overtakes an earlier one of the same job.
   */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
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
              // another node's part changes this node's view of its parent too
              for (const job of await this.viewsOf(await fleet.registry.readJobs(batch.jobIds))) this.bus.emit({ type: 'job.updated', job });
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
  setEventViews(views: EventViews): void {
    this.eventViews = views;
  }

  /** Jobs this node changed (or created). */
  publish(jobs: readonly JobRecord[], created = false): void {
    this.relay?.jobsChanged(jobs.map((j) => j.id));
    if (!this.bus.hasListeners) return;
    // a new job has no parts yet, and no earlier update to wait behind
    if (created || (this.queued === 0 && !jobs.some((j) => this.eventViews?.concerns(j)))) {
      for (const job of jobs) this.bus.emit({ type: created ? 'job.created' : 'job.updated', job: toJobView(job) });
      this.stats.changed();
      return;
    }
    this.queued += 1;
    this.queue = this.queue
      .then(async () => {
        const views = await this.viewsOf(jobs);
        if (this.bus.hasListeners) for (const job of views) this.bus.emit({ type: 'job.updated', job });
        this.stats.changed();
      })
      // never leave the queue rejected: every later update waits on it
      .catch((error: unknown) => console.error('A live job update could not be sent:', error))
      .finally(() => (this.queued -= 1));
  }

  /** The views to send for changed jobs: with their parts' aggregate where they need it; plain views if that read fails (the update is never lost). */
  private async viewsOf(jobs: readonly JobRecord[]): Promise<Job[]> {
    const plain = () => jobs.map((j) => toJobView(j));
    if (!this.eventViews || !jobs.some((j) => this.eventViews!.concerns(j))) return plain();
    return this.eventViews.views(jobs).catch(plain);
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
