/**
 * The PostgreSQL stores' connection plumbing: the pool, transactions (retried on a deadlock, which
 * PostgreSQL resolves by aborting one side), and the advisory lock keys the stores use.
 */
import type { Socket } from 'node:net';
import { Pool, types, type PoolClient } from 'pg';
import { isConnectionLoss } from '../../core/database-reachability';

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
  /** The retention cleaner: one node of a fleet cleans at a time (a session lock held for its pass). */
  cleaner: 3,
} as const;

/** The OID of BIGINT. */
const INT8 = 20;

/**
 * BIGINT columns read as numbers: node-postgres reads them as strings (a BIGINT may not fit a JS
 * number) with a regular expression per value, and the stores' BIGINTs are seqs, epoch
 * milliseconds and counts, which always fit. Every job row has seven; a busy claim reads thousands.
 */
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 && format !== 'binary' ? Number : types.getTypeParser(oid, format))) as typeof types.getTypeParser,
};

export function openPool(url: string, options: { max?: number } = {}): Pool {
  const pool = new Pool({
    connectionString: url,
    types: typeParsers,
    max: options.max ?? 10,
    // statements issued without awaiting the previous one go out at once and are answered in order
    // (pipelinedTransaction); awaiting each one, as most code does, behaves as without it
    pipeline: true,
    idleTimeoutMillis: 30_000,
    // a connect that a restarting server never answers fails instead of waiting forever
    connectionTimeoutMillis: 10_000,
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

/**
 * Runs `fn` in one transaction whose statements may be PIPELINED: BEGIN (with `prelude`) is sent
 * without waiting, so `fn`'s first statements leave in the same round trip, and `fn` calls
 * `commit()` to queue COMMIT behind its last statements instead of after their answers. A claim
 * then costs two round trips instead of six (a remote database pays each one in full).
 *
 * The server runs a connection's statements in the order sent, so `fn` must ISSUE them in the order
 * they must run (no await between two statements whose order matters). When one fails, the ones
 * after it in the transaction fail too (the transaction is aborted, and a COMMIT then rolls back),
 * so the transaction never half-applies. Retried on a deadlock or serialization failure like
 * inTransaction, so `fn` must have no effect outside the database.
 */
export async function pipelinedTransaction<T>(pool: Pool, prelude: string, fn: (db: Queryable, commit: () => void) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    const db = corking(client);
    const begin = db.query(`BEGIN${prelude ? `; ${prelude}` : ''}`);
    begin.catch(() => undefined); // awaited below; failing, it fails every statement behind it too
    let committing: Promise<unknown> | undefined;
    const commit = () => {
      committing ??= db.query('COMMIT');
      committing.catch(() => undefined);
    };
    try {
      const result = await fn(db, commit);
      await begin;
      commit();
      await committing;
      return result;
    } catch (error) {
      // everything issued is on the wire: let it settle, then end the transaction if still open
      await Promise.allSettled([begin, committing]);
      if (client.getTransactionStatus() !== 'I') await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      if (attempt < 4 && RETRIED.has((error as { code?: string }).code ?? '')) continue;
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/**
 * `client`'s query, with the statements issued in one turn of the event loop written to the socket
 * together (cork until the next tick): each would otherwise cost its own write system call and its
 * own packet for the server to read, a fifth of a claim's CPU time on both sides (measured).
 */
function corking(client: PoolClient): Queryable {
  const stream = (client as unknown as { connection?: { stream?: Partial<Socket> } }).connection?.stream;
  if (typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return client;
  const socket = stream as Socket;
  let corked = false;
  const query = (...args: unknown[]): unknown => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return (client.query as (...a: unknown[]) => unknown).apply(client, args);
  };
  return { query } as unknown as Queryable;
}

const RETRIED = new Set(['40P01' /* deadlock_detected */, '40001' /* serialization_failure */]);

const OUTAGE_BUDGET = Symbol('outageBudgetMs');
type RidingPool = Pool & { [OUTAGE_BUDGET]?: number };

/**
 * Runs `op` again while it fails because the server is unreachable, for up to `budgetMs` in all
 * (back-off 100 ms → 1 s), then lets the last error through. Only for operations that may run
 * twice: single idempotent statements, or transactions that the lost connection rolled back.
 */
export async function rideOutage<T>(budgetMs: number, op: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
    try {
      return await op();
    } catch (error) {
      if (!isConnectionLoss(error) || Date.now() + wait > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * The same pool, riding out database outages shorter than `budgetMs`: its statements and
 * connections are tried again (see rideOutage), and so are inTransaction's transactions on it.
 * For the stores processors write through while a job runs (library videos, analysis results):
 * a PostgreSQL restart of a second must not fail an encode of an hour. Their statements are
 * idempotent (upserts, updates that set values, transactions that replace a set of rows).
 */
export function ridingOutages(pool: Pool, budgetMs: number): Pool {
  return new Proxy(pool, {
    get(target, key, receiver) {
      if (key === OUTAGE_BUDGET) return budgetMs;
      if (key === 'query') return (...args: unknown[]) => rideOutage(budgetMs, () => (target.query as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      if (key === 'connect') return () => rideOutage(budgetMs, () => target.connect());
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Runs `fn` in one transaction on one connection (`mode`: e.g. 'ISOLATION LEVEL REPEATABLE READ
 * READ ONLY'; `prelude`: a parameterless first statement, e.g. taking an advisory lock). Retried a
 * few times when PostgreSQL aborts it for a deadlock or a serialization failure, and on a pool
 * made by ridingOutages while the server is unreachable, so `fn` must have no effect outside the
 * database.
 */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, mode = '', prelude = ''): Promise<T> {
  const outageBudget = (pool as RidingPool)[OUTAGE_BUDGET];
  if (outageBudget !== undefined) return rideOutage(outageBudget, () => inTransactionOnce(pool, fn, mode, prelude));
  return inTransactionOnce(pool, fn, mode, prelude);
}

async function inTransactionOnce<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, mode: string, prelude: string): Promise<T> {
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
