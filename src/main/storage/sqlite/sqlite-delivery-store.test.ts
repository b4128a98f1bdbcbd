/** The SQLite and in-memory DeliveryStores: the conformance suite unchanged, and the tries survive a reopen of the database file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryDeliveryStore } from '../../runtime/notifications/memory-delivery-store';
import { describeDeliveryStoreConformance } from '../conformance/delivery-store-conformance';
import { openSqliteStores } from './open-sqlite-stores';

const dir = mkdtempSync(join(tmpdir(), 'mjc-deliveries-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeDeliveryStoreConformance('SQLite', async () => openSqliteStores(join(dir, `deliveries-${++n}.db`)));
describeDeliveryStoreConformance('memory', async () => ({ deliveries: new MemoryDeliveryStore(), close: async () => {} }));

describe('SQLite delivery store', () => {
  it('keeps the tries across a restart (the database file reopened)', async () => {
    const file = join(dir, 'restart.db');
    const first = openSqliteStores(file);
    const tried = { webhookId: 'ops', notificationId: 'n-1', kind: 'test', attempt: 1, at: '2026-12-07T10:00:00.000Z', outcome: 'delivered' as const, httpStatus: 204, error: null, durationMs: 12, nodeId: 'node-a' };
    await first.deliveries.appendDelivery(tried);
    await first.close();
    const second = openSqliteStores(file);
    expect(await second.deliveries.listDeliveries(undefined, 10)).toEqual([tried]);
    await second.close();
  });
});
