/** The PostgreSQL SegmentStore against a real throwaway server (one database per test, from a migrated template). */
import { describe } from 'vitest';
import { describeSegmentStoreConformance } from '../conformance/segment-store-conformance';
import { useMigratedPostgres } from '../testing/migrated-postgres';
import { openPostgresStores } from './open-postgres-stores';

describe('PostgreSQL segment store', () => {
  const pg = useMigratedPostgres();

  describeSegmentStoreConformance('PostgreSQL', async () => openPostgresStores(await pg.freshDatabase()), true);
});
