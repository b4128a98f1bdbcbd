/**
 * A segmented encode's parent shows its parts' aggregate (`chunks`, and its progress while it waits
 * for them; segments/segment-cascade.ts). When a part changes, the parent's view changes although
 * the parent's row did not, so its view is read again and sent as a `job.updated` of its own.
 *
 * Every part's own update goes out at once, as any job's (live-events.ts); only the parent's view
 * waits here, so nothing else is delayed or reordered behind a read. The reads are coalesced: the
 * parents asked for within DELAY_MS are read together once (a burst of parts finishing costs one
 * read per parent, not one per part), and the set waiting is bounded by the parents that exist.
 *
 * A view read while a newer update of the same parent went out is not sent (it may show an older
 * status): that parent is read again on the next round. A failed read is tried again after
 * RETRY_MS, so a page that counts on these views is not left with old counts by one failed read.
 * A service: stop() drops what waits and waits for a read in progress.
 */
import type { Job } from '../../shared/contracts/job';
import type { TimerHandle, Timers } from '../core/clock';
import type { RuntimeService } from './services/service';

const DELAY_MS = 100;
const RETRY_MS = 1_000;

export class ParentViewRefresher implements RuntimeService {
  readonly name = 'parent view refresher';
  private readonly waiting = new Set<string>();
  private readonly reading = new Set<string>();
  /** Parents read in this round of which a newer update went out meanwhile. */
  private readonly overtaken = new Set<string>();
  private timer: TimerHandle | null = null;
  private run: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly read: (parentIds: readonly string[]) => Promise<Job[]>,
    private readonly send: (view: Job) => void,
    private readonly timers: Timers,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  start(): void {
    this.stopped = false;
  }

  /** These parents' views changed (a part of theirs did): send them again, soon. */
  request(parentIds: Iterable<string>): void {
    if (this.stopped) return;
    for (const id of parentIds) this.waiting.add(id);
    this.schedule(DELAY_MS);
  }

  /** An update of this job just went out: a view of it being read now may be older. */
  sent(jobId: string): void {
    if (this.reading.has(jobId)) this.overtaken.add(jobId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.waiting.clear();
    await this.run;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null || this.run !== null || this.waiting.size === 0 || this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      // returned, so test timers can await the round
      return (this.run = this.round().then((nextDelayMs) => {
        this.run = null;
        this.schedule(nextDelayMs);
      }));
    }, delayMs);
  }

  /** One read of the parents waiting; resolves with the delay before the next round (never rejects). */
  private async round(): Promise<number> {
    const ids = [...this.waiting];
    this.waiting.clear();
    for (const id of ids) this.reading.add(id);
    try {
      const views = await this.read(ids);
      for (const view of views) {
        if (this.overtaken.has(view.id)) this.waiting.add(view.id);
        else if (!this.stopped) this.send(view);
      }
    } catch (error) {
      this.onError(error);
      for (const id of ids) this.waiting.add(id);
      // the next round after a pause, not at once: a database that fails every read is not hammered
      return RETRY_MS;
    } finally {
      this.reading.clear();
      this.overtaken.clear();
    }
    return DELAY_MS;
  }
}
