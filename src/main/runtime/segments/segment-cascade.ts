/**
 * A segmented encode is one job to the user (#20): what is done to the parent is done to its parts,
 * and the parent's view carries their aggregate.
 * - cancel: every part not ended is cancelled too (a running one is stopped by the node that runs
 *   it); the work folder is removed once no part runs any more. A parent cancelled while its own
 *   attempt runs (plan or join) does it when that attempt ends (onTransitions, `cancelled`);
 * - failure: a parent that fails (a part failed for good) cancels its parts not ended, running ones
 *   included, so no node keeps encoding for a job that has failed; the work folder and its finished
 *   chunks are KEPT, since a retry of the parent encodes only the parts that did not finish (the
 *   cleaner removes the folder of a parent that ends for good otherwise);
 * - completion with parts not done (the live guard across chunks kept the original): they are
 *   cancelled and the work folder is removed once none runs;
 * - pause / resume: the waiting parts are paused / resumed (running parts finish their chunk);
 * - retry: the parts that failed or were cancelled are retried first, then the parent (which then
 *   waits for them); a late `failed` transition of the parent does not cancel parts queued after it;
 * - priority: every part not ended takes the parent's new priority (a running one keeps running, and
 *   its retry, if it needs one, waits at the new priority);
 * - views: `chunks` (total, done, running, failed, ETA) and, while the parent waits for its parts,
 *   `progress` aggregated over the chunks by duration (chunk-progress.ts).
 */
import type { Job } from '../../../shared/contracts/job';
import { isSegmentChild } from '../../../shared/domain/job-types';
import { isLiveStatus, WAITING_STATUSES } from '../../../shared/domain/statuses';
import type { JobRecord, JobStore } from '../../core/ports';
import type { Clock } from '../../core/clock';
import { removeWorkDir } from '../../processors/segments/segment-files';
import type { SegmentStore } from '../../core/segment-ports';
import type { Dispatcher } from '../dispatcher';
import { toJobView } from '../job-view';
import type { JobTransition } from '../transitions';
import { chunkProgress, latestParts } from './chunk-progress';

export interface SegmentRuntimeDeps {
  readonly store: SegmentStore;
  /** The absolute path of a parent's work folder (inside the library). */
  readonly workFolder: (parentJobId: string) => string;
  /** The folder holding every work folder (`<library>/.segments`), for the cleaner. */
  readonly root: string;
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);
/** The job types that can be split into parts. */
const PARENTS = new Set(['transcode', 'reencode_streaming']);
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

  /** The parents whose views a change of these jobs changes: those of the parts among them (live updates, live-events.ts). */
  parentsOf(jobs: readonly JobRecord[]): string[] {
    return [...new Set(jobs.flatMap((j) => (isSegmentChild(j.type) && j.parentJobId != null ? [j.parentJobId] : [])))];
  }

  /** These parents' views, read now, with their parts' aggregate (a parent deleted meanwhile is left out). */
  async parentViews(parentIds: readonly string[]): Promise<Job[]> {
    const parents = (await Promise.all(parentIds.map((id) => this.deps.jobs.getJob(id)))).filter((p): p is JobRecord => p !== undefined);
    return this.decorate(parents.map((p) => toJobView(p)));
  }

  /** Adds `chunks` (and the aggregated progress of a waiting parent) to the views of transcode jobs. */
  async decorate<V extends Job>(views: V[]): Promise<V[]> {
    const parents = views.filter((v) => PARENTS.has(v.type)).map((v) => v.id);
    if (parents.length === 0) return views;
    // one query for the page, not one per transcode row
    const parts = await this.deps.store.childrenOf(parents);
    const now = this.deps.clock.now();
    return views.map((v) => {
      const agg = parts.has(v.id) ? chunkProgress(parts.get(v.id)!, now) : null;
      if (!agg) return v;
      // a parent in its join run shows at least what its parts reached (its first report comes after the chunk checks)
      if (isLiveStatus(v.status)) return { ...v, chunks: agg.chunks, progress: Math.max(v.progress, agg.progress) };
      return { ...v, chunks: agg.chunks, ...(ENDED.has(v.status) ? {} : { progress: agg.progress }) };
    });
  }

  async cancel(parent: JobRecord, actor: string): Promise<void> {
    if (!PARENTS.has(parent.type) || parent.status !== 'cancelled') return;
    await this.cancelParts(parent, `WITH ITS PARENT ${parent.id} BY ${actor}`);
    void this.removeWhenSettled(parent.id);
  }

  /**
   * This node's transitions (create-runtime observes them): a parent that failed cancels its parts
   * not ended. Its work folder is kept: the finished chunks are what a retry of the parent reuses.
   */
  onTransitions(changes: readonly JobTransition[]): void {
    for (const { job, to } of changes) {
      if (!PARENTS.has(job.type)) continue;
      if (to === 'failed') void this.cancelParts(job, `BECAUSE ITS PARENT ${job.id} FAILED`, true).catch((error: unknown) => console.error(`Could not cancel the parts of failed job ${job.id}:`, error));
      // a parent cancelled while its attempt ran (its plan or its join) becomes cancelled here, when the attempt ends
      if (to === 'cancelled') {
        void this.cancelParts(job, `WITH ITS PARENT ${job.id}`)
          .then(() => this.removeWhenSettled(job.id))
          .catch((error: unknown) => console.error(`Could not cancel the parts of cancelled job ${job.id}:`, error));
      }
      // a parent that completed with parts not done kept its original (the live guard across chunks): they are of no use now
      if (to === 'completed') {
        void this.cancelParts(job, `BECAUSE ITS PARENT ${job.id} ENDED WITHOUT THEM`)
          .then((n) => (n > 0 ? this.removeWhenSettled(job.id) : undefined))
          .catch((error: unknown) => console.error(`Could not cancel the parts of job ${job.id}:`, error));
      }
    }
  }

  /**
   * Cancels the latest job of each part not ended; a running one is stopped here, or by its node (the store tells it).
   * `onlyBeforeEnd`: the parent failed; if it has been retried since (its parts re-queued first), the
   * parts queued after its failure are the retry's and are left alone.
   */
  private async cancelParts(parent: JobRecord, why: string, onlyBeforeEnd = false): Promise<number> {
    if (onlyBeforeEnd) {
      const now = await this.deps.jobs.getJob(parent.id);
      if (!now || now.status !== parent.status) return 0;
    }
    const endedAt = parent.completedAt ?? Number.POSITIVE_INFINITY;
    const open = latestParts(await this.deps.store.children(parent.id)).filter((c) => !ENDED.has(c.status) && (!onlyBeforeEnd || c.enqueuedAt <= endedAt));
    const changed: JobRecord[] = [];
    for (const c of open) {
      const { job, applied } = await this.deps.jobs.cancelJob({
        jobId: c.id, at: this.deps.clock.now(),
        logLine: `--- CANCELLED ${why} ---`,
        requestedLogLine: `--- CANCEL REQUESTED ${why}: stopping its process ---`,
      });
      if (!applied) continue;
      if (job.status !== 'cancelled') this.deps.dispatcher.stopAttempt(job.id, 'cancel');
      changed.push(job);
    }
    if (changed.length > 0) this.deps.onJobsChanged(changed);
    return changed.length;
  }

  async pause(parent: JobRecord, actor: string): Promise<void> {
    await this.each(parent, (c) => WAITING_STATUSES.includes(c.status), (c) => this.deps.jobs.transitionJob({ jobId: c.id, action: 'pause', at: this.deps.clock.now(), logLine: `Paused with its parent by ${actor}` }));
  }

  async resume(parent: JobRecord, actor: string): Promise<void> {
    await this.each(parent, (c) => c.status === 'paused', (c) => this.deps.jobs.transitionJob({ jobId: c.id, action: 'resume', at: this.deps.clock.now(), logLine: `Resumed with its parent by ${actor}` }));
    this.deps.dispatcher.requestDispatch();
  }

  /**
   * A retried parent retries its parts that failed or were cancelled (the others' chunks are kept).
   * Called BEFORE the parent's own retry (runtime/operations.ts): a parent re-queued first could run
   * its join at once on another node, see the failed part, fail again, and cancel the parts retried.
   */
  async retry(parent: JobRecord, actor: string): Promise<void> {
    await this.each(parent, (c) => c.status === 'failed' || c.status === 'cancelled', (c) => this.deps.jobs.transitionJob({ jobId: c.id, action: 'retry', at: this.deps.clock.now(), logLine: `--- RETRIED WITH ITS PARENT BY ${actor} ---` }));
  }

  async setPriority(parent: JobRecord, priority: number): Promise<void> {
    if (!PARENTS.has(parent.type)) return;
    const changed = await this.deps.store.setPartsPriority(parent.id, priority, this.deps.clock.now());
    if (changed.length > 0) this.deps.onJobsChanged(changed);
  }

  private async each(parent: JobRecord, which: (c: JobRecord) => boolean, apply: (c: JobRecord) => Promise<{ job: JobRecord; applied: boolean }>): Promise<void> {
    if (!PARENTS.has(parent.type)) return;
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
