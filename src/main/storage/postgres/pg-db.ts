/**
 * The PostgreSQL stores' connection plumbing: the pool, transactions (retried on a deadlock, which
 * PostgreSQL resolves by aborting one side), and the advisory lock keys the stores use.
 */
import { Pool, type PoolClient } from 'pg';

export type { Pool, PoolClient };

/** Anything that runs a query: the pool (one statement, auto-commit) or a client inside a transaction. */
export type Queryable = Pick<PoolClient, 'query'>;

/** Keys of pg_advisory_*lock(namespace, key): one namespace for this program, one key per purpose. */
export const LOCKS = {
  namespace: 0x6d6a63, // 'mjc'
  /** Claims of one node: the key is hashtext(node_id), in the namespace below. */
  claimNamespace: 0x6d6a64,
  compaction: 1,
  migrations: 2,
} as const;

export function openPool(url: string, options: { max?: number } = {}): Pool {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    // a node that dies or freezes inside a transaction must not hold its row locks for hours:
    // the server ends such a session, and TCP keepalive notices a vanished peer
    idle_in_transaction_session_timeout: 30_000,
    keepAlive: true,
  });
  // an idle client losing its connection (server restart, network) must not crash the process:
  // the pool drops that client, and the next query opens a new connection or fails with its own error
  pool.on('error', () => undefined);
  // a checked-out client whose connection dies between queries (a server restart in the middle of
  // a transaction) emits 'error' on itself, which the pool only listens to while the client is idle:
  // unheard, it would crash the process. Its current and next queries fail with the error instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

const RETRIED = new Set(['40P01' /* deadlock_detected */, '40001' /* serialization_failure */]);

/**
 * Runs `fn` in one transaction on one connection (`mode`: e.g. 'ISOLATION LEVEL REPEATABLE READ
 * READ ONLY'; `prelude`: a parameterless first statement, e.g. taking an advisory lock). Retried a few times when PostgreSQL aborts it for a deadlock or a serialization
 * failure, so `fn` must have no effect outside the database.
 */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, mode = '', prelude = ''): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      // `prelude`: a parameterless statement sent with BEGIN in the same round trip (simple protocol)
      await client.query(`${mode ? `BEGIN ${mode}` : 'BEGIN'}${prelude ? `; ${prelude}` : ''}`);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      if (attempt < 4 && RETRIED.has((error as { code?: string }).code ?? '')) continue;
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
