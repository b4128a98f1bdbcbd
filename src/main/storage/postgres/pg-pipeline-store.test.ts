/** The PipelineStore conformance suite on a real throwaway PostgreSQL server (concurrent starts from two pools). */
import { afterAll, beforeAll, describe } from 'vitest';
import { describePipelineStoreConformance } from '../conformance/pipeline-store-conformance';
import { startPostgres, type PostgresServer } from '../testing/postgres-server';
import { openPostgresStores } from './open-postgres-stores';

describe('PostgreSQL pipeline store', () => {
  let server: PostgresServer;
  let template: string;
  const urls = new WeakMap<object, string>();

  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    await (await openPostgresStores(url)).close();
    template = new URL(url).pathname.slice(1);
  }, 60_000);
  afterAll(async () => server?.stop());

  describePipelineStoreConformance(
    'PostgreSQL',
    async () => {
      const url = await server.createDatabase({ template });
      const stores = await openPostgresStores(url);
      urls.set(stores, url);
      return stores;
    },
    async (first) => openPostgresStores(urls.get(first)!),
  );
});
