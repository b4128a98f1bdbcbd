/** Test helpers for processors: a library in a temp folder, stores on a temp SQLite file, and a job context that records what the processor reports. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobType } from '../../../shared/domain/job-types';
import { JOB_TYPE_CATALOG } from '../../../shared/domain/job-types';
import type { JobRecord, JobStore } from '../../core/ports';
import { LibraryPaths } from '../../library/library-paths';
import { StoreAttemptFiles } from '../../runtime/attempt-files';
import { openSqliteStores, type SqliteStores } from '../../storage/sqlite/open-sqlite-stores';
import type { AttemptFiles, JobContext } from '../processor';
import { ConsoleBuffer } from '../media/console-buffer';

export interface ProcessorFixture {
  readonly dir: string;
  readonly library: LibraryPaths;
  readonly stores: SqliteStores;
  /** A context for a job that really runs in the fixture's store (its fenced writes apply). */
  runningContext(type: JobType, params: Record<string, unknown>): Promise<RecordingContext>;
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
    runningContext: (type, params) => runningContext(stores.jobs, type, params),
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

/** Files of a context whose job is in no store: it always owns its job, and records nothing. */
export function looseFiles(job: JobRecord): AttemptFiles {
  return {
    fence: { jobId: job.id, attempt: job.attempt },
    ownsJob: async () => true,
    recordPartial: async () => {},
    forgetPartial: async () => {},
    commit: async () => true,
  };
}

/** Inserts a job into `store` and starts it (attempt 1 on node "test"); the context's files are the store's. */
export async function runningContext(store: JobStore, type: JobType, params: Record<string, unknown>): Promise<RecordingContext> {
  const id = randomUUID();
  const def = JOB_TYPE_CATALOG[type];
  await store.insertJobs([{ id, type, params, priority: 5, resourceCategory: def.category, vramRequired: 0, maxRetries: 3, createdAt: Date.now(), createdBy: null }]);
  const { started } = await store.claimJobs({
    nodeId: 'test',
    now: Date.now(),
    capacity: { limits: { cpu: 100, gpu_encode: 100, gpu_ai: 100 }, vramBudgetMb: null, queuePaused: false, pausedCategories: [] },
    lookahead: { cpu: 1000, gpu_encode: 1000, gpu_ai: 1000 },
    decide: (_usage, candidates) => ({ start: candidates.filter((c) => c.id === id).map((candidate) => ({ candidate, vramReservedMb: 0 })), waiting: new Map() }),
  });
  const job = started.find((j) => j.id === id);
  if (!job) throw new Error('runningContext: the job did not start');
  return recordingContext(type, params, job, new StoreAttemptFiles(store, 'test', { now: () => Date.now() }, job));
}

export function recordingContext(type: JobType, params: Record<string, unknown>, overrides: Partial<JobRecord> = {}, files?: AttemptFiles): RecordingContext {
  const controller = new AbortController();
  const logs: string[] = [];
  const progressReports: number[] = [];
  const job: JobRecord = {
    id: randomUUID(), seq: 1, type, status: 'running', params, progress: 0, priority: 5, waitingReason: null, resourceCategory: 'cpu',
    vramRequired: 0, vramReserved: 0, createdAt: Date.now(), enqueuedAt: Date.now(), startedAt: Date.now(), completedAt: null, retryCount: 0,
    maxRetries: 3, retryAfter: null, lastError: null, nodeId: 'test', createdBy: null, attempt: 1, logLines: 0, logDropped: 0, cancelRequestedAt: null, ...overrides,
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
    files: files ?? looseFiles(job),
  };
}
