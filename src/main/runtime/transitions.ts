/**
 * Job transitions made by THIS node, for metrics: a job created here, an attempt this node's
 * dispatcher started or whose outcome it recorded, a rescue it made, a manual action it served.
 * Not the event stream: events relayed from other nodes and waiting-reason rewrites (a job that is
 * queued already, explained again) are not transitions and never reach this port.
 */
import type { JobStatus } from '../../shared/domain/statuses';
import type { JobRecord } from '../core/ports';

export interface JobTransition {
  /** The job after the transition. */
  readonly job: JobRecord;
  /** The status before; null for a job just created, or where the write does not say (a manual action allowed from several statuses). */
  readonly from: JobStatus | null;
  readonly to: JobStatus;
  /** Starts only: from the time this attempt's job became ready (enqueuedAt: created, resumed, retry time, interrupted) to its start, ms. */
  readonly waitMs?: number;
  /** Recorded attempt outcomes only: the attempt's own start → end, ms. */
  readonly runMs?: number;
}

export type TransitionListener = (transitions: readonly JobTransition[]) => void;

/** The runtime's recorder port: listeners (the server's metrics) observe this node's transitions. */
export class TransitionRecorder {
  private readonly listeners = new Set<TransitionListener>();

  observe(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  record(transitions: readonly JobTransition[]): void {
    if (transitions.length === 0 || this.listeners.size === 0) return;
    for (const listener of this.listeners) listener(transitions);
  }
}

/** Transitions for jobs whose status changed from `from` (created: null) to their current status. */
export function transitionsOf(jobs: readonly JobRecord[], from: JobStatus | null): JobTransition[] {
  return jobs.map((job) => ({ job, from, to: job.status }));
}
