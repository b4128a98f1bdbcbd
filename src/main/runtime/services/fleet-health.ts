/**
 * What this node's fleet services share about its link to the database, in monotonic time (a
 * wall-clock step must not fence a healthy node or unblock a sweep early):
 * - since when heartbeats have succeeded without a failure (the sweeper waits for a whole lease
 *   of it: after an outage every lease looks expired, and live nodes need one beat to renew theirs);
 * - when the last heartbeat reached the database (a node silent for a whole lease fences itself);
 * - whether another process took this node id over (every fleet service then ends its work).
 */
import type { Clock } from '../../core/clock';

export class FleetHealth {
  private lastBeatOkAt: number;
  private healthySince: number | null;
  private supersededBy: string | null = null;

  constructor(private readonly clock: Pick<Clock, 'monotonicMs'>) {
    this.lastBeatOkAt = clock.monotonicMs();
    this.healthySince = this.lastBeatOkAt;
  }

  /** At the start of heartbeats: counted as healthy from now. */
  reset(): void {
    this.lastBeatOkAt = this.clock.monotonicMs();
    this.healthySince = this.lastBeatOkAt;
  }

  beatSucceeded(): void {
    this.lastBeatOkAt = this.clock.monotonicMs();
    this.healthySince ??= this.lastBeatOkAt;
  }

  /** A failed heartbeat: returns how long no heartbeat has reached the database, ms. */
  beatFailed(): number {
    this.healthySince = null;
    return this.clock.monotonicMs() - this.lastBeatOkAt;
  }

  /** How long heartbeats have succeeded without a failure, ms; null while they fail. */
  healthyForMs(): number | null {
    return this.healthySince === null ? null : this.clock.monotonicMs() - this.healthySince;
  }

  get superseded(): boolean {
    return this.supersededBy !== null;
  }

  markSuperseded(host: string): void {
    this.supersededBy = host;
  }
}
