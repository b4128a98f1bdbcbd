/**
 * This node's part in a fleet, as four services sharing one FleetHealth: its registration (start:
 * register and say what it can give; stop: marked stopped), the heartbeat (renews its leases, stops
 * what it lost or was asked to cancel elsewhere, fences itself after a lease of silence), the lease
 * sweeper (rescues expired leases once healthy for a lease) and the wake listener with its polling
 * backstop. Each timer loop is its own service; failures are logged once per outage (OutageLog).
 *
 * The runtime places them in its service order: the registration before start-up recovery (a
 * second live process with the same id is refused before it rescues anything), the loops after the
 * dispatcher (so they stop before it, as its attempts wind down).
 */
import type { FleetRegistry, LiveAttempt, NodeHeartbeat, NodeRegistration, WakeSource } from '../core/fleet-ports';
import type { JobRecord } from '../core/ports';
import type { Clock, Timers } from '../core/clock';
import type { FailureDecision } from '../core/retry-policy';
import type { Dispatcher } from './dispatcher';
import { FleetHealth } from './services/fleet-health';
import { HeartbeatService } from './services/heartbeat';
import { LeaseSweeper } from './services/lease-sweeper';
import { NodeRegistrationService } from './services/node-registration';
import { OutageLog } from './services/outage-log';
import { WakeListener } from './services/wake-listener';

export interface FleetTiming {
  /** Heartbeat (and lease renewal) interval; well under the lease. */
  readonly heartbeatMs: number;
  /** How often this node looks for expired leases. */
  readonly sweepMs: number;
  /** Polling backstop of the wake-ups. */
  readonly pollMs: number;
}

export interface FleetMemberDeps {
  readonly registry: FleetRegistry;
  readonly wake?: WakeSource;
  readonly registration: NodeRegistration;
  readonly timing: FleetTiming;
  readonly clock: Clock;
  readonly timers: Timers;
  /** This node's state for a heartbeat. */
  beat(): Omit<NodeHeartbeat, 'nodeId' | 'instanceId'>;
  /**
   * The attempts of this process: stopped when the store no longer gives them to this node, when a
   * user asked to cancel them through any node, or all of them (fenced, no more claims) when
   * another process took the node id over; asked to claim after a wake-up, a poll or a rescue.
   */
  readonly dispatcher: FleetDispatcher;
  /** Re-read the queue flags (another node paused or resumed the queue). */
  reloadFlags(): Promise<void>;
  readonly decideRescue: (job: JobRecord) => FailureDecision;
  onRescued(jobs: readonly JobRecord[]): void;
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
}

export type FleetDispatcher = Pick<Dispatcher, 'attemptOf' | 'stopAttempt' | 'requestDispatch' | 'fenceAll'>;

export interface FleetMember {
  readonly health: FleetHealth;
  readonly registration: NodeRegistrationService;
  readonly heartbeat: HeartbeatService;
  readonly sweeper: LeaseSweeper;
  readonly wake: WakeListener;
}

export function createFleetMember(deps: FleetMemberDeps): FleetMember {
  const { registry, registration, timing, clock, timers, dispatcher, logger } = deps;
  /** Whether `a` is the attempt this process runs for its job (a later attempt is left alone). */
  const isCurrent = (a: LiveAttempt) => dispatcher.attemptOf(a.jobId)?.job.attempt === a.attempt;
  const health = new FleetHealth(clock);
  const outages = new OutageLog(logger);
  const heartbeat = new HeartbeatService({
    registry,
    registration,
    intervalMs: timing.heartbeatMs,
    timers,
    health,
    outages,
    beat: () => deps.beat(),
    stopAttempt: (a) => {
      if (!isCurrent(a)) return;
      logger.warn(`Job ${a.jobId} (attempt ${a.attempt}) is no longer this node's (cancelled elsewhere, or rescued after a lost lease): stopping it.`);
      dispatcher.stopAttempt(a.jobId, 'fenced');
    },
    cancelAttempt: (a) => void (isCurrent(a) && dispatcher.stopAttempt(a.jobId, 'cancel')), // a no-op when this node stopped it already
    onSuperseded: () => dispatcher.fenceAll(),
    logger,
  });
  return {
    health,
    registration: new NodeRegistrationService({ registry, registration, beat: () => deps.beat(), logger }),
    heartbeat,
    sweeper: new LeaseSweeper({
      registry,
      intervalMs: timing.sweepMs,
      clock,
      timers,
      health,
      outages,
      decideRescue: deps.decideRescue,
      onRescued: (jobs) => deps.onRescued(jobs),
      requestDispatch: () => dispatcher.requestDispatch(),
      logger,
    }),
    wake: new WakeListener({
      ...(deps.wake ? { wake: deps.wake } : {}),
      pollMs: timing.pollMs,
      timers,
      health,
      outages,
      requestDispatch: () => dispatcher.requestDispatch(),
      reloadFlags: () => deps.reloadFlags(),
      beatNow: () => heartbeat.beatNow(),
    }),
  };
}
