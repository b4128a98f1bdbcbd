/**
 * Opens the embedded database once and the stores that share it (jobs, library videos and
 * analysis results).
 */
import type { LogBounds } from '../../core/log-bounds';
import { openDatabase } from './open-database';
import { SqliteAnalysisStore } from './sqlite-analysis-store';
import { SqliteJobStore } from './sqlite-job-store';
import { SqliteVideoStore } from './sqlite-video-store';

export interface SqliteStores {
  readonly jobs: SqliteJobStore;
  readonly videos: SqliteVideoStore;
  readonly analysis: SqliteAnalysisStore;
  close(): Promise<void>;
}

export function openSqliteStores(file: string, options: { logBounds?: LogBounds } = {}): SqliteStores {
  const db = openDatabase(file);
  return {
    jobs: new SqliteJobStore({ db, ...options }),
    videos: new SqliteVideoStore(db),
    analysis: new SqliteAnalysisStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
