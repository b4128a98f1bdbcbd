/**
 * What the storage conformance suites share: how a store is opened, jobs and capacities to feed
 * it, a claim built as the dispatcher builds it, and a live job cancelled as the runtime does it.
 */
import { withStoredFlags } from '../../core/queue-flags';
import { randomUUID } from 'node:crypto';
import type { JobType } from '../../../shared/domain/job-types';
import type { ResourceCategory } from '../../../shared/domain/statuses';
import { DEFAULT_CATEGORY_LIMITS, EMPTY_USAGE, type NodeCapacity } from '../../core/capacity';
import type { ClaimRequest, JobStore, NewJob } from '../../core/ports';
import { candidateLookahead, fittingRead, schedule } from '../../core/scheduler';

export interface StoreFactoryOptions {
  readonly logBounds?: { headLines: number; tailLines: number };
}

export type StoreFactory = (options: StoreFactoryOptions) => Promise<JobStore>;

const CATEGORY_OF: Record<string, ResourceCategory> = { validate: 'cpu', reencode_streaming: 'gpu_encode', scene_extract: 'gpu_ai' };

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  const type = (overrides.type ?? 'validate') as JobType;
  return {
    id: randomUUID(),
    type,
    params: { videoId: randomUUID() },
    priority: 5,
    resourceCategory: CATEGORY_OF[type] ?? 'cpu',
    vramRequired: type === 'validate' ? 0 : 4000,
    maxRetries: 3,
    createdAt: 1_000,
    createdBy: null,
    ...overrides,
  };
}

export function capacityOf(overrides: Partial<NodeCapacity> = {}): NodeCapacity {
  return { limits: DEFAULT_CATEGORY_LIMITS, vramBudgetMb: 16000, queuePaused: false, pausedCategories: [], ...overrides };
}

export const STARVATION_GUARD_MS = 60_000;

/** A claim as a dispatcher with nothing running in its process builds it (both reads, the real scheduler). */
export function claimRequest(nodeId: string, now: number, capacity = capacityOf()): ClaimRequest {
  const fitting = fittingRead(capacity, EMPTY_USAGE, now, STARVATION_GUARD_MS);
  return {
    nodeId,
    now,
    capacity,
    lookahead: candidateLookahead(capacity),
    ...(fitting ? { fitting } : {}),
    // as the dispatcher does: the flags the claim read hold it too
    decide: (usage, candidates, stored) => schedule({ capacity: withStoredFlags(capacity, stored), usage, candidates, now, starvationGuardMs: STARVATION_GUARD_MS }),
  };
}

/**
 * A live job cancelled the way the runtime does it (its attempt still running, e.g. on another
 * node): the cancel is asked for, then the attempt reports its end; the attempt no longer owns the job.
 */
export async function cancelLiveJob(store: JobStore, fence: { jobId: string; attempt: number }, at: number): Promise<void> {
  await store.cancelJob({ jobId: fence.jobId, at, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' });
  await store.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'cancelled', ...fence, at, logLine: 'Cancelled: the tool has exited' }] });
}
