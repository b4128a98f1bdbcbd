/**
 * Claiming on PostgreSQL, atomic with the capacity check across nodes, inside the caller's
 * transaction:
 *
 * 1. pg_advisory_xact_lock(claim namespace, hashtext(node_id)) serialises claims of the same node
 *    (two dispatchers, or a claim racing a rescue), so this node's usage cannot grow under it;
 *    only a claim adds to a node's usage, and other nodes' claims do not touch it.
 * 2. Usage: this node's running or suspended jobs (READ COMMITTED: the latest committed state).
 * 3. Candidates per category `ORDER BY priority, seq LIMIT n FOR UPDATE SKIP LOCKED`: rows another
 *    node is claiming right now are skipped, so two nodes never get the same job, and the rows
 *    this claim considers stay locked until it commits (a re-checked row that stopped waiting
 *    meanwhile is simply not returned).
 * 4. `decide` chooses; the chosen rows become running in one statement (attempt + 1 is the
 *    fencing token, and a lease its node renews by heartbeat) with their "Started attempt N on
 *    node X" line; changed waiting reasons are written for the others.
 */
import type { ResourceCategory } from '../../../shared/domain/statuses';
import { RESOURCE_CATEGORIES } from '../../../shared/domain/statuses';
import type { ClaimRequest, ClaimResult, JobRecord } from '../../core/ports';
import type { Candidate } from '../../core/scheduler';
import { LOCKS, type Queryable } from './pg-db';
import type { PgLogWriter } from './pg-logs';
import { rowToJob, type PgJobRow } from './pg-rows';

/** Takes the lock that serialises this node's claims (and rescues) until the transaction ends. */
export async function lockNode(db: Queryable, nodeId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(${LOCKS.claimNamespace}, hashtext($1))`, [nodeId]);
}

/** `leaseMs`: how long the started jobs' leases last (in the database's clock) before their node must renew them. */
export async function claim(db: Queryable, log: PgLogWriter, request: ClaimRequest, leaseMs: number): Promise<Omit<ClaimResult, 'reported'>> {
  const { nodeId, now } = request;
  const running = { cpu: 0, gpu_encode: 0, gpu_ai: 0 } as Record<ResourceCategory, number>;
  let vramReservedMb = 0;
  const usage = await db.query<{ resource_category: string; n: number; vram: number }>(
    `SELECT resource_category, count(*)::integer AS n, coalesce(sum(vram_reserved), 0)::float8 AS vram FROM jobs
     WHERE (status = 'running' OR suspended) AND node_id = $1 GROUP BY resource_category`,
    [nodeId],
  );
  for (const u of usage.rows) {
    running[u.resource_category as ResourceCategory] = u.n;
    vramReservedMb += u.vram;
  }

  const rowsBySeq = new Map<number, PgJobRow>();
  const candidates: Candidate[] = [];
  let contended = false;
  for (const category of RESOURCE_CATEGORIES) {
    const limit = request.lookahead[category];
    if (limit <= 0) continue;
    const { rows } = await db.query<PgJobRow>(
      `SELECT * FROM jobs WHERE status IN ('pending', 'queued') AND resource_category = $1 AND (retry_after IS NULL OR retry_after <= $2)
       ORDER BY priority, seq LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [category, now, limit],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      rowsBySeq.set(seq, row);
      candidates.push({ id: row.id, seq, category, priority: row.priority, vramRequired: row.vram_required, waitingSince: Number(row.enqueued_at) });
    }
    if (rows.length < limit && !contended) contended = await skippedLockedRows(db, category, now, limit, rows.length);
  }
  if (candidates.length === 0) return { started: [], waitingChanged: [], ...(contended ? { contended } : {}) };

  const decision = request.decide({ running, vramReservedMb }, candidates);
  const started: JobRecord[] = [];
  if (decision.start.length > 0) {
    const { rows } = await db.query<PgJobRow>(
      `UPDATE jobs SET status = 'running', started_at = $1, completed_at = NULL, node_id = $2, attempt = jobs.attempt + 1,
         vram_reserved = s.vram, waiting_reason = NULL, retry_after = NULL, progress = 0, updated_at = $1, log_lines = jobs.log_lines + 1,
         lease_expires_at = mjc_now_ms() + $5
       FROM unnest($3::bigint[], $4::integer[]) AS s(seq, vram)
       WHERE jobs.seq = s.seq AND jobs.status IN ('pending', 'queued') RETURNING jobs.*`,
      [now, nodeId, decision.start.map((s) => s.candidate.seq), decision.start.map((s) => s.vramReservedMb), leaseMs],
    );
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    const lines = [];
    for (const { candidate, vramReservedMb: vram } of decision.start) {
      const row = bySeq.get(candidate.seq);
      if (!row) continue;
      const text = `Started attempt ${row.attempt} on node ${nodeId}${vram > 0 ? ` (${vram} MB VRAM reserved)` : ''}`;
      lines.push({ seq: candidate.seq, line: row.log_lines, at: now, text });
      started.push(rowToJob(row));
    }
    await log.writeCounted(db, lines);
  }

  const seqOf = new Map(candidates.map((c) => [c.id, c.seq]));
  const waitingChanged: JobRecord[] = [];
  const waits: { seq: number; reason: string }[] = [];
  for (const [id, reason] of decision.waiting) {
    const seq = seqOf.get(id)!;
    const row = rowsBySeq.get(seq)!;
    if (row.status === 'queued' && row.waiting_reason === reason) continue;
    waits.push({ seq, reason });
    waitingChanged.push(rowToJob({ ...row, status: 'queued', waiting_reason: reason, updated_at: now }));
  }
  if (waits.length > 0) {
    await db.query(
      `UPDATE jobs SET status = 'queued', waiting_reason = w.reason, updated_at = $1 FROM unnest($2::bigint[], $3::text[]) AS w(seq, reason)
       WHERE jobs.seq = w.seq AND jobs.status IN ('pending', 'queued')`,
      [now, waits.map((w) => w.seq), waits.map((w) => w.reason)],
    );
  }
  return { started, waitingChanged, ...(contended ? { contended } : {}) };
}

/**
 * Whether SKIP LOCKED left out waiting rows of `category` that another node's claim holds right now
 * (only asked when fewer rows than the lookahead came back). That claim may not start them (its
 * node may be full and only be writing why they wait), so the caller claims again shortly instead
 * of waiting for the next wake-up: otherwise a job created while a full node looks at it would sit
 * until the polling backstop although an idle node was woken for it.
 */
async function skippedLockedRows(db: Queryable, category: ResourceCategory, now: number, limit: number, returned: number): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM (SELECT 1 FROM jobs WHERE status IN ('pending', 'queued') AND resource_category = $1
       AND (retry_after IS NULL OR retry_after <= $2) ORDER BY priority, seq LIMIT $3) AS waiting`,
    [category, now, limit],
  );
  return rows[0]!.n > returned;
}
