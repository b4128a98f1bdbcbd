/**
 * Rows of `webhook_deliveries` (DeliveryStore) and their mapping, shared by the SQLite and PostgreSQL
 * adapters: times are epoch ms in the table, ISO strings in the API (PostgreSQL returns bigint as text).
 */
import { KEPT_DELIVERIES, type Delivery } from '../../shared/contracts/notifications';

export interface DeliveryRow {
  webhook_id: string; notification_id: string; kind: string; attempt: number | string; at: number | string; outcome: string;
  http_status: number | string | null; error: string | null; duration_ms: number | string; node_id: string;
}

export const DELIVERY_COLUMNS = 'webhook_id, notification_id, kind, attempt, at, outcome, http_status, error, duration_ms, node_id';

export function deliveryParams(d: Delivery): unknown[] {
  return [d.webhookId, d.notificationId, d.kind, d.attempt, Date.parse(d.at), d.outcome, d.httpStatus, d.error, d.durationMs, d.nodeId];
}

export function rowToDelivery(r: DeliveryRow): Delivery {
  return {
    webhookId: r.webhook_id, notificationId: r.notification_id, kind: r.kind, attempt: Number(r.attempt), at: new Date(Number(r.at)).toISOString(),
    outcome: r.outcome as Delivery['outcome'], httpStatus: r.http_status === null ? null : Number(r.http_status), error: r.error, durationMs: Number(r.duration_ms), nodeId: r.node_id,
  };
}

/**
 * Deletes what is older than the newest KEPT_DELIVERIES, counted (not by id arithmetic: ids have
 * gaps, from rolled-back inserts and PostgreSQL's cached sequence values). Same SQL in both dialects.
 */
export const TRIM_DELIVERIES = `DELETE FROM webhook_deliveries
  WHERE id < (SELECT id FROM webhook_deliveries ORDER BY id DESC LIMIT 1 OFFSET ${KEPT_DELIVERIES - 1})`;
