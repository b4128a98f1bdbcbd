import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describePruneConformance } from '../conformance/prune-conformance';
import { openSqliteStores } from './open-sqlite-stores';

const dir = mkdtempSync(join(tmpdir(), 'mjc-sqlite-prune-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describePruneConformance('SQLite', async () => {
  const stores = openSqliteStores(join(dir, `prune-${++n}.db`));
  const db = stores.jobs['db'];
  return { ...stores, countRows: async (table) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n };
});
