/**
 * Claiming on PostgreSQL, atomic with the capacity check across nodes, inside the caller's
 * transaction:
 *
 * 1. pg_advisory_xact_lock(claim namespace, hash of node_id) serialises claims of the same node
 *    (two dispatchers, or a claim racing a rescue), so this node's usage cannot grow under it;
 *    only a claim adds to a node's usage, and other nodes' claims do not touch it.
 * 2. Usage: this node's running or suspended jobs (READ COMMITTED: the latest committed state).
 * 3. Candidates: the best-ranked waiting jobs of each category, read WITHOUT locks (one statement).
 *    Locking them here would make a full node, which only writes why they wait, hide them from an
 *    idle node claiming at the same moment (SKIP LOCKED) or make it wait for nothing.
 * 4. `decide` chooses. The chosen rows are locked by primary key (no status predicate: a stale
 *    planner estimate would otherwise scan the whole waiting index) with SKIP LOCKED, so a claim
 *    never waits on another node's transaction (which may belong to a node that froze mid-claim),
 *    and become running in one statement whose status check is re-evaluated after the lock: a row
 *    another node started meanwhile is no longer waiting and is left out, so no job is claimed
 *    twice. attempt + 1 is the fencing token, and the lease is renewed by this node's heartbeat.
 *    Chosen rows that were held or taken are dropped and `decide` runs again on the rest (a few
 *    rounds); the result then says `contended` and the dispatcher claims again shortly.
 * 5. Changed waiting reasons are written with SKIP LOCKED: never waiting on another node's claim,
 *    and never overwriting a job it is starting.
 */
import type { ResourceCategory } from '../../../shared/domain/statuses';
import { RESOURCE_CATEGORIES } from '../../../shared/domain/statuses';
import type { ClaimRequest, ClaimResult, JobRecord } from '../../core/ports';
import type { Candidate, ScheduleResult } from '../../core/scheduler';
import { LOCKS, type Queryable } from './pg-db';
import type { PgLogWriter } from './pg-logs';
import { pgText, rowToJob, type PgJobRow } from './pg-rows';

/**
 * The statement that takes the lock serialising this node's claims (and rescues) until the
 * transaction ends. The key is a 32-bit FNV-1a hash of the node id computed here, so the statement
 * has no parameters and is sent with BEGIN in one round trip (see inTransaction's `prelude`).
 */
export function lockNodeSql(nodeId: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(nodeId, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193);
  // bitmap scans never mark dead index entries (only plain index scans do), and a queue's partial
  // indexes fill with them between vacuums: the usage read would grow with every job ever run
  return `SET LOCAL enable_bitmapscan = off; SELECT pg_advisory_xact_lock(${LOCKS.claimNamespace}, ${hash | 0})`;
}

interface UsageOrCandidateRow {
  kind: 'usage' | 'candidate';
  resource_category: string;
  n: number | null;
  vram: number | null;
  seq: string | null;
  id: string | null;
  priority: number | null;
  vram_required: number | null;
  enqueued_at: string | null;
  status: string | null;
  waiting_reason: string | null;
}

/**
 * This node's usage and the candidates of each category in one statement (one round trip): the
 * usage rows, then per category the best-ranked waiting jobs (only the columns the scheduler needs).
 */
function usageAndCandidatesSql(categories: readonly ResourceCategory[]): string {
  const usage = `SELECT 'usage' AS kind, resource_category, count(*)::integer AS n, coalesce(sum(vram_reserved), 0)::float8 AS vram,
      NULL::bigint AS seq, NULL::text AS id, NULL::integer AS priority, NULL::integer AS vram_required, NULL::bigint AS enqueued_at,
      NULL::text AS status, NULL::text AS waiting_reason
    FROM jobs WHERE (status = 'running' OR suspended) AND node_id = $1 GROUP BY resource_category`;
  const perCategory = categories.map(
    (_, i) => `(SELECT 'candidate', resource_category, NULL, NULL, seq, id, priority, vram_required, enqueued_at, status, waiting_reason
      FROM jobs WHERE status IN ('pending', 'queued') AND resource_category = $${2 * i + 3} AND (retry_after IS NULL OR retry_after <= $2)
      ORDER BY priority, seq LIMIT $${2 * i + 4})`,
  );
  return [usage, ...perCategory].join(' UNION ALL ');
}

/** `leaseMs`: how long the started jobs' leases last (in the database's clock) before their node must renew them. */
export async function claim(db: Queryable, log: PgLogWriter, request: ClaimRequest, leaseMs: number): Promise<Omit<ClaimResult, 'reported'>> {
  const { nodeId, now } = request;
  const running = { cpu: 0, gpu_encode: 0, gpu_ai: 0 } as Record<ResourceCategory, number>;
  let vramReservedMb = 0;
  const categories = RESOURCE_CATEGORIES.filter((c) => request.lookahead[c] > 0);
  if (categories.length === 0) return { started: [], waitingChanged: [] };
  const { rows } = await db.query<UsageOrCandidateRow>(usageAndCandidatesSql(categories), [nodeId, now, ...categories.flatMap((c) => [c, request.lookahead[c]])]);
  const waitingBySeq = new Map<number, { status: string; reason: string | null }>();
  const candidates: Candidate[] = [];
  for (const row of rows) {
    const category = row.resource_category as ResourceCategory;
    if (row.kind === 'usage') {
      running[category] = row.n!;
      vramReservedMb += row.vram!;
      continue;
    }
    const seq = Number(row.seq);
    waitingBySeq.set(seq, { status: row.status!, reason: row.waiting_reason });
    candidates.push({ id: row.id!, seq, category, priority: row.priority!, vramRequired: row.vram_required!, waitingSince: Number(row.enqueued_at) });
  }
  if (candidates.length === 0) return { started: [], waitingChanged: [] };

  // decide, start what was chosen, and if some chosen rows were held by another node (SKIP LOCKED:
  // never waiting on a claim that may belong to a frozen node) decide again without them
  const started: JobRecord[] = [];
  const usageNow = { running: { ...running }, vramReservedMb };
  let pool = candidates;
  let decision = request.decide(usageNow, pool);
  let contended = false;
  for (let round = 1; decision.start.length > 0; round++) {
    const rows = await startChosen(db, decision.start, { now, nodeId, leaseMs });
    const startedSeqs = new Set(rows.map((r) => Number(r.seq)));
    for (const row of rows) {
      const job = rowToJob(row);
      started.push(job);
      usageNow.running[job.resourceCategory] += 1;
      usageNow.vramReservedMb += job.vramReserved;
    }
    const missed = decision.start.filter((s) => !startedSeqs.has(s.candidate.seq));
    if (missed.length === 0) break;
    contended = true;
    if (round === MAX_CLAIM_ROUNDS) break;
    const out = new Set([...startedSeqs, ...missed.map((m) => m.candidate.seq)]);
    pool = pool.filter((c) => !out.has(c.seq));
    decision = request.decide(usageNow, pool);
  }
  await log.dropOverflow(db, started.map((j) => ({ seq: j.seq, line: j.logLines })));

  const seqOf = new Map(candidates.map((c) => [c.id, c.seq]));
  const waits: { seq: number; reason: string }[] = [];
  for (const [id, reason] of decision.waiting) {
    const seq = seqOf.get(id)!;
    const row = waitingBySeq.get(seq)!;
    if (row.status === 'queued' && row.reason === reason) continue;
    waits.push({ seq, reason });
  }
  let waitingChanged: JobRecord[] = [];
  if (waits.length > 0) {
    const { rows: waitingRows } = await db.query<PgJobRow>(
      `UPDATE jobs SET status = 'queued', waiting_reason = w.reason, updated_at = $1
       FROM (SELECT seq FROM jobs WHERE seq = ANY($2::bigint[]) FOR UPDATE SKIP LOCKED) AS locked,
         unnest($2::bigint[], $3::text[]) AS w(seq, reason)
       WHERE jobs.seq = locked.seq AND w.seq = locked.seq AND jobs.status IN ('pending', 'queued') RETURNING jobs.*`,
      [now, waits.map((w) => w.seq), waits.map((w) => w.reason)],
    );
    waitingChanged = waitingRows.map(rowToJob);
  }
  return { started, waitingChanged, ...(contended ? { contended } : {}) };
}

/** Rounds of decide-and-start within one claim when other nodes hold chosen rows. */
const MAX_CLAIM_ROUNDS = 3;

/**
 * Marks the chosen jobs running, with their "Started attempt N on node X" log line in the same
 * statement (one round trip). Rows are locked in seq order; rows another transaction holds are
 * skipped, and the status is re-checked after the lock (a row another node started is left out).
 */
async function startChosen(db: Queryable, chosen: ScheduleResult['start'], at: { now: number; nodeId: string; leaseMs: number }): Promise<PgJobRow[]> {
  const { rows } = await db.query<PgJobRow>(
    `WITH s AS (
       UPDATE jobs SET status = 'running', started_at = $1, completed_at = NULL, node_id = $2, attempt = jobs.attempt + 1,
         vram_reserved = c.vram, waiting_reason = NULL, retry_after = NULL, progress = 0, updated_at = $1, log_lines = jobs.log_lines + 1,
         lease_expires_at = mjc_now_ms() + $5
       FROM (SELECT seq FROM jobs WHERE seq = ANY($3::bigint[]) ORDER BY seq FOR UPDATE SKIP LOCKED) AS locked,
         unnest($3::bigint[], $4::integer[]) AS c(seq, vram)
       WHERE jobs.seq = locked.seq AND c.seq = locked.seq AND jobs.status IN ('pending', 'queued') RETURNING jobs.*),
     l AS (INSERT INTO job_logs (job_seq, line, at, text)
       SELECT seq, log_lines, $1, 'Started attempt ' || attempt || ' on node ' || $6
         || CASE WHEN vram_reserved > 0 THEN ' (' || vram_reserved || ' MB VRAM reserved)' ELSE '' END FROM s)
     SELECT * FROM s`,
    [at.now, at.nodeId, chosen.map((s) => s.candidate.seq), chosen.map((s) => s.vramReservedMb), at.leaseMs, pgText(at.nodeId)],
  );
  return rows;
}
