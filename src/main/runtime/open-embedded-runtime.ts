/**
 * The embedded default, shared by the desktop app and the headless server: the library folders,
 * the SQLite stores in the data folder, live GPU telemetry, the processors and the runtime,
 * started. `close` stops dispatching, waits for running attempts, then closes the database.
 */
import type { VideoStore } from '../core/library-ports';
import { LibraryPaths } from '../library/library-paths';
import { createRegistry, type ProcessorRegistry } from '../processors/processor';
import { openSqliteStores } from '../storage/sqlite/open-sqlite-stores';
import { GpuSampler, type GpuSample } from '../system/nvidia-smi';
import type { RuntimeConfig } from './config';
import type { JobTypeCatalog } from './create-job';
import { createRuntime, type Runtime } from './create-runtime';

export interface ProcessorDeps {
  readonly videos: VideoStore;
  readonly library: LibraryPaths;
  readonly config: RuntimeConfig;
}

export interface EmbeddedRuntimeOptions {
  /** Builds the job processors; none by default. */
  readonly processors?: (deps: ProcessorDeps) => ProcessorRegistry;
  readonly catalog?: JobTypeCatalog;
}

export interface EmbeddedRuntime {
  readonly runtime: Runtime;
  readonly library: LibraryPaths;
  gpus(): readonly GpuSample[];
  close(): Promise<void>;
}

export async function openEmbeddedRuntime(config: RuntimeConfig, options: EmbeddedRuntimeOptions = {}): Promise<EmbeddedRuntime> {
  const library = new LibraryPaths(config.libraryPath);
  library.ensureDirectories();
  const stores = openSqliteStores(config.databaseFile);
  const sampler = new GpuSampler();
  try {
    await sampler.start();
    const processors = options.processors?.({ videos: stores.videos, library, config }) ?? createRegistry([]);
    const runtime = createRuntime({
      config,
      store: stores.jobs,
      videos: stores.videos,
      processors,
      ...(options.catalog ? { catalog: options.catalog } : {}),
      gpu: { current: () => sampler.gpus[0] ?? null },
    });
    await runtime.start();
    let closing: Promise<void> | null = null;
    return {
      runtime,
      library,
      gpus: () => sampler.gpus,
      close() {
        closing ??= (async () => {
          try {
            await runtime.stop();
          } finally {
            sampler.stop();
            await stores.close();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    sampler.stop();
    await stores.close();
    throw error;
  }
}
