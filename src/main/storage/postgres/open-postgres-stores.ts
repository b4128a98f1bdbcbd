/**
 * Opens one PostgreSQL pool, migrates the database, and the stores that share the pool (jobs,
 * library videos, analysis results and the fleet registry), mirroring openSqliteStores. Fleet mode
 * points every node at the same URL; a node passes its identity to get wake-ups (LISTEN/NOTIFY).
 */
import { DEFAULT_LOG_BOUNDS, type LogBounds } from '../../core/log-bounds';
import { PostgresAnalysisStore } from './pg-analysis-store';
import { openPool, ridingOutages } from './pg-db';
import { PostgresFleetRegistry } from './pg-fleet';
import { DEFAULT_LEASE_MS, PostgresJobStore } from './pg-job-store';
import { PgLogWriter } from './pg-logs';
import { migrate } from './pg-migrations';
import { PostgresVideoStore } from './pg-video-store';
import { PgWakeChannel } from './pg-wake';
import { PostgresPipelineStore } from './pg-pipeline-store';
import { PostgresTranscodeStore } from './pg-transcode-store';
import { PostgresSegmentStore } from './pg-segment-store';
import { PostgresLeaderLeases } from './pg-leader-leases';
import { PostgresDeliveryStore } from './pg-delivery-store';
import { PostgresSettingsStore } from './pg-settings';
import { PostgresVideoFiles } from './pg-video-files';

export interface PostgresStores {
  readonly jobs: PostgresJobStore;
  readonly videos: PostgresVideoStore;
  readonly analysis: PostgresAnalysisStore;
  /** Pipelines, their runs, fingerprints and schedule slots. */
  readonly pipelines: PostgresPipelineStore;
  readonly fleet: PostgresFleetRegistry;
  /** Settings shared by every node, named leader leases (one node runs the library watcher …), the library's file index. */
  readonly settings: PostgresSettingsStore;
  readonly leases: PostgresLeaderLeases;
  readonly videoFiles: PostgresVideoFiles;
  /** Library transcoding: savings ledger, fingerprints, swap journal, quarantine, history. */
  readonly transcode: PostgresTranscodeStore;
  /** Segmented encodes: a parent's chunk jobs and its hand-off to them (#20). */
  readonly segments: PostgresSegmentStore;
  /** Webhook tries of every node (GET /api/media/notifications/deliveries). */
  readonly deliveries: PostgresDeliveryStore;
  /** Wake-ups from the other nodes; null when opened without a node identity. */
  readonly wake: PgWakeChannel | null;
  /** Stops listening and ends the shared pool. */
  close(): Promise<void>;
}

export interface PostgresStoresOptions {
  readonly logBounds?: LogBounds;
  /** Connections in the shared pool (default 10). */
  readonly maxConnections?: number;
  /** Lease of a running job (default 30 s). */
  readonly leaseMs?: number;
  /** This node: its wake-up channel is opened (and its own notifications ignored). */
  readonly node?: { readonly nodeId: string; readonly instanceId: string };
  readonly logger?: Pick<Console, 'warn'>;
}

export async function openPostgresStores(url: string, options: PostgresStoresOptions = {}): Promise<PostgresStores> {
  const pool = openPool(url, { max: options.maxConnections });
  const wake = options.node ? new PgWakeChannel(pool, url, options.node.nodeId, options.node.instanceId, options.logger) : null;
  try {
    await migrate(pool);
    await wake?.start();
  } catch (error) {
    await wake?.close();
    await pool.end();
    throw error;
  }
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const logBounds = options.logBounds ?? DEFAULT_LOG_BOUNDS;
  // processors write the library and analysis stores while their jobs run: a database outage
  // shorter than a lease is waited out there (the job store's reports are buffered already): only
  // the lease decides whether a running job is taken from its node
  const patient = ridingOutages(pool, leaseMs);
  return {
    jobs: new PostgresJobStore(pool, { logBounds, leaseMs, ...(wake ? { wake } : {}) }),
    videos: new PostgresVideoStore(patient),
    analysis: new PostgresAnalysisStore(patient),
    pipelines: new PostgresPipelineStore(pool),
    fleet: new PostgresFleetRegistry(pool, new PgLogWriter(logBounds), { leaseMs, ...(wake ? { wake } : {}) }),
    settings: new PostgresSettingsStore(pool),
    leases: new PostgresLeaderLeases(pool),
    videoFiles: new PostgresVideoFiles(patient),
    transcode: new PostgresTranscodeStore(patient),
    segments: new PostgresSegmentStore(pool, wake ?? undefined),
    // not the patient pool: a try kept late is worth less than a notification held up by an outage
    deliveries: new PostgresDeliveryStore(pool),
    wake,
    async close() {
      await wake?.close();
      if (!pool.ended) await pool.end();
    },
  };
}
