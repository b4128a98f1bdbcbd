/** Test helpers for processors: a library in a temp folder, stores on a temp SQLite file, and a job context that records what the processor reports. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobType } from '../../../shared/domain/job-types';
import type { JobRecord } from '../../core/ports';
import { LibraryPaths } from '../../library/library-paths';
import { openSqliteStores, type SqliteStores } from '../../storage/sqlite/open-sqlite-stores';
import type { JobContext } from '../processor';
import { ConsoleBuffer } from '../media/console-buffer';

export interface ProcessorFixture {
  readonly dir: string;
  readonly library: LibraryPaths;
  readonly stores: SqliteStores;
  dispose(): Promise<void>;
}

export function processorFixture(): ProcessorFixture {
  const dir = mkdtempSync(join(tmpdir(), 'mjc-proc-'));
  const library = new LibraryPaths(join(dir, 'library'));
  library.ensureDirectories();
  const stores = openSqliteStores(join(dir, 'data', 'media-jobs.db'));
  return {
    dir,
    library,
    stores,
    async dispose() {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RecordingContext extends JobContext {
  readonly logs: string[];
  readonly progressReports: number[];
  readonly controller: AbortController;
}

export function recordingContext(type: JobType, params: Record<string, unknown>, overrides: Partial<JobRecord> = {}): RecordingContext {
  const controller = new AbortController();
  const logs: string[] = [];
  const progressReports: number[] = [];
  const job: JobRecord = {
    id: randomUUID(), seq: 1, type, status: 'running', params, progress: 0, priority: 5, waitingReason: null, resourceCategory: 'cpu',
    vramRequired: 0, vramReserved: 0, createdAt: Date.now(), enqueuedAt: Date.now(), startedAt: Date.now(), completedAt: null, retryCount: 0,
    maxRetries: 3, retryAfter: null, lastError: null, nodeId: 'test', createdBy: null, attempt: 1, logLines: 0, logDropped: 0, suspended: false, ...overrides,
  };
  return {
    job,
    signal: controller.signal,
    controller,
    logs,
    progressReports,
    progress: (p) => progressReports.push(p),
    log: (text) => logs.push(text),
    heartbeat: () => {},
    trackProcess: () => () => {},
    console: new ConsoleBuffer(),
  };
}
