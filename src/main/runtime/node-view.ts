/**
 * Nodes as the API shows them (contracts/fleet.ts): from the fleet registry's records, with the
 * answering node's own row taken live from its process rather than its last heartbeat.
 */
import type { NodeState, NodeView } from '../../shared/contracts/fleet';
import type { NodeRecord } from '../core/fleet-ports';

/** Online while the last heartbeat is within one lease (both times in the database's clock). */
export function nodeState(record: Pick<NodeRecord, 'stoppedAt' | 'heartbeatAt' | 'readAt'>, leaseMs: number): NodeState {
  if (record.stoppedAt !== null) return 'stopped';
  return record.readAt - record.heartbeatAt <= leaseMs ? 'online' : 'offline';
}

export function toNodeView(record: NodeRecord, leaseMs: number, selfId: string): NodeView {
  return {
    id: record.nodeId,
    hostname: record.hostname,
    version: record.version,
    libraryPath: record.libraryPath,
    startedAt: new Date(record.startedAt).toISOString(),
    heartbeatAt: new Date(record.heartbeatAt).toISOString(),
    state: nodeState(record, leaseMs),
    limits: { ...record.limits },
    vramBudgetMb: record.vramBudgetMb,
    gpus: record.gpus.map((g) => ({ ...g })),
    running: { ...record.running },
    vramReservedMb: record.vramReservedMb,
    runningJobIds: [...record.runningJobIds],
    completedSinceStart: record.completedSinceStart,
    failedSinceStart: record.failedSinceStart,
    self: record.nodeId === selfId,
  };
}
