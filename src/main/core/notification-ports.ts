/**
 * Where webhook tries are kept (GET /api/media/notifications/deliveries): in the database beside the
 * jobs, so the list survives a restart and, in a fleet, shows every node's tries (the notifier
 * leader sends most of them) whichever node is asked. Adapters: storage/sqlite and storage/postgres,
 * runtime/notifications/memory-delivery-store.ts (a runtime without a database); one conformance
 * suite (storage/conformance/delivery-store-conformance.ts).
 */
import type { Delivery } from '../../shared/contracts/notifications';

export interface DeliveryStore {
  /** Keeps one try (and drops what is past the newest KEPT_DELIVERIES, shared/contracts/notifications.ts). */
  appendDelivery(delivery: Delivery): Promise<void>;
  /** Newest first (the order they were kept in); of one webhook when `webhookId` is given. */
  listDeliveries(webhookId: string | undefined, limit: number): Promise<Delivery[]>;
}
