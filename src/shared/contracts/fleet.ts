/**
 * The fleet as the API shows it: the nodes that share this queue's database, what each may run
 * (its limits and VRAM budget) and what it runs now. The embedded SQLite default is a fleet of
 * one: the node serving the request.
 */
import { z } from 'zod';
import { gpuInventoryFields } from './gpu-inventory';
import { resourceCategorySchema } from './job';

export const nodeStateSchema = z.enum(['online', 'offline', 'stopped']);
export type NodeState = z.infer<typeof nodeStateSchema>;

const perCategory = z.record(resourceCategorySchema, z.number().int());

export const nodeViewSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  version: z.string(),
  /** Where this node mounts the shared library (jobs keep library-relative paths). */
  libraryPath: z.string(),
  startedAt: z.string(),
  /** The last heartbeat, in the database's clock for fleet nodes. */
  heartbeatAt: z.string(),
  /** online: heartbeat within the lease; offline: missed it (crashed or cut off); stopped: shut down cleanly. */
  state: nodeStateSchema,
  limits: perCategory,
  vramBudgetMb: z.number().nullable(),
  gpus: z.array(
    z.object({
      index: z.number().int(),
      name: z.string(),
      totalMb: z.number(),
      usedMb: z.number(),
      ...gpuInventoryFields,
    }),
  ),
  /** Attempts alive in this node's process at its last heartbeat. */
  running: perCategory,
  vramReservedMb: z.number(),
  runningJobIds: z.array(z.string()),
  /** Outcomes this node's process recorded since it started. */
  completedSinceStart: z.number().int(),
  failedSinceStart: z.number().int(),
  /** The node that answered this request. */
  self: z.boolean(),
});
export type NodeView = z.infer<typeof nodeViewSchema>;

export const fleetSchema = z.object({
  /** embedded: the SQLite default, one node; fleet: nodes sharing one PostgreSQL database. */
  mode: z.enum(['embedded', 'fleet']),
  nodeId: z.string(),
  /** A running job's lease: a node silent for longer loses its jobs to the rescuer (null when embedded). */
  leaseMs: z.number().int().nullable(),
  nodes: z.array(nodeViewSchema),
});
export type Fleet = z.infer<typeof fleetSchema>;
