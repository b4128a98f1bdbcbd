/**
 * The handlers of the operations table: what each operation does with the store and the
 * dispatcher. Inputs arrive already validated against the operation's input schema. Job reads, job
 * actions and library reads live in job-read-operations.ts, job-action-operations.ts and
 * video-operations.ts; this file composes them with the queue and system handlers.
 */
import type { JobTransition } from './transitions';
import type { z } from 'zod';
import type { OPERATIONS, OperationName, OperationOutput } from '../../shared/contracts/operations';
import type { ResourceCategory } from '../../shared/domain/statuses';
import type { SystemExtras } from '../../shared/contracts/system';
import type { Fleet } from '../../shared/contracts/fleet';
import { availableParallelism, loadavg } from 'node:os';
import type { Caller } from '../../shared/contracts/access';
import type { JobRecord, JobStore } from '../core/ports';
import type { Clock } from '../core/clock';
import type { CapacityState } from './capacity-state';
import type { JobTypeCatalog } from './create-job';
import type { Dispatcher } from './dispatcher';
import type { VideoStore } from '../core/library-ports';
import type { AnalysisStore } from '../core/analysis-ports';
import type { LibraryWatcher } from './library-watcher';
import { watchHandlers } from './watch-operations';
import { transcodeHandlers } from './transcode-operations';
import type { TranscodeOperations } from '../processors/transcode/transcode-service';
import type { SegmentCascade } from './segments/segment-cascade';
import { unavailablePipelineHandlers, type PipelineHandlers } from './pipelines/pipeline-operations';
import { jobReadHandlers } from './job-read-operations';
import { jobActionHandlers } from './job-action-operations';
import { videoHandlers } from './video-operations';

export { actorOf } from './job-action-operations';

type Input<N extends OperationName> = z.infer<(typeof OPERATIONS)[N]['input']>;
/** Each handler gets its validated input and who asked (recorded on jobs and in their logs). */
export type OperationHandlers = { [N in OperationName]: (input: Input<N>, caller: Caller) => Promise<OperationOutput<N>> };

export interface OperationDeps {
  readonly store: JobStore;
  readonly videos: VideoStore;
  /** Analysis results; absent in runtimes built without one (their reads answer NOT_FOUND). */
  readonly analysis?: AnalysisStore;
  readonly dispatcher: Dispatcher;
  readonly capacity: CapacityState;
  readonly catalog: JobTypeCatalog;
  readonly clock: Clock;
  readonly maxLogLines: number;
  /** Called with every job a user's action changed, so events and metrics follow. */
  readonly onJobsChanged: (jobs: readonly JobRecord[], created?: boolean) => void;
  /** The status transitions this node's operations made (created, paused, resumed, retried, cancelled at once …), for metrics. */
  readonly onTransitions?: (transitions: readonly JobTransition[]) => void;
  readonly systemExtras: () => SystemExtras;
  /** Reads a (small) library file by library-relative path; absent where there is no library. */
  readonly readLibraryFile?: (relativePath: string, maxBytes: number) => Promise<Buffer>;
  readonly nodeId: string;
  /** Whether other nodes share the store (fleet mode): store-wide counts are then not this node's. */
  readonly sharedStore: boolean;
  /** The nodes sharing this queue (this one alone when embedded). */
  readonly listNodes: () => Promise<Fleet>;
  /** The library watcher (GET/PUT /api/media/watch); null where the runtime has no library. */
  readonly watcher?: LibraryWatcher | null;
  /** The pipeline operations (runtime/pipelines); absent where the runtime has no pipeline store. */
  readonly pipelineHandlers?: PipelineHandlers | undefined;
  /** Library transcoding: results, savings, restore, and the create-time loop breaker (409 ALREADY_PROCESSED). */
  readonly transcode?: TranscodeOperations | undefined;
  /** Segmented encodes (#20): the parent's actions cascade to its parts, its view aggregates them; absent without a segment store. */
  readonly segments?: SegmentCascade | undefined;
}

/** Added by runtime/queue-control.ts (which extends some of these too). */
type QueueControlOperation = 'drainQueue' | 'getSchedules' | 'setSchedules';
/** Served by the notifier (runtime/notifications). */
type NotificationOperation = 'getNotifications' | 'setNotifications' | 'testNotification' | 'listNotificationDeliveries';
/** Served by runtime/settings-operations.ts (live runtime settings, export/import). */
type SettingsOperation = 'getSettings' | 'setSettings' | 'exportSettings' | 'importSettings';

export function createOperationHandlers(deps: OperationDeps): Omit<OperationHandlers, QueueControlOperation | NotificationOperation | SettingsOperation> {
  const { store, dispatcher, capacity } = deps;

  const queueState = () => ({
    paused: capacity.queueFlags.queuePaused,
    pausedCategories: [...capacity.queueFlags.pausedCategories],
    limits: { ...capacity.categoryLimits() },
    vramBudgetMb: capacity.vramBudgetMb(),
  });

  return {
    ...jobReadHandlers(deps),
    ...jobActionHandlers(deps),
    ...videoHandlers(deps),

    async getSystemInfo() {
      const counts = await store.countJobs();
      const limits = capacity.categoryLimits();
      const usage = dispatcher.localUsage();
      // this node's slots: on a shared (fleet) store the counts are the whole fleet's, so only what runs here
      const slot = (c: ResourceCategory) => ({ running: deps.sharedStore ? usage.running[c] : Math.max(usage.running[c], counts.runningByCategory[c]), limit: limits[c] });
      return {
        nodeId: deps.nodeId,
        ...deps.systemExtras(),
        cpu: { cores: availableParallelism(), loadAverage: loadavg() },
        vramBudgetMb: capacity.vramBudgetMb(),
        vramReservedMb: deps.sharedStore ? usage.vramReservedMb : counts.vramReservedMb,
        slots: { cpu: slot('cpu'), gpu_encode: slot('gpu_encode'), gpu_ai: slot('gpu_ai') },
        queue: { paused: capacity.queueFlags.queuePaused, pausedCategories: [...capacity.queueFlags.pausedCategories] },
      };
    },

    async getQueueState() {
      return queueState();
    },

    async listNodes() {
      return deps.listNodes();
    },

    async pauseQueue({ category }) {
      await capacity.setPaused(true, category);
      dispatcher.requestDispatch();
      return queueState();
    },

    async resumeQueue({ category }) {
      await capacity.setPaused(false, category);
      dispatcher.requestDispatch();
      return queueState();
    },

    ...watchHandlers(deps.watcher ?? null),
    ...transcodeHandlers(deps.transcode),
    ...(deps.pipelineHandlers ?? unavailablePipelineHandlers()),
  };
}
