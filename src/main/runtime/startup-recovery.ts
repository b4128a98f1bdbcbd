/**
 * What a node does at start before it claims anything, about what a previous run of it left (after
 * a crash): kill the tool processes it recorded (checked by start time, orphans.ts), re-queue or
 * fail (as the retry policy says) the jobs it left running, and remove the files of every attempt
 * that will not go on (this node's in a fleet, where other nodes' attempts may be live; all of them
 * embedded). A one-shot service: placed after the node's registration (in a fleet, a second live
 * process with the same node id is refused before it rescues anything) and before the dispatcher.
 */
import type { JobRecord, JobStore, RecordedProcess } from '../core/ports';
import type { Clock } from '../core/clock';
import { decideAfterCrash } from '../core/retry-policy';
import { removeAbandonedPartials } from './partial-recovery';
import { defineService, type RuntimeService } from './services/service';

export interface StartupRecoveryDeps {
  readonly store: JobStore;
  readonly nodeId: string;
  readonly libraryPath: string;
  readonly clock: Pick<Clock, 'now'>;
  /** Other nodes share the store: only this node's partials are its to remove. */
  readonly sharedStore: boolean;
  readonly killOrphans: (processes: readonly RecordedProcess[]) => Promise<number[]>;
  /** The jobs it re-queued or failed (published, counted as this node's transitions). */
  onRecovered(jobs: readonly JobRecord[]): void;
  readonly logger: Pick<Console, 'warn' | 'error'>;
}

export async function recoverAtStart(deps: StartupRecoveryDeps): Promise<void> {
  const { store, nodeId, logger } = deps;
  const orphans = await deps.killOrphans(await store.takeRecordedProcesses(nodeId));
  if (orphans.length > 0) logger.warn(`Killed ${orphans.length} process(es) left running by a previous run: PIDs ${orphans.join(', ')}`);
  const rescued = await store.rescueJobs(nodeId, deps.clock.now(), (job) => decideAfterCrash(job.retryCount, job.maxRetries));
  if (rescued.length > 0) {
    logger.warn(`Recovered ${rescued.length} job(s) left running by a previous run: ${rescued.map((j) => `${j.id} → ${j.status}`).join(', ')}`);
    deps.onRecovered(rescued);
  }
  await removeAbandonedPartials(store, deps.libraryPath, deps.sharedStore ? { nodeId } : {}, logger).catch((error: unknown) => logger.error('Could not remove the partial files of recovered jobs:', error));
}

export function startupRecovery(deps: StartupRecoveryDeps): RuntimeService {
  return defineService('start-up recovery', () => recoverAtStart(deps));
}
