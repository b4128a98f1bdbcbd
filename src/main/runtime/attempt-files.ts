/**
 * JobContext.files of a running attempt, backed by the job store: the attempt's fencing token
 * (job id and attempt number) and the records of the partial files it writes, under this node's id.
 */
import type { AttemptFence, JobRecord, JobStore } from '../core/ports';
import type { Clock } from '../core/clock';
import type { AttemptFiles } from '../processors/processor';

export class StoreAttemptFiles implements AttemptFiles {
  readonly fence: AttemptFence;

  constructor(
    private readonly store: JobStore,
    private readonly nodeId: string,
    private readonly clock: Pick<Clock, 'now'>, // wall time only (record times)
    job: JobRecord,
  ) {
    this.fence = { jobId: job.id, attempt: job.attempt };
  }

  ownsJob(): Promise<boolean> {
    return this.store.attemptOwnsJob(this.fence);
  }

  recordPartial(path: string): Promise<void> {
    return this.store.recordPartial({ ...this.fence, path, nodeId: this.nodeId, createdAt: this.clock.now() });
  }

  forgetPartial(path: string): Promise<void> {
    return this.store.forgetPartial(this.fence, path);
  }

  commit(path: string): Promise<boolean> {
    return this.store.commitPartial(this.fence, path);
  }
}
