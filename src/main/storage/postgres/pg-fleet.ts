/**
 * The fleet registry on PostgreSQL: the nodes table (registration, heartbeats), lease renewal of
 * the attempts alive on a node, and the sweep that rescues jobs whose lease ran out. All times of
 * leases and heartbeats are the database's (mjc_now_ms()), so clock skew between nodes does not
 * matter.
 */
import { AppError } from '../../../shared/contracts/errors';
import { LIVE_STATUSES, WAITING_STATUSES, type ResourceCategory } from '../../../shared/domain/statuses';
import type { CategoryLimits } from '../../core/capacity';
import type { FleetRegistry, HeartbeatResult, NodeGpu, NodeHeartbeat, NodeRecord, NodeRegistration } from '../../core/fleet-ports';
import type { JobRecord } from '../../core/ports';
import type { FailureDecision } from '../../core/retry-policy';
import { inTransaction, type Pool } from './pg-db';
import type { PgLogWriter } from './pg-logs';
import { rescueExpiredLeases } from './pg-reports';
import type { WakeNotifier } from './pg-wake';
import { rowToJob, type PgJobRow } from './pg-rows';
import { statusIn } from '../status-sql';

interface PgNodeRow {
  id: string;
  instance_id: string;
  hostname: string;
  version: string;
  library_path: string;
  limits: CategoryLimits;
  vram_budget_mb: number | null;
  gpus: NodeGpu[];
  running: Partial<Record<ResourceCategory, number>>;
  vram_reserved_mb: number;
  running_job_ids: string[];
  completed_since_start: number;
  failed_since_start: number;
  started_at: string;
  heartbeat_at: string;
  stopped_at: string | null;
  read_at: string;
}

export interface PostgresFleetOptions {
  readonly leaseMs: number;
  /** How long register() waits for a previous process with the same node id to go silent (default: one lease). */
  readonly takeoverWaitMs?: number;
  readonly wake?: WakeNotifier;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class PostgresFleetRegistry implements FleetRegistry {
  readonly leaseMs: number;

  constructor(
    private readonly pool: Pool,
    private readonly log: PgLogWriter,
    private readonly options: PostgresFleetOptions,
  ) {
    this.leaseMs = options.leaseMs;
  }

  async register(node: NodeRegistration): Promise<void> {
    // a node restarted after a crash finds its old row still fresh for up to one lease: wait that
    // out rather than refuse; a second live process with the same id keeps heartbeating and is refused
    const waitMs = this.options.takeoverWaitMs ?? this.leaseMs + 1_000;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const deadline = Date.now() + waitMs;
    for (;;) {
      const taken = await this.pool.query(
        `INSERT INTO nodes (id, instance_id, hostname, version, library_path, limits, started_at, heartbeat_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, mjc_now_ms())
         ON CONFLICT (id) DO UPDATE SET instance_id = excluded.instance_id, hostname = excluded.hostname, version = excluded.version,
           library_path = excluded.library_path, limits = excluded.limits, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
           stopped_at = NULL, running = '{}', running_job_ids = '{}', vram_reserved_mb = 0, completed_since_start = 0, failed_since_start = 0
         WHERE nodes.stopped_at IS NOT NULL OR nodes.instance_id = excluded.instance_id OR nodes.heartbeat_at < mjc_now_ms() - $8
         RETURNING id`,
        [node.nodeId, node.instanceId, node.hostname, node.version, node.libraryPath, JSON.stringify(node.limits), node.startedAt, this.leaseMs],
      );
      if (taken.rowCount === 1) return;
      if (Date.now() >= deadline) {
        const other = (await this.pool.query<{ hostname: string; age: string }>('SELECT hostname, mjc_now_ms() - heartbeat_at AS age FROM nodes WHERE id = $1', [node.nodeId])).rows[0];
        throw new AppError(
          'NODE_ID_IN_USE',
          `Another running process (on ${other?.hostname ?? 'an unknown host'}, heartbeat ${other ? Number(other.age) : '?'} ms ago) uses node id "${node.nodeId}". Give each node its own MEDIA_NODE_ID.`,
          { nodeId: node.nodeId },
        );
      }
      await sleep(Math.min(500, Math.max(1, deadline - Date.now())));
    }
  }

  async heartbeat(beat: NodeHeartbeat): Promise<HeartbeatResult> {
    const attempts = [...beat.attempts].sort((a, b) => (a.jobId < b.jobId ? -1 : 1)); // one lock order with other renewals
    return inTransaction(this.pool, async (c) => {
      const { rows: beaten } = await c.query<{ updated: number; taken_by: string | null }>(
        `WITH u AS (
           UPDATE nodes SET heartbeat_at = mjc_now_ms(), limits = $3::jsonb, vram_budget_mb = $4, gpus = $5::jsonb, running = $6::jsonb,
             vram_reserved_mb = $7, running_job_ids = $8::text[], completed_since_start = $9, failed_since_start = $10
           WHERE id = $1 AND instance_id = $2 RETURNING 1)
         SELECT (SELECT count(*)::integer FROM u) AS updated, (SELECT hostname FROM nodes WHERE id = $1 AND instance_id <> $2) AS taken_by`,
        [
          beat.nodeId,
          beat.instanceId,
          JSON.stringify(beat.limits),
          beat.vramBudgetMb,
          JSON.stringify(beat.gpus),
          JSON.stringify(beat.running),
          beat.vramReservedMb,
          attempts.map((a) => a.jobId),
          beat.completedSinceStart,
          beat.failedSinceStart,
        ],
      );
      const takenBy = beaten[0]!.updated === 0 ? beaten[0]!.taken_by : null;
      if (takenBy !== null) return { lost: attempts, supersededBy: takenBy }; // its successor rescued them at its start
      if (attempts.length === 0) return { lost: [] };
      const { rows } = await c.query<{ id: string; attempt: number; lost: boolean }>(
        `WITH alive AS (SELECT * FROM unnest($1::text[], $2::integer[]) AS a(id, attempt)),
         renewed AS (
           UPDATE jobs SET lease_expires_at = mjc_now_ms() + $4 FROM alive
           WHERE jobs.id = alive.id AND jobs.attempt = alive.attempt AND jobs.node_id = $3 AND ${statusIn(LIVE_STATUSES, 'jobs.status')}
           RETURNING jobs.id, jobs.cancel_requested_at IS NOT NULL AS cancelling)
         SELECT id, attempt, true AS lost FROM alive WHERE id NOT IN (SELECT id FROM renewed)
         UNION ALL SELECT alive.id, alive.attempt, false FROM alive JOIN renewed ON renewed.id = alive.id WHERE renewed.cancelling`,
        [attempts.map((a) => a.jobId), attempts.map((a) => a.attempt), beat.nodeId, this.leaseMs],
      );
      const pick = (lost: boolean) => rows.filter((r) => r.lost === lost).map((r) => ({ jobId: r.id, attempt: r.attempt }));
      const cancelRequested = pick(false);
      return cancelRequested.length > 0 ? { lost: pick(true), cancelRequested } : { lost: pick(true) };
    });
  }

  async rescueExpired(now: number, decide: (job: JobRecord) => FailureDecision): Promise<JobRecord[]> {
    const rescued = await inTransaction(this.pool, (c) => rescueExpiredLeases(c, this.log, now, decide));
    if (rescued.some((j) => WAITING_STATUSES.includes(j.status))) this.options.wake?.notify('work');
    // a node that was only cut off may be back: it checks its attempts at once and stops the fenced ones
    for (const nodeId of new Set(rescued.map((j) => j.nodeId))) if (nodeId !== null) this.options.wake?.notify('cancel', nodeId);
    return rescued;
  }

  async listNodes(): Promise<NodeRecord[]> {
    const { rows } = await this.pool.query<PgNodeRow>('SELECT *, mjc_now_ms() AS read_at FROM nodes ORDER BY id');
    return rows.map(toNodeRecord);
  }

  async readJobs(ids: readonly string[]): Promise<JobRecord[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<PgJobRow>('SELECT * FROM jobs WHERE id = ANY($1::text[])', [ids]);
    return rows.map(rowToJob);
  }

  async markStopped(nodeId: string, instanceId: string): Promise<void> {
    await this.pool.query(
      `UPDATE nodes SET stopped_at = mjc_now_ms(), heartbeat_at = mjc_now_ms(), running = '{}', running_job_ids = '{}', vram_reserved_mb = 0
       WHERE id = $1 AND instance_id = $2`,
      [nodeId, instanceId],
    );
  }
}

function toNodeRecord(r: PgNodeRow): NodeRecord {
  return {
    nodeId: r.id,
    instanceId: r.instance_id,
    hostname: r.hostname,
    version: r.version,
    libraryPath: r.library_path,
    limits: r.limits,
    vramBudgetMb: r.vram_budget_mb,
    gpus: r.gpus,
    running: { cpu: 0, gpu_encode: 0, gpu_ai: 0, ...r.running },
    vramReservedMb: r.vram_reserved_mb,
    runningJobIds: r.running_job_ids,
    completedSinceStart: r.completed_since_start,
    failedSinceStart: r.failed_since_start,
    startedAt: Number(r.started_at),
    heartbeatAt: Number(r.heartbeat_at),
    stoppedAt: r.stopped_at === null ? null : Number(r.stopped_at),
    readAt: Number(r.read_at),
  };
}
