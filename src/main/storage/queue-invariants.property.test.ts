/**
 * The queue-invariant property (storage/testing/queue-invariants-model.ts) on the embedded SQLite
 * store: one node; a crash closes the file without reporting and a new store reopens it.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { SqliteJobStore } from './sqlite/sqlite-job-store';
import { checkQueueInvariants, commandSequences } from './testing/queue-invariants-model';

const dir = mkdtempSync(join(tmpdir(), 'mjc-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let run = 0;

describe('queue invariants under random operation sequences', () => {
  it('never exceeds a limit, never loses a job, never runs a job twice', async () => {
    await fc.assert(
      fc.asyncProperty(commandSequences(1, 80), async (commands) => {
        const file = join(dir, `prop-${++run}.db`);
        await checkQueueInvariants(commands, { nodes: ['node'], open: async () => new SqliteJobStore({ file }) });
      }),
      { numRuns: 60 },
    );
  });
});
