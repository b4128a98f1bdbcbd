/** The PipelineStore conformance suite on a real throwaway PostgreSQL server (concurrent starts from two pools). */
import { describe } from 'vitest';
import { describePipelineStoreConformance } from '../conformance/pipeline-store-conformance';
import { useMigratedPostgres } from '../testing/migrated-postgres';
import { openPostgresStores } from './open-postgres-stores';

describe('PostgreSQL pipeline store', () => {
  const pg = useMigratedPostgres();
  const urls = new WeakMap<object, string>();

  describePipelineStoreConformance(
    'PostgreSQL',
    async () => {
      const url = await pg.freshDatabase();
      const stores = await openPostgresStores(url);
      urls.set(stores, url);
      return stores;
    },
    async (first) => openPostgresStores(urls.get(first)!),
  );
});
