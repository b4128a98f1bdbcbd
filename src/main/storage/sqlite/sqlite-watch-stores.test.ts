import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWatchStoreConformance } from '../conformance/watch-store-conformance';
import { openSqliteStores } from './open-sqlite-stores';

describeWatchStoreConformance('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mjc-watch-stores-'));
  const stores = openSqliteStores(join(dir, 'jobs.db'));
  return {
    ...stores,
    async close() {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
