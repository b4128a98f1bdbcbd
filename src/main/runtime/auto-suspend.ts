/**
 * Suspensions the runtime makes by itself (a time window closing with "suspend", the GPU yielded
 * to the person at the machine) and undoes by itself, never touching a job a user suspended.
 *
 * Each job this node suspended is held under one or more keys ('window', 'gpu-yield'); it is
 * resumed once the last key is released. A job that leaves `suspended` any other way (a user
 * resumed it, it was cancelled or ended) is forgotten, so a later release does not resume a job
 * the user has suspended again meanwhile. Only attempts running in this process are suspended:
 * in a fleet each node acts for the jobs it runs.
 *
 * Suspending and resuming go through the same path as the user's pause/resume (the operation
 * handlers), so the lifecycle, the log line and the events are the same.
 */
import type { Caller } from '../../shared/contracts/access';
import type { ResourceCategory } from '../../shared/domain/statuses';
import type { JobTransition } from './transitions';

export type SuspendKey = 'window' | 'gpu-yield';

export interface RunningHere {
  readonly id: string;
  readonly category: ResourceCategory;
  /** Already suspended (by anyone). */
  readonly suspended: boolean;
}

export interface AutoSuspendDeps {
  /** The attempts running in this process. */
  attempts(): Iterable<RunningHere>;
  /** The user's pause of a running job (suspends it), acting as `caller`. */
  suspend(jobId: string, caller: Caller): Promise<unknown>;
  /** The user's resume of a suspended job. */
  resume(jobId: string, caller: Caller): Promise<unknown>;
  readonly logger: Pick<Console, 'warn'>;
}

export class AutoSuspender {
  /** Jobs this node suspended, with the keys that hold them. */
  private readonly held = new Map<string, { category: ResourceCategory; keys: Set<SuspendKey> }>();
  /** Our own resumes in progress (their transition out of `suspended` is not a user's). */
  private readonly resuming = new Set<string>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AutoSuspendDeps) {}

  /** Jobs held now (tests, state). */
  heldJobs(key?: SuspendKey): string[] {
    return [...this.held].filter(([, h]) => !key || h.keys.has(key)).map(([id]) => id);
  }

  /** Suspends this node's running jobs of `category` under `key`; `who` names the cause in their logs. */
  suspendCategory(category: ResourceCategory, key: SuspendKey, who: string): Promise<void> {
    return this.serial(async () => {
      for (const attempt of [...this.deps.attempts()]) {
        if (attempt.category !== category) continue;
        const mine = this.held.get(attempt.id);
        if (mine) {
          mine.keys.add(key);
          continue;
        }
        if (attempt.suspended) continue; // a user's suspension: not ours to hold or undo
        try {
          await this.deps.suspend(attempt.id, { name: who, role: 'admin' });
          this.held.set(attempt.id, { category, keys: new Set([key]) });
        } catch (error) {
          // no process that can be stopped (an in-process step), or it is just ending: it finishes
          this.deps.logger.warn(`${who}: job ${attempt.id} goes on (${error instanceof Error ? error.message : String(error)})`);
        }
      }
    });
  }

  /** Releases `key` on this node's jobs (of `category` only, when given); resumes those nothing else holds. */
  release(key: SuspendKey, who: string, category?: ResourceCategory): Promise<void> {
    return this.serial(async () => {
      for (const [id, h] of [...this.held]) {
        if (!h.keys.has(key) || (category && h.category !== category)) continue;
        h.keys.delete(key);
        if (h.keys.size > 0) continue;
        this.held.delete(id);
        this.resuming.add(id);
        try {
          await this.deps.resume(id, { name: who, role: 'admin' });
        } catch (error) {
          this.deps.logger.warn(`${who}: could not resume job ${id} (${error instanceof Error ? error.message : String(error)})`);
        } finally {
          this.resuming.delete(id);
        }
      }
    });
  }

  /** Told of every status transition: a held job that leaves `suspended` other than through us is no longer ours. */
  observe(transitions: readonly JobTransition[]): void {
    for (const t of transitions) {
      if (t.to !== 'suspended' && this.held.has(t.job.id) && !this.resuming.has(t.job.id)) this.held.delete(t.job.id);
    }
  }

  /** Resolves once the suspensions and resumes asked for so far are done. */
  idle(): Promise<void> {
    return this.chain;
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
