/** The work-folder cleaner on a real SQLite store and real folders: only ended parents' folders go. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewJob } from '../../core/ports';
import { openSqliteStores, type SqliteStores } from '../../storage/sqlite/open-sqlite-stores';
import { claimRequest } from '../../storage/conformance/fixtures';
import { FAILED_KEEP_MS, sweepWorkFolders } from './work-folders';

let dir = '';
let stores: SqliteStores | undefined;
afterEach(async () => {
  await stores?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const job = (type: NewJob['type'], parentJobId: string | null = null): NewJob => ({
  id: randomUUID(), type, params: {}, priority: 5, resourceCategory: 'gpu_encode', vramRequired: 0, maxRetries: 3, createdAt: 1, createdBy: null, parentJobId,
});

describe('sweepWorkFolders', () => {
  it('removes the folders of ended or unknown parents, keeps those of waiting ones and of parents with live parts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjc-segment-folders-'));
    stores = openSqliteStores(join(dir, 'db.sqlite'));
    const [ended, waiting] = await stores.jobs.insertJobs([job('transcode'), job('transcode')]);
    await stores.jobs.cancelJob({ jobId: ended!.id, at: 2, logLine: 'cancelled', requestedLogLine: 'asked' });
    const root = join(dir, '.segments');
    const gone = randomUUID();
    for (const id of [ended!.id, waiting!.id, gone]) {
      mkdirSync(join(root, id), { recursive: true });
      writeFileSync(join(root, id, 'chunk-0000.mp4'), 'x');
    }
    const removed = await sweepWorkFolders(root, stores.jobs, stores.segments);
    expect(removed.sort()).toEqual([ended!.id, gone].sort());
    expect(existsSync(join(root, waiting!.id, 'chunk-0000.mp4'))).toBe(true);

    // a failed parent keeps its chunks for a day (a retry encodes only the failed part), then they go
    const [failing] = await stores.jobs.insertJobs([job('transcode')]);
    const capacity = { limits: { cpu: 0, gpu_encode: 4, gpu_ai: 0 }, vramBudgetMb: 16000, queuePaused: false, pausedCategories: [] };
    const { started } = await stores.jobs.claimJobs(claimRequest('n1', 3, capacity));
    const claimed = started.find((j) => j.id === failing!.id)!;
    const failedAt = 10_000;
    await stores.jobs.recordReports({ logs: [], progress: new Map(), outcomes: [{ kind: 'failed', jobId: claimed.id, attempt: claimed.attempt, at: failedAt, error: 'A part failed', logLine: 'failed', decision: { kind: 'fail', reason: 'not retryable' } }] });
    mkdirSync(join(root, failing!.id));
    writeFileSync(join(root, failing!.id, 'plan.json'), '{}');
    expect(await sweepWorkFolders(root, stores.jobs, stores.segments, failedAt + FAILED_KEEP_MS - 1)).toEqual([]);
    expect(await sweepWorkFolders(root, stores.jobs, stores.segments, failedAt + FAILED_KEEP_MS)).toEqual([failing!.id]);

    // an ended parent whose part is still waiting keeps its folder until the part ends
    const [parent] = await stores.jobs.insertJobs([job('transcode')]);
    await stores.jobs.insertJobs([job('encode_chunk', parent!.id)]);
    await stores.jobs.cancelJob({ jobId: parent!.id, at: 2, logLine: 'cancelled', requestedLogLine: 'asked' });
    mkdirSync(join(root, parent!.id));
    writeFileSync(join(root, parent!.id, 'plan.json'), '{}');
    expect(await sweepWorkFolders(root, stores.jobs, stores.segments)).toEqual([]);
  });

  it('leaves alone (and logs) what a segmented encode did not make: a user folder, a job-id folder without plan or chunks, a file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjc-segment-folders-'));
    stores = openSqliteStores(join(dir, 'db.sqlite'));
    const root = join(dir, '.segments');
    mkdirSync(join(root, 'my holiday edits'), { recursive: true });
    writeFileSync(join(root, 'my holiday edits', 'cut.mp4'), 'mine');
    const empty = randomUUID();
    mkdirSync(join(root, empty));
    writeFileSync(join(root, empty, 'notes.txt'), 'mine too');
    writeFileSync(join(root, 'README.txt'), 'a file');
    const warned: string[] = [];
    expect(await sweepWorkFolders(root, stores.jobs, stores.segments, Date.now(), (m) => warned.push(m))).toEqual([]);
    expect(existsSync(join(root, 'my holiday edits', 'cut.mp4'))).toBe(true);
    expect(existsSync(join(root, empty, 'notes.txt'))).toBe(true);
    expect(existsSync(join(root, 'README.txt'))).toBe(true);
    expect(warned).toHaveLength(3);
  });
});
