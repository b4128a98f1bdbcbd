/**
 * The cron of `schedule` pipelines: every `tickMs` (on the injected clock and timers) it finds, for
 * each enabled schedule pipeline, the latest time its cron expression named since the last tick (in
 * local time; croner parses the expression) and fires it once:
 *   - in a fleet only the node holding the `pipeline-scheduler` leader lease ticks (`isLeader`);
 *   - and a fired time is claimed in the store first (one row per pipeline and time), so even two
 *     nodes that both believe they lead (a lease handover) never run the same time twice.
 * Times missed while no node ran are not caught up (a nightly job that missed its night waits for
 * the next one); several times missed between two ticks fire once.
 */
import { Cron } from 'croner';
import type { PipelineRecord } from '../../core/pipeline-ports';
import type { Clock, Timers } from '../../core/clock';
import { ChainedLoop } from '../services/chained-loop';
import type { RuntimeService } from '../services/service';

export interface SchedulerDeps {
  readonly clock: Pick<Clock, 'now'>;
  readonly timers: Timers;
  readonly tickMs: number;
  /** The enabled pipelines with a schedule trigger. */
  listScheduled(): Promise<PipelineRecord[]>;
  /** True for exactly one caller per (pipeline, scheduled time). */
  claimSlot(pipelineId: string, scheduledAt: number, now: number): Promise<boolean>;
  /** Runs the pipeline for the scheduled time. */
  fire(pipeline: PipelineRecord, scheduledAt: number): Promise<void>;
  /** Whether this node runs the cron now (the leader lease; always, embedded). */
  isLeader(): boolean;
  readonly logger: Pick<Console, 'error'>;
}

/** The latest time in (after, until] that `expression` names; null when none. */
export function latestDue(expression: string, after: number, until: number): number | null {
  const cron = new Cron(expression, { paused: true, mode: '5-or-6-parts' });
  let due: number | null = null;
  let next = cron.nextRun(new Date(after));
  // bounded: an every-second expression over a long pause must not loop for ever
  for (let i = 0; next && next.getTime() <= until && i < 100_000; i++) {
    due = next.getTime();
    next = cron.nextRun(next);
  }
  return due;
}

export class PipelineScheduler implements RuntimeService {
  readonly name = 'pipeline scheduler';
  private readonly loop: ChainedLoop;
  private lastTick = 0;

  constructor(private readonly deps: SchedulerDeps) {
    this.loop = new ChainedLoop(() => this.tick(), { timers: deps.timers, intervalMs: deps.tickMs, onError: (error) => deps.logger.error('Pipeline scheduler tick failed:', error) });
  }

  start(): void {
    this.lastTick = this.deps.clock.now();
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One tick now (the loop's body; tests call it): the times that fell due since the last tick. */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    const after = this.lastTick;
    this.lastTick = now;
    if (!this.deps.isLeader() || now <= after) return;
    for (const pipeline of await this.deps.listScheduled()) {
      const trigger = pipeline.document.trigger;
      if (trigger.type !== 'schedule') continue;
      try {
        const due = latestDue(trigger.cron, after, now);
        if (due !== null && (await this.deps.claimSlot(pipeline.id, due, now))) await this.deps.fire(pipeline, due);
      } catch (error) {
        this.deps.logger.error(`Pipeline "${pipeline.document.name}": its scheduled run failed:`, error);
      }
    }
  }
}
