/**
 * Named leader leases on PostgreSQL (LeaderLeaseStore): one row per duty ('library-watcher',
 * 'scheduler' …) naming its holder until `expires_at`, in the database's clock (mjc_now_ms(), as
 * the nodes' heartbeats), so clock skew between nodes cannot give a duty to two of them. Taking,
 * renewing and taking over an expired lease are one upsert, atomic under the row's lock.
 */
import type { LeaderLeaseStore, LeaseClaim } from '../../core/watch-ports';
import type { Pool } from './pg-db';

export class PostgresLeaderLeases implements LeaderLeaseStore {
  constructor(private readonly pool: Pool) {}

  async claimLease(name: string, holder: string, ttlMs: number): Promise<LeaseClaim> {
    const { rows } = await this.pool.query<{ holder: string }>(
      `INSERT INTO leader_leases (name, holder, acquired_at, expires_at) VALUES ($1, $2, mjc_now_ms(), mjc_now_ms() + $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
         acquired_at = CASE WHEN leader_leases.holder = excluded.holder THEN leader_leases.acquired_at ELSE excluded.acquired_at END
       WHERE leader_leases.holder = excluded.holder OR leader_leases.expires_at <= mjc_now_ms()
       RETURNING holder`,
      [name, holder, ttlMs],
    );
    if (rows.length > 0) return { held: true, holder };
    return { held: false, holder: await this.leaseHolder(name) };
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.pool.query('DELETE FROM leader_leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async leaseHolder(name: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ holder: string }>('SELECT holder FROM leader_leases WHERE name = $1 AND expires_at > mjc_now_ms()', [name]);
    return rows[0]?.holder ?? null;
  }
}
