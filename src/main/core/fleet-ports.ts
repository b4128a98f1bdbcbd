/**
 * Ports of fleet mode: several nodes share one database. Each node registers, heartbeats (which
 * renews the leases of the attempts alive in its process), and sweeps for jobs whose lease ran
 * out (their node died or was cut off). Wake-ups tell idle nodes that work arrived.
 *
 * Leases are kept in the database's clock, so nodes whose clocks disagree still agree on expiry.
 */
import type { ResourceCategory } from '../../shared/domain/statuses';
import type { CategoryLimits } from './capacity';
import type { JobRecord } from './ports';
import type { FailureDecision } from './retry-policy';

export interface NodeGpu {
  readonly index: number;
  readonly name: string;
  readonly totalMb: number;
  readonly usedMb: number;
  /** Per-GPU inventory (nvidia-smi; #18): absent on nodes that have none. */
  readonly uuid?: string | null;
  readonly freeMb?: number | null;
  readonly driverVersion?: string | null;
  readonly encodeSupported?: boolean;
  /** NVENC sessions allowed (null: no cap). */
  readonly nvencSessionCap?: number | null;
  readonly encoderSessions?: number | null;
  /** What our jobs placed on it reserve, and how many run there. */
  readonly vramReservedMb?: number;
  readonly jobsRunning?: number;
  /** What our jobs may reserve on it in all (total − headroom − other programs' use). */
  readonly vramBudgetMb?: number;
  /** Why it takes no new jobs, when it takes none. */
  readonly blocked?: string | null;
}

export interface NodeRegistration {
  readonly nodeId: string;
  /** One per process: tells a restarted node from a second process wrongly given the same id. */
  readonly instanceId: string;
  readonly hostname: string;
  readonly version: string;
  readonly libraryPath: string;
  readonly limits: CategoryLimits;
  readonly startedAt: number;
}

/** An attempt alive in a node's process: its job and fencing token. */
export interface LiveAttempt {
  readonly jobId: string;
  readonly attempt: number;
}

export interface HeartbeatResult {
  readonly lost: readonly LiveAttempt[];
  /**
   * Attempts still this node's (their leases renewed) whose job a user asked to cancel, through
   * any node: stop them; their end reports the job cancelled. Absent: none.
   */
  readonly cancelRequested?: readonly LiveAttempt[];
  /**
   * Set when another process registered this node id after this one fell silent for longer than the
   * takeover wait (frozen, suspended, cut off): the host name it runs on. This process must stop
   * working as that node, or two processes would claim and run jobs under one id.
   */
  readonly supersededBy?: string;
}

/** What a node reports of itself at each heartbeat (and the list shows). */
export interface NodeLoad {
  readonly limits: CategoryLimits;
  readonly vramBudgetMb: number | null;
  readonly gpus: readonly NodeGpu[];
  readonly running: Readonly<Record<ResourceCategory, number>>;
  readonly vramReservedMb: number;
  readonly completedSinceStart: number;
  readonly failedSinceStart: number;
}

export interface NodeHeartbeat extends NodeLoad {
  readonly nodeId: string;
  readonly instanceId: string;
  readonly attempts: readonly LiveAttempt[];
}

export interface NodeRecord extends NodeLoad, Omit<NodeRegistration, 'limits'> {
  readonly runningJobIds: readonly string[];
  readonly heartbeatAt: number;
  readonly stoppedAt: number | null;
  /** The database clock when the list was read: a node is online while heartbeatAt + lease is later. */
  readonly readAt: number;
}

export interface FleetRegistry {
  /** How long a running job's lease lasts without a renewal. */
  readonly leaseMs: number;
  /** Throws AppError NODE_ID_IN_USE when another live process holds this node id. */
  register(node: NodeRegistration): Promise<void>;
  /**
   * Records the node's heartbeat and renews the lease of each attempt that is still current (running
   * or suspended in that attempt on this node). Returns the attempts that are not (`lost`):
   * cancelled by a user on another node, or rescued after this node lost its lease. Their processes
   * must stop. When another process has taken this node id over (`supersededBy`: its host name),
   * nothing is renewed and every attempt comes back lost.
   */
  heartbeat(beat: NodeHeartbeat): Promise<HeartbeatResult>;
  /** Re-queues (or fails, as `decide` says) the jobs whose lease expired; returns them. */
  rescueExpired(now: number, decide: (job: JobRecord) => FailureDecision): Promise<JobRecord[]>;
  listNodes(): Promise<NodeRecord[]>;
  /** A clean shutdown: the node shows as stopped instead of offline. */
  markStopped(nodeId: string, instanceId: string): Promise<void>;
  /** Jobs by id (the ones other nodes said changed), in no particular order; unknown ids are left out. */
  readJobs(ids: readonly string[]): Promise<JobRecord[]>;
}

/**
 * What changed on one node in a short window, relayed to the others so that a UI connected to any
 * node follows the whole fleet live. Bounded: a busy window sends the ids and drops log lines.
 */
export interface FleetEventBatch {
  readonly jobIds: readonly string[];
  readonly progress: Readonly<Record<string, number>>;
  readonly logs: readonly { readonly jobId: string; readonly at: string; readonly text: string }[];
}

export interface FleetEventChannel {
  publish(batch: FleetEventBatch): void;
  /** Batches published by the other nodes. */
  subscribe(listener: (batch: FleetEventBatch) => void): () => void;
}

/** Why a node was woken: work may be claimable, the queue flags changed, or a job of this node was cancelled elsewhere. */
export type WakeReason = 'work' | 'flags' | 'cancel';

export interface WakeSource {
  /** Calls `listener` for wake-ups sent by other processes; returns an unsubscribe function. */
  subscribe(listener: (reason: WakeReason) => void): () => void;
}
