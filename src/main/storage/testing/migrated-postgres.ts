/**
 * Test support for a file of PostgreSQL store tests: one throwaway server (beforeAll/afterAll
 * registered here) with a database migrated once, which `freshDatabase()` copies for each test (a
 * template copy is much faster than migrating every time).
 */
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStores } from '../postgres/open-postgres-stores';
import { startPostgres, type PostgresServer } from './postgres-server';

export interface MigratedPostgres {
  /** The server (valid once the file's beforeAll ran). */
  server(): PostgresServer;
  /** A new database with the current schema; its URL. */
  freshDatabase(): Promise<string>;
}

export function useMigratedPostgres(): MigratedPostgres {
  let server: PostgresServer | undefined;
  let template = '';
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    await (await openPostgresStores(url)).close();
    template = new URL(url).pathname.slice(1);
  }, 60_000);
  afterAll(async () => server?.stop());
  const started = () => {
    if (!server) throw new Error('useMigratedPostgres: the server is not started yet (call it at the top of a describe, use it in tests)');
    return server;
  };
  return { server: started, freshDatabase: () => started().createDatabase({ template }) };
}
