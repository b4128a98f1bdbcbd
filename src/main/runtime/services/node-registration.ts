/**
 * This node's row in the fleet registry: registered at start (waiting out a previous process of
 * the same id that has just died; a second live one is refused before anything is recovered), with
 * a first heartbeat at once, and marked stopped at the very end of a clean stop, after its attempts
 * ended, so the node shows as stopped rather than offline.
 */
import type { FleetRegistry, NodeHeartbeat, NodeRegistration } from '../../core/fleet-ports';
import { describeError } from './outage-log';
import type { RuntimeService } from './service';

export interface NodeRegistrationDeps {
  readonly registry: Pick<FleetRegistry, 'register' | 'heartbeat' | 'markStopped'>;
  readonly registration: NodeRegistration;
  /** This node's state for the first heartbeat. */
  beat(): Omit<NodeHeartbeat, 'nodeId' | 'instanceId'>;
  readonly logger: Pick<Console, 'warn'>;
}

export class NodeRegistrationService implements RuntimeService {
  readonly name = 'node registration';

  constructor(private readonly deps: NodeRegistrationDeps) {}

  async start(): Promise<void> {
    await this.deps.registry.register(this.deps.registration);
    // and say at once what this node can give (VRAM budget, GPUs): every node's create-time VRAM
    // check reads it, and a record without a budget would read as "takes any size"
    const { nodeId, instanceId } = this.deps.registration;
    await this.deps.registry.heartbeat({ nodeId, instanceId, ...this.deps.beat() });
  }

  async stop(): Promise<void> {
    const { nodeId, instanceId } = this.deps.registration;
    await this.deps.registry.markStopped(nodeId, instanceId).catch((error: unknown) => this.deps.logger.warn(`Could not mark node ${nodeId} stopped: ${describeError(error)}`));
  }
}
