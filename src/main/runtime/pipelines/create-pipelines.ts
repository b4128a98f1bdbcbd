/**
 * The pipelines' part of the composition root, so createRuntime only hands over what it owns: the
 * service (a runtime service) and the handlers of the pipeline operations, or null where the
 * runtime was built without a pipeline store.
 */
import type { MediaEvent } from '../../../shared/contracts/events';
import type { JobRecord } from '../../core/ports';
import type { Clock, Timers } from '../../core/clock';
import type { JobTypeCatalog } from '../create-job';
import type { LibraryWatcher } from '../library-watcher';
import type { RuntimeDeps } from '../runtime-api';
import type { TransitionListener } from '../transitions';
import { createPipelineHandlers, type PipelineHandlers } from './pipeline-operations';
import { PipelineService } from './pipeline-service';

export interface PipelineWiring {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
  readonly catalog: JobTypeCatalog;
  readonly watcher: LibraryWatcher | null;
  readonly events: { readonly listening: boolean; announce(event: MediaEvent): void };
  /** Step jobs were inserted: publish them, count them, dispatch. */
  announceJobs(jobs: readonly JobRecord[]): void;
  observeTransitions(listener: TransitionListener): () => void;
}

export function createPipelines(deps: RuntimeDeps, wiring: PipelineWiring): { service: PipelineService; handlers: PipelineHandlers } | null {
  if (!deps.pipelines) return null;
  const { config } = deps;
  const service = new PipelineService({
    pipelines: deps.pipelines,
    jobs: deps.store,
    videos: deps.videos,
    analysis: deps.analysis,
    catalog: wiring.catalog,
    clock: wiring.clock,
    timers: wiring.timers,
    libraryPath: config.libraryPath,
    insertJobs: async (jobs) => {
      const inserted = await deps.store.insertJobs(jobs);
      wiring.announceJobs(inserted);
      return inserted;
    },
    observeTransitions: wiring.observeTransitions,
    libraryEvents: wiring.watcher ? { observe: (listener) => wiring.watcher!.observeVideos(listener) } : undefined,
    events: { get hasListeners() { return wiring.events.listening; }, emit: (event) => wiring.events.announce(event) },
    leases: deps.libraryWatch?.leases ?? null,
    holder: `${config.nodeId}#${deps.fleet?.instanceId ?? `pid-${process.pid}`}`,
    leaseMs: config.fleet.leaseMs,
    renewMs: config.fleet.heartbeatMs,
    logger: wiring.logger,
  });
  const handlers = createPipelineHandlers({ pipelines: deps.pipelines, jobs: deps.store, videos: deps.videos, analysis: deps.analysis, clock: wiring.clock, service });
  return { service, handlers };
}
