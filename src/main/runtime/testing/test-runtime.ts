/**
 * Builds a real runtime (real SQLite file, real dispatcher) with the test-only scripted processor
 * registered for every job type and a catalog that accepts the scripted params.
 */
import type { GpuEncodeSupport } from '../../core/gpu-placement';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { JOB_TYPE_CATALOG, JOB_TYPES } from '../../../shared/domain/job-types';
import { createRegistry, type Processor } from '../../processors/processor';
import { scriptedProcessor } from '../../processors/testing/test-processors';
import { openSqliteStores } from '../../storage/sqlite/open-sqlite-stores';
import type { SqliteJobStore } from '../../storage/sqlite/sqlite-job-store';
import type { SqliteVideoStore } from '../../storage/sqlite/sqlite-video-store';
import { loadConfig, type RuntimeConfig } from '../config';
import type { Clock, Timers } from '../../core/clock';
import type { GpuActivitySource } from '../../system/gpu-activity';
import type { GpuInventory } from '../../system/nvidia-gpus';
import type { GpuReadingSource, GpuWorkProfile } from '../capacity-state';
import type { JobTypeCatalog } from '../create-job';
import { createRuntime, type Runtime } from '../create-runtime';

export const scriptedCatalog: JobTypeCatalog = Object.fromEntries(
  Object.entries(JOB_TYPE_CATALOG).map(([type, def]) => [type, { ...def, paramsSchema: z.record(z.string(), z.unknown()) }]),
);

export interface TestRuntime {
  readonly runtime: Runtime;
  readonly store: SqliteJobStore;
  readonly videos: SqliteVideoStore;
  readonly dir: string;
  /** Stops the runtime and closes the database, keeping the folder (to start again on it). */
  close(): Promise<void>;
  dispose(): Promise<void>;
}

export interface TestRuntimeOptions {
  readonly config?: Partial<RuntimeConfig>;
  readonly processor?: Processor;
  readonly gpu?: GpuReadingSource;
  readonly gpuWork?: () => GpuWorkProfile;
  readonly dir?: string;
  /** The job types' catalog; by default one whose params are free (for the scripted processor). */
  readonly catalog?: JobTypeCatalog;
  /** The services' timers (a ManualClock drives them from the test); real ones by default. */
  readonly timers?: Timers;
  /** The runtime's clock (a ManualClock); the system's by default. */
  readonly clock?: Clock;
  /** The GPU yield's view of the machine (a fake reading source); nvidia-smi and /proc by default. */
  readonly gpuActivity?: GpuActivitySource;
  /** The node's GPUs one by one (a fake nvidia-smi inventory): per-GPU placement. */
  readonly gpuInventory?: GpuInventory;
  /** What the per-GPU probe found (by index); absent: card class. */
  readonly gpuEncodeSupport?: () => ReadonlyMap<number, GpuEncodeSupport>;
}

export async function startTestRuntime(options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'mjc-runtime-'));
  const config = loadConfig({ MEDIA_DATA_DIR: dir, MEDIA_NODE_ID: 'test-node' }, { reportFlushMs: 20, stopGraceMs: 500, ...options.config });
  const stores = openSqliteStores(config.databaseFile);
  const store = stores.jobs;
  const processor = options.processor ?? scriptedProcessor;
  const runtime = createRuntime({
    config,
    store,
    videos: stores.videos,
    processors: createRegistry(JOB_TYPES.map((t) => [t, processor] as const)),
    catalog: options.catalog ?? scriptedCatalog,
    gpu: options.gpu,
    ...(options.gpuWork ? { gpuWork: options.gpuWork } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.gpuActivity ? { gpuActivity: options.gpuActivity } : {}),
    ...(options.gpuInventory ? { gpuInventory: options.gpuInventory } : {}),
    ...(options.gpuEncodeSupport ? { gpuEncodeSupport: options.gpuEncodeSupport } : {}),
    settings: stores.settings,
    deliveries: stores.deliveries,
    logger: { info() {}, warn() {}, error: console.error },
  });
  await runtime.start();
  return {
    runtime,
    store,
    videos: stores.videos,
    dir,
    async close() {
      await runtime.stop();
      await stores.close();
    },
    async dispose() {
      await runtime.stop();
      await stores.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
