/** The job search conformance suite on SQLite (a temporary file) and PostgreSQL (a real throwaway server). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeJobSearchConformance } from './conformance/job-search-conformance';
import { openPostgresStores } from './postgres/open-postgres-stores';
import { openSqliteStores } from './sqlite/open-sqlite-stores';
import { startPostgres, type PostgresServer } from './testing/postgres-server';

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
  let server: PostgresServer;
  let template: string;
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    await (await openPostgresStores(url)).close();
    template = new URL(url).pathname.slice(1);
  }, 60_000);
  afterAll(async () => server?.stop());
  describeJobSearchConformance('PostgreSQL', async () => openPostgresStores(await server.createDatabase({ template })));
});
