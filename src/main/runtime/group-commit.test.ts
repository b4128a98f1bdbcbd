import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord, NewJob } from '../core/ports';
import { newJob } from '../storage/conformance/job-store-conformance';
import { SqliteJobStore } from '../storage/sqlite/sqlite-job-store';
import { GroupCommit } from './group-commit';

const dir = mkdtempSync(join(tmpdir(), 'mjc-group-commit-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GroupCommit (creates of one event-loop turn in one transaction, real SQLite store)', () => {
  let store: SqliteJobStore;
  let calls: string[][];
  let committed: string[][];
  let group: GroupCommit;

  beforeEach(() => {
    store = new SqliteJobStore({ file: join(dir, `group-${++n}.db`) });
    calls = [];
    committed = [];
    group = new GroupCommit(
      (jobs: readonly NewJob[]) => {
        calls.push(jobs.map((j) => j.id));
        return store.insertJobs(jobs);
      },
      (jobs: readonly JobRecord[]) => void committed.push(jobs.map((j) => j.id)),
    );
  });
  afterEach(() => store.close());

  it('inserts the creates of one turn with one store call, in order, each answered with its own committed row', async () => {
    const input = Array.from({ length: 30 }, () => newJob());
    const rows = await Promise.all(input.map((job) => group.insert(job)));
    expect(calls).toEqual([input.map((j) => j.id)]);
    expect(committed).toEqual([input.map((j) => j.id)]);
    expect(rows.map((r) => r.id)).toEqual(input.map((j) => j.id));
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => rows[0]!.seq + i));
    for (const row of rows) expect(await store.getJob(row.id)).toEqual(row);
  });

  it('answers no create before its row is committed, and gives later turns their own batch', async () => {
    const first = newJob();
    const pending = group.insert(first);
    // nothing is written in the caller's turn: the row goes in with the others of the turn
    expect(await store.getJob(first.id)).toBeUndefined();
    const row = await pending;
    expect(await store.getJob(first.id)).toEqual(row);
    await group.insert(newJob());
    expect(calls.map((c) => c.length)).toEqual([1, 1]);
  });

  it('fails only the row that fails: the others of its batch are inserted one by one and answered', async () => {
    const [existing] = await store.insertJobs([newJob()]);
    const good = [newJob(), newJob(), newJob()];
    const clash = newJob({ id: existing!.id });
    const results = await Promise.allSettled([group.insert(good[0]!), group.insert(clash), group.insert(good[1]!), group.insert(good[2]!)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    // the batch (rolled back as a whole), then each job alone
    expect(calls.map((c) => c.length)).toEqual([4, 1, 1, 1, 1]);
    expect(committed).toEqual(good.map((j) => [j.id]));
    expect((await store.countJobs()).byStatus.pending).toBe(4);
    for (const job of good) expect((await store.getJob(job.id))?.status).toBe('pending');
  });

  it('answers with the error of a listener that throws after the commit (the rows stay committed)', async () => {
    const failing = new GroupCommit(
      (jobs) => store.insertJobs(jobs),
      () => {
        throw new Error('listener failed');
      },
    );
    const job = newJob();
    await expect(failing.insert(job)).rejects.toThrow('listener failed');
    expect((await store.getJob(job.id))?.status).toBe('pending');
  });
});
