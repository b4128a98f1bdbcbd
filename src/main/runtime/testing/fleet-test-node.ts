/**
 * A fleet node for tests and the benchmark: a real runtime on the shared PostgreSQL stores, with
 * its registry, heartbeats, sweep and wake-ups, and the scripted test processor for every job type.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { JOB_TYPES } from '../../../shared/domain/job-types';
import { createRegistry, type Processor } from '../../processors/processor';
import { scriptedProcessor } from '../../processors/testing/test-processors';
import { openPostgresStores, type PostgresStores } from '../../storage/postgres/open-postgres-stores';
import { loadConfig, type FleetConfig, type RuntimeConfig } from '../config';
import { createRuntime, type Runtime } from '../create-runtime';
import { scriptedCatalog } from './test-runtime';

export interface FleetTestNode {
  readonly nodeId: string;
  readonly runtime: Runtime;
  readonly stores: PostgresStores;
  /** Stops the runtime (a clean shutdown) and closes its pool. */
  close(): Promise<void>;
}

export interface FleetTestNodeOptions {
  readonly config?: Partial<RuntimeConfig>;
  readonly fleet?: Partial<FleetConfig>;
  readonly processor?: Processor;
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
}

export async function startFleetTestNode(url: string, nodeId: string, options: FleetTestNodeOptions = {}): Promise<FleetTestNode> {
  const dir = mkdtempSync(join(tmpdir(), `mjc-fleet-${nodeId}-`));
  const base = loadConfig({ MEDIA_DATA_DIR: dir, MEDIA_NODE_ID: nodeId, DATABASE_URL: url });
  const fleet: FleetConfig = { ...base.fleet, ...options.fleet };
  const config: RuntimeConfig = { ...base, reportFlushMs: 20, stopGraceMs: 500, fleet, ...options.config };
  const instanceId = randomUUID();
  const stores = await openPostgresStores(url, { leaseMs: fleet.leaseMs, node: { nodeId, instanceId } });
  const processor = options.processor ?? scriptedProcessor;
  const runtime = createRuntime({
    config,
    store: stores.jobs,
    videos: stores.videos,
    analysis: stores.analysis,
    processors: createRegistry(JOB_TYPES.map((t) => [t, processor] as const)),
    catalog: scriptedCatalog,
    fleet: { registry: stores.fleet, ...(stores.wake ? { wake: stores.wake, events: stores.wake.events } : {}), instanceId, timing: fleet },
    // the fleet's settings row and webhook tries, as a headless node has them
    settings: stores.settings,
    deliveries: stores.deliveries,
    logger: options.logger ?? { info() {}, warn() {}, error: console.error },
  });
  try {
    await runtime.start();
  } catch (error) {
    await stores.close();
    throw error;
  }
  return {
    nodeId,
    runtime,
    stores,
    async close() {
      await runtime.stop();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
