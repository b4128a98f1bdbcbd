/**
 * The PostgreSQL TranscodeStore against a real throwaway server: the conformance suite unchanged
 * (one database per test, copied from a migrated template).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { describeTranscodeStoreConformance } from '../conformance/transcode-store-conformance';
import { startPostgres, type PostgresServer } from '../testing/postgres-server';
import { openPostgresStores } from './open-postgres-stores';

describe('PostgreSQL transcode store', () => {
  let server: PostgresServer;
  let template: string;
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    await (await openPostgresStores(url)).close();
    template = new URL(url).pathname.slice(1);
  }, 60_000);
  afterAll(async () => server?.stop());

  describeTranscodeStoreConformance('PostgreSQL', async () => openPostgresStores(await server.createDatabase({ template })));
});
