/** The PostgreSQL SegmentStore against a real throwaway server (one database per test, from a migrated template). */
import { afterAll, beforeAll, describe } from 'vitest';
import { describeSegmentStoreConformance } from '../conformance/segment-store-conformance';
import { startPostgres, type PostgresServer } from '../testing/postgres-server';
import { openPostgresStores } from './open-postgres-stores';

describe('PostgreSQL segment store', () => {
  let server: PostgresServer;
  let template: string;
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    await (await openPostgresStores(url)).close();
    template = new URL(url).pathname.slice(1);
  }, 60_000);
  afterAll(async () => server?.stop());

  describeSegmentStoreConformance('PostgreSQL', async () => openPostgresStores(await server.createDatabase({ template })), true);
});
