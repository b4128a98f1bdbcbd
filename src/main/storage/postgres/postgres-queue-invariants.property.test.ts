/**
 * The queue-invariant property (storage/testing/queue-invariants-model.ts) on PostgreSQL with two
 * nodes sharing one database; a node's crash must rescue only that node's jobs.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkQueueInvariants, commandSequences } from '../testing/queue-invariants-model';
import { startPostgres, type PostgresServer } from '../testing/postgres-server';
import { PostgresJobStore } from './pg-job-store';

describe('queue invariants on PostgreSQL under random operation sequences', () => {
  let server: PostgresServer;
  let template: string;
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    await (await PostgresJobStore.open({ url })).close();
    template = new URL(url).pathname.slice(1);
  }, 60_000);
  afterAll(async () => server?.stop());

  it('never exceeds a node limit, never loses a job, never runs a job twice', async () => {
    await fc.assert(
      fc.asyncProperty(commandSequences(2, 50), async (commands) => {
        const url = await server.createDatabase({ template });
        // a small compaction threshold so that compactions happen in between the checks
        await checkQueueInvariants(commands, { nodes: ['a', 'b'], open: () => PostgresJobStore.open({ url, compactEvery: 8 }) });
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
