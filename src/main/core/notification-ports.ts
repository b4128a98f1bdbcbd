/**
 * Where webhook tries are kept (GET /api/media/notifications/deliveries): in the database beside the
 * jobs, so the list survives a restart and, in a fleet, shows every node's tries (the notifier
 * leader sends most of them) whichever node is asked. Adapters: storage/sqlite and storage/postgres,
 * runtime/notifications/memory-delivery-store.ts (a runtime without a database); one conformance
 * suite (storage/conformance/delivery-store-conformance.ts).
 */
import { KEPT_DELIVERIES, type Delivery } from '../../shared/contracts/notifications';

/** The newest tries kept (the fleet's, together); older ones are deleted as new ones arrive. */
export { KEPT_DELIVERIES };

export interface DeliveryStore {
  /** Keeps one try (and drops what is past the newest KEPT_DELIVERIES). */
  appendDelivery(delivery: Delivery): Promise<void>;
  /** Newest first (the order they were kept in); of one webhook when `webhookId` is given. */
  listDeliveries(webhookId: string | undefined, limit: number): Promise<Delivery[]>;
}
