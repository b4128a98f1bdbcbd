/** The DeliveryStore of a runtime without a database (tests, a runtime built without stores): the newest tries in memory. */
import { KEPT_DELIVERIES, type Delivery } from '../../../shared/contracts/notifications';
import type { DeliveryStore } from '../../core/notification-ports';

export class MemoryDeliveryStore implements DeliveryStore {
  private readonly entries: Delivery[] = [];

  constructor(private readonly keep = KEPT_DELIVERIES) {}

  async appendDelivery(delivery: Delivery): Promise<void> {
    this.entries.push(delivery);
    if (this.entries.length > this.keep) this.entries.splice(0, this.entries.length - this.keep);
  }

  async listDeliveries(webhookId: string | undefined, limit: number): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const entry = this.entries[i]!;
      if (webhookId === undefined || entry.webhookId === webhookId) out.push(entry);
    }
    return out;
  }
}
