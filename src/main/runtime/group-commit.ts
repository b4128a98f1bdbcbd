/**
 * Group commit for creates: the jobs that reach the create path in the same turn of the event loop
 * are inserted in ONE store call (one transaction, so one fsync in the embedded store's WAL with
 * synchronous=FULL, one round trip on PostgreSQL) instead of one each. Under 50 concurrent
 * clients the per-create commit, not the work around it, was what held the event loop: with the
 * synchronous SQLite driver a commit blocks every other request until its fsync returns.
 *
 * Each caller is still answered only after its own row is committed, and each gets its own
 * outcome: when the batch's insert throws (the transaction rolled back, nothing of it written),
 * the jobs are inserted again one by one, so one failing row fails only its own create.
 *
 * `committed` runs once per committed batch, before any caller is answered: the created events,
 * metrics and one dispatch request per batch rather than per job.
 */
import type { JobRecord, NewJob } from '../core/ports';

interface Waiting {
  readonly job: NewJob;
  readonly resolve: (job: JobRecord) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommit {
  private pending: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly insertJobs: (jobs: readonly NewJob[]) => Promise<JobRecord[]>,
    private readonly committed: (jobs: readonly JobRecord[]) => void,
  ) {}

  /** Inserts `job` with the others of this turn; resolves with its record once it is committed. */
  insert(job: NewJob): Promise<JobRecord> {
    return new Promise<JobRecord>((resolve, reject) => {
      this.pending.push({ job, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // after the I/O callbacks of this turn (the requests read with this one), before the next poll
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    let rows: JobRecord[];
    try {
      rows = await this.insertJobs(batch.map((w) => w.job));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      return this.oneByOne(batch);
    }
    this.settle(batch, rows);
  }

  /** The batch failed as a whole: each job alone, so only the failing ones fail. */
  private async oneByOne(batch: readonly Waiting[]): Promise<void> {
    for (const waiting of batch) {
      try {
        this.settle([waiting], await this.insertJobs([waiting.job]));
      } catch (error) {
        waiting.reject(error);
      }
    }
  }

  private settle(batch: readonly Waiting[], rows: readonly JobRecord[]): void {
    let failure: { error: unknown } | null = null;
    try {
      this.committed(rows);
    } catch (error) {
      // as before group commit: the rows are committed, and their creates answer with the error
      failure = { error };
    }
    batch.forEach((waiting, i) => (failure ? waiting.reject(failure.error) : waiting.resolve(rows[i]!)));
  }
}
