/** The DeliveryStore in the fleet's `webhook_deliveries` table: every node's tries, in the order they were kept. */
import type { Delivery } from '../../../shared/contracts/notifications';
import type { DeliveryStore } from '../../core/notification-ports';
import { DELIVERY_COLUMNS, deliveryParams, rowToDelivery, TRIM_DELIVERIES, type DeliveryRow } from '../delivery-rows';
import type { Pool } from './pg-db';

export class PostgresDeliveryStore implements DeliveryStore {
  constructor(private readonly pool: Pool) {}

  async appendDelivery(delivery: Delivery): Promise<void> {
    await this.pool.query(`INSERT INTO webhook_deliveries (${DELIVERY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, deliveryParams(delivery));
    // a second statement, so it sees the row just added (nodes trimming at once may each keep one more: never fewer)
    await this.pool.query(TRIM_DELIVERIES);
  }

  async listDeliveries(webhookId: string | undefined, limit: number): Promise<Delivery[]> {
    const { rows } = webhookId === undefined
      ? await this.pool.query<DeliveryRow>('SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT $1', [limit])
      : await this.pool.query<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2', [webhookId, limit]);
    return rows.map(rowToDelivery);
  }
}
