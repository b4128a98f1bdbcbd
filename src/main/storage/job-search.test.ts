/** The job search conformance suite on SQLite (a temporary file) and PostgreSQL (a real throwaway server). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { describeJobSearchConformance } from './conformance/job-search-conformance';
import { openPostgresStores } from './postgres/open-postgres-stores';
import { openSqliteStores } from './sqlite/open-sqlite-stores';
import { useMigratedPostgres } from './testing/migrated-postgres';

describe('SQLite', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  describeJobSearchConformance('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mjc-search-'));
    dirs.push(dir);
    return openSqliteStores(join(dir, 'jobs.db'));
  });
});

describe('PostgreSQL', () => {
  const pg = useMigratedPostgres();
  describeJobSearchConformance('PostgreSQL', async () => openPostgresStores(await pg.freshDatabase()));
});
