/**
 * Whether an error says the database could not be reached or went away (a restart, a failover, a
 * network blip), so the statement did not commit: PostgreSQL's admin/crash shutdown and "starting
 * up" states, its connection-failure SQLSTATEs, the socket errors of a connect that found nobody
 * listening, and node-postgres' own words for a connect that timed out. Pure: the storage adapters
 * ride such errors out for a while, and the server answers them with 503 instead of 500.
 */
const CONNECTION_LOST_CODES: ReadonlySet<string> = new Set([
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
]);

export function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && CONNECTION_LOST_CODES.has(e.code)) return true;
  return typeof e?.message === 'string' && /^Connection terminated due to connection timeout|^timeout expired/.test(e.message);
}
