/**
 * This process's own node: what it registers, what it reports at each heartbeat (its live load,
 * from the dispatcher and the capacity state), and its row in the node list, taken live from the
 * process rather than from its last heartbeat (the registry's row is as old as that beat).
 */
import { nodeGpuOf } from './gpu-system-view';
import { hostname } from 'node:os';
import type { Fleet } from '../../shared/contracts/fleet';
import type { FleetRegistry, NodeGpu, NodeHeartbeat, NodeRecord, NodeRegistration } from '../core/fleet-ports';
import type { JobRecord } from '../core/ports';
import type { Clock } from '../core/clock';
import { APP_VERSION } from '../version';
import type { CapacityState } from './capacity-state';
import type { RuntimeConfig } from './config';
import type { Dispatcher } from './dispatcher';
import { toNodeView } from './node-view';

export type NodeLive = Omit<NodeHeartbeat, 'nodeId' | 'instanceId'>;

export interface SelfNodeDeps {
  readonly config: Pick<RuntimeConfig, 'nodeId' | 'libraryPath' | 'limits'>;
  /** The process's instance id in a fleet; absent: embedded. */
  readonly fleet?: { readonly registry: Pick<FleetRegistry, 'listNodes' | 'leaseMs'>; readonly instanceId: string };
  readonly clock: Pick<Clock, 'now'>;
  readonly dispatcher: Pick<Dispatcher, 'localUsage' | 'runningAttempts'>;
  readonly capacity: Pick<CapacityState, 'categoryLimits' | 'vramBudgetMb'>;
  readonly gpus: () => readonly NodeGpu[];
}

export class SelfNode {
  readonly registration: NodeRegistration;
  /** Outcomes this process recorded since it started (the node view shows them). */
  private completed = 0;
  private failed = 0;

  constructor(private readonly deps: SelfNodeDeps) {
    const { config } = deps;
    this.registration = {
      nodeId: config.nodeId,
      instanceId: deps.fleet?.instanceId ?? 'embedded',
      hostname: hostname(),
      version: APP_VERSION,
      libraryPath: config.libraryPath,
      limits: config.limits,
      startedAt: deps.clock.now(),
    };
  }

  /** Counts the outcomes among jobs the dispatcher changed. */
  countOutcomes(jobs: readonly JobRecord[]): void {
    for (const job of jobs) {
      if (job.status === 'completed') this.completed += 1;
      else if (job.status === 'failed') this.failed += 1;
    }
  }

  /** What a heartbeat reports. */
  live(): NodeLive {
    const usage = this.deps.dispatcher.localUsage();
    return {
      limits: this.deps.capacity.categoryLimits(),
      vramBudgetMb: this.deps.capacity.vramBudgetMb(),
      gpus: this.deps.gpus().map(nodeGpuOf),
      running: usage.running,
      vramReservedMb: usage.vramReservedMb,
      attempts: [...this.deps.dispatcher.runningAttempts()].map((a) => ({ jobId: a.job.id, attempt: a.job.attempt })),
      completedSinceStart: this.completed,
      failedSinceStart: this.failed,
    };
  }

  /** This node's record, live (over its registry row `base` when there is one). */
  record(base?: NodeRecord): NodeRecord {
    const now = this.deps.clock.now();
    const live = this.live();
    return { ...this.registration, heartbeatAt: now, stoppedAt: null, readAt: now, ...base, ...live, runningJobIds: live.attempts.map((a) => a.jobId) };
  }

  /** The node list: this node alone when embedded; the registry's, with this process's own row live, in a fleet. */
  async listNodes(): Promise<Fleet> {
    const { nodeId } = this.deps.config;
    if (!this.deps.fleet) return { mode: 'embedded', nodeId, leaseMs: null, nodes: [toNodeView(this.record(), Number.POSITIVE_INFINITY, nodeId)] };
    const { registry, instanceId } = this.deps.fleet;
    const records = await registry.listNodes();
    const nodes = records.map((r) => toNodeView(r.nodeId === nodeId && r.instanceId === instanceId ? this.record(r) : r, registry.leaseMs, nodeId));
    return { mode: 'fleet', nodeId, leaseMs: registry.leaseMs, nodes };
  }
}
