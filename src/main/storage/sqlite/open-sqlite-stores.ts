/**
 * Opens the embedded database once and the stores that share it (jobs, library videos and
 * analysis results).
 */
import type { LogBounds } from '../../core/log-bounds';
import { openDatabase } from './open-database';
import { SqliteAnalysisStore } from './sqlite-analysis-store';
import { SqliteJobStore } from './sqlite-job-store';
import { SqlitePipelineStore } from './sqlite-pipeline-store';
import { SqliteDeliveryStore } from './sqlite-delivery-store';
import { SqliteSettingsStore } from './sqlite-settings';
import { SqliteVideoFiles } from './sqlite-video-files';
import { SqliteVideoStore } from './sqlite-video-store';
import { SqliteTranscodeStore } from './sqlite-transcode-store';
import { SqliteSegmentStore } from './sqlite-segment-store';

export interface SqliteStores {
  readonly jobs: SqliteJobStore;
  readonly videos: SqliteVideoStore;
  readonly analysis: SqliteAnalysisStore;
  /** Pipelines, their runs, fingerprints and schedule slots. */
  readonly pipelines: SqlitePipelineStore;
  /** Settings shared by the runtime's services, and the library's file index (the library watcher). */
  readonly settings: SqliteSettingsStore;
  readonly videoFiles: SqliteVideoFiles;
  /** Library transcoding: savings ledger, fingerprints, swap journal, quarantine, history. */
  readonly transcode: SqliteTranscodeStore;
  /** Segmented encodes: a parent's chunk jobs and its hand-off to them (#20). */
  readonly segments: SqliteSegmentStore;
  /** Webhook tries (GET /api/media/notifications/deliveries). */
  readonly deliveries: SqliteDeliveryStore;
  close(): Promise<void>;
}

export function openSqliteStores(file: string, options: { logBounds?: LogBounds } = {}): SqliteStores {
  const db = openDatabase(file);
  return {
    jobs: new SqliteJobStore({ db, ...options }),
    videos: new SqliteVideoStore(db),
    analysis: new SqliteAnalysisStore(db),
    pipelines: new SqlitePipelineStore(db),
    settings: new SqliteSettingsStore(db),
    videoFiles: new SqliteVideoFiles(db),
    transcode: new SqliteTranscodeStore(db),
    segments: new SqliteSegmentStore(db),
    deliveries: new SqliteDeliveryStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
