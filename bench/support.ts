/**
 * Shared bench helpers: temp dirs, progress on stderr, statistics, job fixtures, a store wrapper
 * that times each store call (where the runtime spends its time), and a runtime factory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobType } from '../src/shared/domain/job-types';
import type { ResourceCategory } from '../src/shared/domain/statuses';
import type { JobStore, NewJob } from '../src/main/core/ports';
import type { CategoryLimits } from '../src/main/core/capacity';
import { newJob } from '../src/main/storage/conformance/job-store-conformance';
import { openSqliteStores } from '../src/main/storage/sqlite/open-sqlite-stores';
import { SqliteJobStore } from '../src/main/storage/sqlite/sqlite-job-store';
import { createRegistry, type Processor } from '../src/main/processors/processor';
import { loadConfig } from '../src/main/runtime/config';
import { createRuntime, type Runtime } from '../src/main/runtime/create-runtime';
import { scriptedCatalog } from '../src/main/runtime/testing/test-runtime';

/** Progress and diagnostics: stderr only, so `--json` keeps stdout clean. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export interface TempDir {
  readonly dir: string;
  readonly dbFile: string;
  cleanup(): void;
}

export function tempDir(name: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), `mjc-bench-${name}-`));
  return { dir, dbFile: join(dir, 'bench.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const CATEGORY: Record<string, ResourceCategory> = { scan: 'cpu', validate: 'cpu', reencode_streaming: 'gpu_encode', scene_extract: 'gpu_ai' };
const VRAM: Record<string, number> = { scan: 0, validate: 0, reencode_streaming: 4000, scene_extract: 8000 };

/** A job as the runtime would build it for `type` (category and default VRAM from the catalog). */
export function benchJob(type: JobType, overrides: Partial<NewJob> = {}): NewJob {
  return newJob({
    type,
    params: { directoryType: 'videos', skipExisting: true },
    resourceCategory: CATEGORY[type] ?? 'cpu',
    vramRequired: VRAM[type] ?? 0,
    createdAt: Date.now(),
    ...overrides,
  });
}

export async function insertInChunks(store: JobStore, jobs: readonly NewJob[], chunk = 1000): Promise<void> {
  for (let i = 0; i < jobs.length; i += chunk) await store.insertJobs(jobs.slice(i, i + chunk));
}

export interface CallStats {
  calls: number;
  ms: number;
}

/**
 * Wraps a store so every call is timed. The SQLite store does all its work synchronously inside
 * the call, so the time to the returned promise is the store's real cost.
 */
export function timedStore(inner: JobStore): { store: JobStore; stats: Map<string, CallStats> } {
  const stats = new Map<string, CallStats>();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          const s = stats.get(prop) ?? { calls: 0, ms: 0 };
          s.calls += 1;
          s.ms += performance.now() - t0;
          stats.set(prop, s);
        }
      };
    },
  });
  return { store, stats };
}

export function formatCallStats(stats: Map<string, CallStats>): string {
  return [...stats.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([name, s]) => `${name} ${s.calls}x ${s.ms.toFixed(0)} ms (${(s.ms / s.calls).toFixed(3)} ms/call)`)
    .join('; ');
}

export interface BenchRuntime {
  readonly runtime: Runtime;
  readonly store: SqliteJobStore;
  readonly callStats: Map<string, CallStats>;
  /** Errors the runtime logged (a failed dispatcher tick): the bench fails if any. */
  readonly errors: unknown[];
  dispose(): Promise<void>;
}

/** The real runtime on the real (durable) SQLite store, with `processor` for 'scan' jobs. */
export function createBenchRuntime(options: { tmp: TempDir; processor: Processor; limits?: CategoryLimits }): BenchRuntime {
  const stores = openSqliteStores(options.tmp.dbFile);
  const store = stores.jobs;
  const timed = timedStore(store);
  const errors: unknown[] = [];
  const config = loadConfig(
    { MEDIA_DATA_DIR: options.tmp.dir, MEDIA_NODE_ID: 'bench-node' },
    options.limits ? { limits: options.limits } : {},
  );
  const runtime = createRuntime({
    config,
    store: timed.store,
    videos: stores.videos,
    processors: createRegistry([['scan', options.processor]]),
    catalog: scriptedCatalog,
    logger: {
      info() {},
      warn: (...args: unknown[]) => process.stderr.write(`[runtime warn] ${args.map(String).join(' ')}\n`),
      error: (...args: unknown[]) => {
        errors.push(args.at(-1));
        process.stderr.write(`[runtime error] ${args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ')}\n`);
      },
    },
  });
  return {
    runtime,
    store,
    callStats: timed.stats,
    errors,
    async dispose() {
      await runtime.stop();
      await stores.close();
    },
  };
}

export function assertNoRuntimeErrors(errors: readonly unknown[], what: string): void {
  if (errors.length > 0) throw new Error(`${what}: the runtime logged ${errors.length} error(s); first: ${String(errors[0])}`);
}
