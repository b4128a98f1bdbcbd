/**
 * The process records of a node with a store whose writes may overtake each other (a pool of
 * connections): a short tool's forget never lands before its record, and a stop waits for them.
 */
import { describe, expect, it } from 'vitest';
import type { JobStore, RecordedProcess } from '../core/ports';
import { ProcessBook } from './process-book';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function slowRecordStore() {
  const rows = new Map<number, RecordedProcess>();
  const store = {
    // the insert travels on a slow connection, the delete on a fast one
    recordProcess: async (p: RecordedProcess) => {
      await sleep(30);
      rows.set(p.pid, p);
    },
    forgetProcess: async (_node: string, pid: number) => {
      rows.delete(pid);
    },
    takeRecordedProcesses: async () => {
      const all = [...rows.values()];
      rows.clear();
      return all;
    },
  } as unknown as JobStore;
  return { store, rows };
}

describe('ProcessBook', () => {
  it("writes a PID's record and forget in order, and a stop leaves no rows", async () => {
    const { store, rows } = slowRecordStore();
    const killed: RecordedProcess[][] = [];
    const book = new ProcessBook(store, 'n', { now: () => 1 }, { warn() {}, error() {} }, async (left) => (killed.push([...left]), []));
    const tool = { pid: process.pid, command: 'node', suspend() {}, resume() {} };
    book.started('job', tool);
    book.ended(tool); // a short ffprobe: gone before its record was written
    await book.flush();
    expect(rows.size).toBe(0);

    const still = { pid: 999_999, command: 'ffmpeg', suspend() {}, resume() {} };
    book.started('job', still);
    await book.close();
    expect(killed.map((l) => l.map((p) => p.pid))).toEqual([[999_999]]); // what outlived its attempt is killed at stop
    expect(rows.size).toBe(0);
    book.ended(still); // after the stop: nothing more is written
    await book.flush();
    expect(rows.size).toBe(0);
  });

  it('records the start time of the process (field 22 of /proc/<pid>/stat)', async () => {
    const { store, rows } = slowRecordStore();
    const book = new ProcessBook(store, 'n', { now: () => 1 }, { warn() {}, error() {} }, async () => []);
    book.started('job', { pid: process.pid, command: 'node', suspend() {}, resume() {} });
    await book.flush();
    const { readFileSync } = await import('node:fs');
    const stat = readFileSync('/proc/self/stat', 'utf8');
    expect(rows.get(process.pid)?.startTicks).toBe(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]));
  });
});
