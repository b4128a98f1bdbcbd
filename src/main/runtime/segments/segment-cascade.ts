/**
 * A segmented encode is one job to the user (#20): what is done to the parent is done to its parts,
 * and the parent's view carries their aggregate.
 * - cancel: every part not ended is cancelled too (a running one is stopped by the node that runs
 *   it); the work folder is removed once no part runs any more;
 * - pause / resume: the waiting parts are paused / resumed (running parts finish their chunk);
 * - retry: the parts that failed or were cancelled are retried (the parent then waits for them);
 * - priority: the waiting and paused parts take the parent's new priority;
 * - views: `chunks` (total, done, running, failed, ETA) and, while the parent waits for its parts,
 *   `progress` aggregated over the chunks by duration (chunk-progress.ts).
 */
import type { Job } from '../../../shared/contracts/job';
import { isLiveStatus, WAITING_STATUSES } from '../../../shared/domain/statuses';
import type { Clock, JobRecord, JobStore } from '../../core/ports';
import { removeWorkDir } from '../../processors/segments/segment-files';
import type { SegmentStore } from '../../core/segment-ports';
import type { Dispatcher } from '../dispatcher';
import { chunkProgress, latestParts } from './chunk-progress';

export interface SegmentRuntimeDeps {
  readonly store: SegmentStore;
  /** The absolute path of a parent's work folder (inside the library). */
  readonly workFolder: (parentJobId: string) => string;
  /** The folder holding every work folder (`<library>/.segments`), for the cleaner. */
  readonly root: string;
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);
/** How long a cancel waits for running parts to stop before removing the work folder anyway (the cleaner removes what is left). */
const SETTLE_MS = 30_000;

export class SegmentCascade {
  constructor(
    private readonly deps: SegmentRuntimeDeps & {
      readonly jobs: JobStore;
      readonly clock: Clock;
      readonly dispatcher: Dispatcher;
      readonly onJobsChanged: (jobs: readonly JobRecord[]) => void;
    },
  ) {}

  children(parentJobId: string): Promise<JobRecord[]> {
    return this.deps.store.children(parentJobId);
  }

  /** Adds `chunks` (and the aggregated progress of a waiting parent) to the views of transcode jobs. */
  async decorate<V extends Job>(views: V[]): Promise<V[]> {
    const now = this.deps.clock.now();
    return Promise.all(
      views.map(async (v) => {
        if (v.type !== 'transcode') return v;
        const agg = chunkProgress(await this.deps.store.children(v.id), now);
        if (!agg) return v;
        return { ...v, chunks: agg.chunks, ...(isLiveStatus(v.status) || ENDED.has(v.status) ? {} : { progress: agg.progress }) };
      }),
    );
  }

  async cancel(parent: JobRecord, actor: string): Promise<void> {
    if (parent.type !== 'transcode' || parent.status !== 'cancelled') return;
    const open = latestParts(await this.deps.store.children(parent.id)).filter((c) => !ENDED.has(c.status));
    const changed: JobRecord[] = [];
    for (const c of open) {
      const { job, applied } = await this.deps.jobs.cancelJob({
        jobId: c.id, at: this.deps.clock.now(),
        logLine: `--- CANCELLED WITH ITS PARENT ${parent.id} BY ${actor} ---`,
        requestedLogLine: `--- CANCEL REQUESTED WITH ITS PARENT ${parent.id} BY ${actor}: stopping its process ---`,
      });
      if (!applied) continue;
      if (job.status !== 'cancelled') this.deps.dispatcher.stopAttempt(job.id, 'cancel');
      changed.push(job);
    }
    if (changed.length > 0) this.deps.onJobsChanged(changed);
    void this.removeWhenSettled(parent.id);
  }

  async pause(parent: JobRecord, actor: string): Promise<void> {
    await this.each(parent, (c) => WAITING_STATUSES.includes(c.status), (c) => this.deps.jobs.transitionJob({ jobId: c.id, action: 'pause', at: this.deps.clock.now(), logLine: `Paused with its parent by ${actor}` }));
  }

  async resume(parent: JobRecord, actor: string): Promise<void> {
    await this.each(parent, (c) => c.status === 'paused', (c) => this.deps.jobs.transitionJob({ jobId: c.id, action: 'resume', at: this.deps.clock.now(), logLine: `Resumed with its parent by ${actor}` }));
    this.deps.dispatcher.requestDispatch();
  }

  /** A retried parent retries its parts that failed or were cancelled (the others' chunks are kept). */
  async retry(parent: JobRecord, actor: string): Promise<void> {
    await this.each(parent, (c) => c.status === 'failed' || c.status === 'cancelled', (c) => this.deps.jobs.transitionJob({ jobId: c.id, action: 'retry', at: this.deps.clock.now(), logLine: `--- RETRIED WITH ITS PARENT BY ${actor} ---` }));
  }

  async setPriority(parent: JobRecord, priority: number): Promise<void> {
    await this.each(parent, (c) => c.status === 'paused' || WAITING_STATUSES.includes(c.status), (c) => this.deps.jobs.setPriority(c.id, priority, this.deps.clock.now()));
  }

  private async each(parent: JobRecord, which: (c: JobRecord) => boolean, apply: (c: JobRecord) => Promise<{ job: JobRecord; applied: boolean }>): Promise<void> {
    if (parent.type !== 'transcode') return;
    const changed: JobRecord[] = [];
    for (const c of latestParts(await this.deps.store.children(parent.id)).filter(which)) {
      const { job, applied } = await apply(c);
      if (applied) changed.push(job);
    }
    if (changed.length > 0) this.deps.onJobsChanged(changed);
  }

  /** Removes the work folder once no part of the parent runs any more (a stopping chunk may still write its partial). */
  private async removeWhenSettled(parentJobId: string): Promise<void> {
    const deadline = this.deps.clock.now() + SETTLE_MS;
    try {
      while (this.deps.clock.now() < deadline) {
        const children = await this.deps.store.children(parentJobId);
        if (children.every((c) => ENDED.has(c.status))) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await removeWorkDir(this.deps.workFolder(parentJobId));
    } catch {
      // the cleaner removes work folders of ended parents later
    }
  }
}
