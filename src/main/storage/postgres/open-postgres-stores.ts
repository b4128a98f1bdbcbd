/**
 * Opens one PostgreSQL pool, migrates the database, and the stores that share the pool (jobs,
 * library videos and analysis results), mirroring openSqliteStores. Fleet mode points every node
 * at the same URL.
 */
import type { LogBounds } from '../sqlite/bounded-log';
import { PostgresAnalysisStore } from './pg-analysis-store';
import { openPool } from './pg-db';
import { PostgresJobStore } from './pg-job-store';
import { migrate } from './pg-migrations';
import { PostgresVideoStore } from './pg-video-store';

export interface PostgresStores {
  readonly jobs: PostgresJobStore;
  readonly videos: PostgresVideoStore;
  readonly analysis: PostgresAnalysisStore;
  /** Ends the shared pool. */
  close(): Promise<void>;
}

export interface PostgresStoresOptions {
  readonly logBounds?: LogBounds;
  /** Connections in the shared pool (default 10). */
  readonly maxConnections?: number;
}

export async function openPostgresStores(url: string, options: PostgresStoresOptions = {}): Promise<PostgresStores> {
  const pool = openPool(url, { max: options.maxConnections });
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    jobs: new PostgresJobStore(pool, { logBounds: options.logBounds }),
    videos: new PostgresVideoStore(pool),
    analysis: new PostgresAnalysisStore(pool),
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
