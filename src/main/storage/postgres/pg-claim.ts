/**
 * Claiming on PostgreSQL, atomic with the capacity check across nodes, inside the caller's
 * transaction:
 *
 * 1. pg_advisory_xact_lock(claim namespace, hash of node_id) serialises claims of the same node
 *    (two dispatchers, or a claim racing a rescue), so this node's usage cannot grow under it;
 *    only a claim adds to a node's usage, and other nodes' claims do not touch it.
 * 2. Usage: this node's running or suspended jobs (READ COMMITTED: the latest committed state).
 * 3. Candidates: the best-ranked waiting jobs of each category, and the best-ranked ones that fit the
 *    free VRAM however deep they rank (pg-claim-read.ts), read WITHOUT locks (one statement).
 *    Locking them here would make a full node, which only writes why they wait, hide them from an
 *    idle node claiming at the same moment (SKIP LOCKED) or make it wait for nothing.
 * 4. `decide` chooses. The chosen rows are locked by primary key (no status predicate: a stale
 *    planner estimate would otherwise scan the whole waiting index) with SKIP LOCKED, so a claim
 *    never waits on another node's transaction (which may belong to a node that froze mid-claim),
 *    and become running in one statement whose status check is re-evaluated after the lock: a row
 *    another node started meanwhile is no longer waiting and is left out, so no job is claimed
 *    twice. attempt + 1 is the fencing token, and the lease is renewed by this node's heartbeat.
 *    When chosen rows were held or taken the result says `contended` and the dispatcher claims
 *    again at once for the capacity still free.
 * 5. Changed waiting reasons are written with SKIP LOCKED: never waiting on another node's claim,
 *    and never overwriting a job it is starting.
 *
 * The whole tick is two round trips (pipelinedTransaction): BEGIN and the lock, the completions
 * and the read of usage and candidates go out together; after `decide`, the starts, the waiting
 * reasons and COMMIT go out together. So nothing may need an answer in between: the log line each
 * start and completion writes also drops the line the log bounds push out, in the same statement.
 * Reports other than completions and progress (log lines, failures, retries) are rarer and take
 * their own round trips first, in order: the usage read must see every slot they free.
 * On the pipelined path every status change is made by the start, completion and waiting-reason
 * statements, which then count their own changes instead of the row trigger (pg-count-rules.ts).
 */
import { RESOURCE_CATEGORIES, WAITING_STATUSES } from '../../../shared/domain/statuses';
import { targetOf } from '../../core/lifecycle';
import type { ClaimRequest, ClaimResult, JobRecord } from '../../core/ports';
import type { ScheduleResult } from '../../core/scheduler';
import type { LogBounds } from '../../core/log-bounds';
import { appliesTo, setStatusOf, sqlStatus, statusIn } from '../status-sql';
import { readUsageAndCandidates } from './pg-claim-read';
import { COUNT_IN_STATEMENTS, countDeltaCte } from './pg-count-rules';
import { LOCKS, pipelinedTransaction, type Pool, type Queryable } from './pg-db';
import { dropPushedOutLine, type PgLogWriter } from './pg-logs';
import { readQueueFlags } from './pg-queue-flags';
import { applyCompletionsAndProgress, applyReports, isCompletionsAndProgress } from './pg-reports';
import { jobColumns, pgArray, pgText, rowToJob, type PgJobRow } from './pg-rows';

/**
 * The statement that takes the lock serialising this node's claims (and rescues) until the
 * transaction ends. The key is a 32-bit FNV-1a hash of the node id computed here, so the statement
 * has no parameters and is sent with BEGIN in one round trip (the `prelude` of inTransaction and
 * pipelinedTransaction).
 */
export function lockNodeSql(nodeId: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(nodeId, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193);
  // bitmap scans never mark dead index entries (only plain index scans do), and a queue's partial
  // indexes fill with them between vacuums: the usage read would grow with every job ever run.
  // Generic plans: the claim's statements are prepared, and planning them anew at every tick was a
  // quarter of their server time (their plans do not depend on the values)
  return `SET LOCAL enable_bitmapscan = off; SET LOCAL plan_cache_mode = force_generic_plan; SELECT pg_advisory_xact_lock(${LOCKS.claimNamespace}, ${hash | 0})`;
}

/**
 * One dispatcher tick on PostgreSQL: `reports` applied, then the claim, in one transaction holding
 * the node's claim lock. `leaseMs`: how long the started jobs' leases last (in the database's clock)
 * before their node must renew them.
 */
export async function claimTick(pool: Pool, log: PgLogWriter, request: ClaimRequest, leaseMs: number): Promise<ClaimResult> {
  const categories = RESOURCE_CATEGORIES.filter((c) => request.lookahead[c] > 0);
  const reports = request.reports;
  // every status change of the pipelined path is made by a statement that counts its own
  const pipelined = !reports || isCompletionsAndProgress(reports);
  const prelude = pipelined ? `${lockNodeSql(request.nodeId)}; ${COUNT_IN_STATEMENTS}` : lockNodeSql(request.nodeId);
  return pipelinedTransaction(pool, prelude, async (db, commit) => {
    let reporting: Promise<JobRecord[]> = Promise.resolve([]);
    if (reports && pipelined) reporting = applyCompletionsAndProgress(db, log.bounds, reports); // issued now: it runs before the read
    else if (reports) reporting = Promise.resolve(await applyReports(db, log, reports)); // statement by statement, all before the read
    // the flags as this transaction sees them, pipelined with the read (no extra round trip): another
    // node's pause committed before it holds this claim, whatever this node's copy says yet
    const [reported, read, stored] = await Promise.all([reporting, categories.length > 0 ? readUsageAndCandidates(db, request, categories) : null, categories.length > 0 ? readQueueFlags(db) : null]);
    if (!read || read.candidates.length === 0) return { started: [], waitingChanged: [], reported };

    const decision = request.decide({ running: { ...read.running }, vramReservedMb: read.vramReservedMb, gpus: read.gpus }, read.candidates, stored ?? undefined);
    const seqOf = new Map(read.candidates.map((c) => [c.id, c.seq]));
    const waits: { seq: number; reason: string }[] = [];
    for (const [id, reason] of decision.waiting) {
      const seq = seqOf.get(id)!;
      const row = read.waitingBySeq.get(seq)!;
      if (row.status === 'queued' && row.reason === reason) continue;
      waits.push({ seq, reason });
    }
    const { now, nodeId } = request;
    const starting = decision.start.length > 0 ? startChosen(db, decision.start, { now, nodeId, leaseMs, bounds: log.bounds }) : Promise.resolve([]);
    const waiting = waits.length > 0 ? writeWaitingReasons(db, waits, now) : Promise.resolve([]);
    commit(); // behind the starts and the reasons: if either fails, the transaction rolls back
    const [startedRows, waitingRows] = await Promise.all([starting, waiting]);
    const started = startedRows.map(rowToJob);
    const contended = started.length < decision.start.length;
    const waitingChanged = waitingRows.map(rowToJob);
    // pending → queued as the locked row was (another node may have written its reason since this read)
    const becameQueued = waitingRows.filter((r) => r.status_before === 'pending').map((r) => r.id);
    return { started, waitingChanged, reported, ...(becameQueued.length > 0 ? { becameQueued } : {}), ...(contended ? { contended } : {}) };
  });
}

/** Writes changed waiting reasons (pending → queued), skipping rows another transaction holds. */
function writeWaitingReasons(db: Queryable, waits: readonly { seq: number; reason: string }[], now: number): Promise<(PgJobRow & { status_before: string })[]> {
  return db
    .query<PgJobRow & { status_before: string }>({
      name: 'mjc-claim-waiting',
      text: WRITE_WAITING_REASONS,
      values: [now, pgArray(waits.map((w) => w.seq)), pgArray(waits.map((w) => pgText(w.reason)))],
    })
    .then((r) => r.rows);
}

/**
 * Marks the chosen jobs running, with their "Started attempt N on node X" log line in the same
 * statement, which also drops the line the log bounds push out (see dropPushedOutLine). Rows are
 * locked in seq order; rows another transaction holds are skipped, and the status is re-checked
 * after the lock (a row another node started is left out). Issued at once.
 */
function startChosen(db: Queryable, chosen: ScheduleResult['start'], at: { now: number; nodeId: string; leaseMs: number; bounds: LogBounds }): Promise<PgJobRow[]> {
  return db
    .query<PgJobRow>({ name: 'mjc-claim-start', text: START_CHOSEN, values: [at.now, at.nodeId, pgArray(chosen.map((s) => s.candidate.seq)), pgArray(chosen.map((s) => s.vramReservedMb)), at.leaseMs, pgText(at.nodeId), at.bounds.headLines, at.bounds.tailLines,
        pgArray(chosen.map((s) => s.gpu?.index ?? null)), pgArray(chosen.map((s) => (s.gpu?.uuid ? pgText(s.gpu.uuid) : null)))] })
    .then((r) => r.rows);
}

/** Of the rows the waiting-reason write changed, those whose status changed (lookAt: pending → queued). */
const LOOKED_AT = appliesTo('lookAt', 'status_before');

const START_CHOSEN = (() => {
  const drop = dropPushedOutLine('s', 7, 8);
  // the lock's row is the one updated, so its status is the status before (which leaves its count:
  // a running job is counted live)
  return `WITH s AS (
         UPDATE jobs SET ${setStatusOf('start')}, started_at = $1, completed_at = NULL, node_id = $2, attempt = jobs.attempt + 1,
           vram_reserved = c.vram, gpu_index = c.gpu_index, gpu_uuid = c.gpu_uuid, waiting_reason = NULL, retry_after = NULL, progress = 0, updated_at = $1, log_lines = jobs.log_lines + 1,
           ${drop.countColumn}, lease_expires_at = mjc_now_ms() + $5
         FROM (SELECT seq, status FROM jobs WHERE seq = ANY($3::bigint[]) ORDER BY seq FOR UPDATE SKIP LOCKED) AS locked,
           unnest($3::bigint[], $4::integer[], $9::integer[], $10::text[]) AS c(seq, vram, gpu_index, gpu_uuid)
         WHERE jobs.seq = locked.seq AND c.seq = locked.seq AND ${appliesTo('start', 'jobs.status')} RETURNING ${jobColumns()}, locked.status AS status_before),
       l AS (INSERT INTO job_logs (job_seq, line, at, text)
         SELECT seq, log_lines, $1, 'Started attempt ' || attempt || ' on node ' || $6
           || CASE WHEN gpu_index IS NOT NULL THEN ' on GPU ' || gpu_index ELSE '' END
           || CASE WHEN vram_reserved > 0 THEN ' (' || vram_reserved || ' MB VRAM reserved)' ELSE '' END FROM s),
       ${drop.deleteCte},
       ${countDeltaCte('counted', 's', 'status_before', -1)}
       SELECT ${jobColumns('s')} FROM s`;
})();

/** Changed waiting reasons; a pending job becomes queued (lookAt; counted like the start, see there). */
const WRITE_WAITING_REASONS = `WITH w AS (
       UPDATE jobs SET ${setStatusOf('lookAt')}, waiting_reason = r.reason, updated_at = $1
       FROM (SELECT seq, status FROM jobs WHERE seq = ANY($2::bigint[]) FOR UPDATE SKIP LOCKED) AS locked,
         unnest($2::bigint[], $3::text[]) AS r(seq, reason)
       WHERE jobs.seq = locked.seq AND r.seq = locked.seq AND ${statusIn(WAITING_STATUSES, 'jobs.status')} RETURNING ${jobColumns()}, locked.status AS status_before),
     ${countDeltaCte('was_pending', 'w', 'status_before', -1, LOOKED_AT)},
     ${countDeltaCte('now_queued', 'w', sqlStatus(targetOf('lookAt')!), 1, LOOKED_AT)}
     SELECT ${jobColumns('w')}, w.status_before FROM w`;
