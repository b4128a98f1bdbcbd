/**
 * Opens the embedded database once and the stores that share it (jobs and library videos).
 */
import type { LogBounds } from './bounded-log';
import { openDatabase } from './open-database';
import { SqliteJobStore } from './sqlite-job-store';
import { SqliteVideoStore } from './sqlite-video-store';

export interface SqliteStores {
  readonly jobs: SqliteJobStore;
  readonly videos: SqliteVideoStore;
  close(): Promise<void>;
}

export function openSqliteStores(file: string, options: { logBounds?: LogBounds } = {}): SqliteStores {
  const db = openDatabase(file);
  return {
    jobs: new SqliteJobStore({ db, ...options }),
    videos: new SqliteVideoStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
