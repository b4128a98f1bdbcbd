/**
 * The PostgreSQL DeliveryStore against a real throwaway server: the conformance suite unchanged, and
 * two nodes (two pools on one database) list each other's tries.
 */
import { describe, expect, it } from 'vitest';
import { describeDeliveryStoreConformance } from '../conformance/delivery-store-conformance';
import { useMigratedPostgres } from '../testing/migrated-postgres';
import { openPostgresStores } from './open-postgres-stores';

describe('PostgreSQL delivery store', () => {
  const pg = useMigratedPostgres();

  describeDeliveryStoreConformance('PostgreSQL', async () => openPostgresStores(await pg.freshDatabase()));

  it("lists every node's tries, whichever node is asked", async () => {
    const url = await pg.freshDatabase();
    const a = await openPostgresStores(url);
    const b = await openPostgresStores(url).catch(async (error: unknown) => {
      await a.close();
      throw error;
    });
    try {
      const at = '2026-12-07T10:00:00.000Z';
      await a.deliveries.appendDelivery({ webhookId: 'ops', notificationId: 'n-1', kind: 'job.failed', attempt: 1, at, outcome: 'delivered', httpStatus: 200, error: null, durationMs: 5, nodeId: 'node-a' });
      await b.deliveries.appendDelivery({ webhookId: 'ops', notificationId: 'n-2', kind: 'disk.low', attempt: 1, at, outcome: 'failed', httpStatus: 404, error: 'HTTP 404', durationMs: 7, nodeId: 'node-b' });
      for (const node of [a, b]) expect((await node.deliveries.listDeliveries(undefined, 10)).map((d) => [d.notificationId, d.nodeId])).toEqual([['n-2', 'node-b'], ['n-1', 'node-a']]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
