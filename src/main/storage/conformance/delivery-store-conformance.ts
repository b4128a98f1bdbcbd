/**
 * Conformance suite of the DeliveryStore: every adapter (SQLite, PostgreSQL, memory) must pass it
 * unchanged. Newest first, one webhook's or all, the limit, every field back as written, and only
 * the newest KEPT_DELIVERIES kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEPT_DELIVERIES, type Delivery } from '../../../shared/contracts/notifications';
import type { DeliveryStore } from '../../core/notification-ports';

export interface DeliveryStores {
  readonly deliveries: DeliveryStore;
  close(): Promise<void>;
}

const delivery = (n: number, overrides: Partial<Delivery> = {}): Delivery => ({
  webhookId: 'ops', notificationId: `n-${n}`, kind: 'job.failed', attempt: 1, at: new Date(Date.UTC(2026, 11, 7, 10, 0, n, 123 + n)).toISOString(),
  outcome: 'delivered', httpStatus: 200, error: null, durationMs: 40 + n, nodeId: 'node-a', ...overrides,
});

export function describeDeliveryStoreConformance(adapterName: string, factory: () => Promise<DeliveryStores>): void {
  describe(`DeliveryStore conformance: ${adapterName}`, () => {
    let stores: DeliveryStores;
    let store: DeliveryStore;
    beforeEach(async () => {
      stores = await factory();
      store = stores.deliveries;
    });
    afterEach(async () => stores.close());

    it('lists the tries newest first, of one webhook or all, up to the limit, every field as written', async () => {
      const tries = [
        delivery(1, { outcome: 'retrying', httpStatus: 500, error: 'HTTP 500' }),
        delivery(2, { webhookId: 'chat', nodeId: 'node-b', kind: 'test', outcome: 'failed', httpStatus: null, error: 'connect ECONNREFUSED' }),
        delivery(3, { attempt: 2 }),
      ];
      for (const t of tries) await store.appendDelivery(t);
      expect(await store.listDeliveries(undefined, 10)).toEqual([tries[2], tries[1], tries[0]]);
      expect(await store.listDeliveries('ops', 10)).toEqual([tries[2], tries[0]]);
      expect(await store.listDeliveries('chat', 10)).toEqual([tries[1]]);
      expect(await store.listDeliveries(undefined, 2)).toEqual([tries[2], tries[1]]);
      expect(await store.listDeliveries('nobody', 10)).toEqual([]);
    });

    it(`keeps only the newest ${KEPT_DELIVERIES}`, async () => {
      for (let n = 0; n < KEPT_DELIVERIES + 3; n++) await store.appendDelivery(delivery(n, { notificationId: `n-${n}` }));
      const kept = await store.listDeliveries(undefined, KEPT_DELIVERIES + 100);
      expect(kept).toHaveLength(KEPT_DELIVERIES);
      expect(kept[0]!.notificationId).toBe(`n-${KEPT_DELIVERIES + 2}`);
      expect(kept.at(-1)!.notificationId).toBe('n-3');
    }, 60_000);
  });
}
