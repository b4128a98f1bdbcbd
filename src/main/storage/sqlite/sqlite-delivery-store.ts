/** The DeliveryStore in the `webhook_deliveries` table of the embedded database. */
import type Database from 'better-sqlite3';
import type { Delivery } from '../../../shared/contracts/notifications';
import type { DeliveryStore } from '../../core/notification-ports';
import { DELIVERY_COLUMNS, deliveryParams, rowToDelivery, TRIM_DELIVERIES, type DeliveryRow } from '../delivery-rows';

export class SqliteDeliveryStore implements DeliveryStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    const insert = db.prepare(`INSERT INTO webhook_deliveries (${DELIVERY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const trim = db.prepare(TRIM_DELIVERIES);
    this.stmt = {
      append: db.transaction((params: unknown[]) => {
        insert.run(...params);
        trim.run();
      }),
      all: db.prepare<[number], DeliveryRow>('SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT ?'),
      ofWebhook: db.prepare<[string, number], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  async appendDelivery(delivery: Delivery): Promise<void> {
    this.stmt.append(deliveryParams(delivery));
  }

  async listDeliveries(webhookId: string | undefined, limit: number): Promise<Delivery[]> {
    const rows = webhookId === undefined ? this.stmt.all.all(limit) : this.stmt.ofWebhook.all(webhookId, limit);
    return rows.map(rowToDelivery);
  }
}
