/**
 * Claiming on SQLite, inside the caller's transaction (one writer per file, so the read, the
 * decision and the starts are atomic without locks).
 *
 * What the scheduler is shown, per category:
 * 1. the best-ranked waiting jobs, up to the request's lookahead (free slots + a few);
 * 2. for each category whose jobs reserve VRAM here and has a free slot (request.fitting): the
 *    best-ranked waiting jobs that fit the VRAM free now, however deep they rank, so that any
 *    number of higher-ranked jobs that do not fit cannot hide one that does (no head-of-line
 *    blocking at any depth);
 * 3. and, when (2) found some, the best-ranked job that waited past the starvation guard, fits the
 *    budget but not the free VRAM, and ranks above the last of them: the scheduler holds its VRAM,
 *    so the smaller ones found in (2) do not jump it. One per category is enough: a held job needs
 *    more than is free, so nothing needing VRAM ranked below it can start anyway.
 * (2) and (3) read jobs_waiting_vram (category, vram_required, priority, seq) one distinct
 * vram_required value at a time: a few index probes whatever the queue's depth.
 */
import type Database from 'better-sqlite3';
import { RESOURCE_CATEGORIES, type ResourceCategory } from '../../../shared/domain/statuses';
import { GPU_CATEGORIES } from '../../core/capacity';
import type { ClaimRequest, ClaimResult, FittingRead, JobRecord, QueueFlags } from '../../core/ports';
import type { Candidate } from '../../core/scheduler';
import { addGpuUsage, candidateGpuRequest } from '../gpu-usage-rows';
import type { GpuUse } from '../../core/gpu-placement';
import { appliesTo, categoryIn, LIVE, setStatusOf, sqlCategory, WAITING } from '../status-sql';
import type { BoundedLogWriter } from './bounded-log';
import { rowToJob, type JobRow } from './job-rows';
import { LimitedStatements } from './limited-statements';

/** The rows a category's VRAM reads come from: the predicate of the jobs_waiting_vram index, term for term. */
const VRAM_INDEXED = `${WAITING} AND ${categoryIn(GPU_CATEGORIES)}`;
// a segmented encode's parent waits for its chunk jobs without being a candidate (#20)
const DUE = '(retry_after IS NULL OR retry_after <= @now) AND children_pending = 0';

interface VramStatements {
  readonly nextValue: Database.Statement<[{ above: number }], { v: number }>;
  readonly fitting: LimitedStatements<[{ vram: number; now: number }], JobRow>;
  readonly starving: Database.Statement<[{ vram: number; now: number; since: number; priority: number; seq: number }], JobRow>;
}

export class SqliteClaim {
  private readonly stmt;
  private readonly vram = new Map<ResourceCategory, VramStatements>();

  constructor(
    private readonly db: Database.Database,
    private readonly log: BoundedLogWriter,
    /** The queue flags as stored, read inside the claim (see claim). */
    private readonly storedFlags: () => QueueFlags,
  ) {
    this.stmt = {
      // the node's live jobs one row each, summed here: a node runs few at a time, and a GROUP BY
      // built a temporary b-tree at every claim (~20 µs against ~4 µs for the rows alone)
      usage: db.prepare<[string], { resource_category: string; gpu_index: number | null; vram_reserved: number }>(
        `SELECT resource_category, gpu_index, vram_reserved FROM jobs WHERE ${LIVE} AND node_id = ?`),
      // one statement per category and LIMIT, both written in: SQLite re-prepares a statement whose
      // bound value decides whether a partial index applies (jobs_waiting_vram names categories), and
      // (SQLite 3.54) one whose LIMIT is a bound parameter, at every run: ~20 µs for a SELECT * even
      // when it finds nothing, three reads a claim (a third of a claim's statements at cpu limit 1)
      candidates: new Map(
        RESOURCE_CATEGORIES.map((category) => [
          category,
          new LimitedStatements<[number], JobRow>(
            db,
            (limit) => `SELECT * FROM jobs WHERE ${appliesTo('start')} AND resource_category = ${sqlCategory(category)}
               AND (retry_after IS NULL OR retry_after <= ?) AND children_pending = 0 ORDER BY priority, seq LIMIT ${limit}`,
          ),
        ]),
      ),
      start: db.prepare(`UPDATE jobs SET ${setStatusOf('start')}, started_at = @now, completed_at = NULL, node_id = @nodeId,
        attempt = attempt + 1, vram_reserved = @vram, gpu_index = @gpuIndex, gpu_uuid = @gpuUuid, waiting_reason = NULL, retry_after = NULL, progress = 0, updated_at = @now,
        log_lines = log_lines + 1
        WHERE seq = @seq AND ${appliesTo('start')} RETURNING *`),
      // pending → queued (lookAt), or a queued job's reason explained again
      wait: db.prepare(`UPDATE jobs SET ${setStatusOf('lookAt')}, waiting_reason = @reason, updated_at = @now WHERE seq = @seq AND ${WAITING}`),
    };
    for (const category of GPU_CATEGORIES) {
      const of = `${VRAM_INDEXED} AND resource_category = ${sqlCategory(category)}`;
      this.vram.set(category, {
        nextValue: db.prepare(`SELECT vram_required AS v FROM jobs WHERE ${of} AND vram_required > @above ORDER BY vram_required LIMIT 1`),
        fitting: new LimitedStatements(db, (limit) => `SELECT * FROM jobs WHERE ${of} AND vram_required = @vram AND ${DUE} ORDER BY priority, seq LIMIT ${limit}`),
        starving: db.prepare(
          `SELECT * FROM jobs WHERE ${of} AND vram_required = @vram AND ${DUE} AND enqueued_at <= @since
             AND (priority, seq) < (@priority, @seq) ORDER BY priority, seq LIMIT 1`,
        ),
      });
    }
  }

  claim(request: ClaimRequest): Omit<ClaimResult, 'reported'> {
    const { nodeId, now } = request;
    const running = { cpu: 0, gpu_encode: 0, gpu_ai: 0 } as Record<ResourceCategory, number>;
    let vramReservedMb = 0;
    const gpus: Record<number, GpuUse> = {};
    for (const u of this.stmt.usage.all(nodeId)) {
      running[u.resource_category as ResourceCategory] += 1;
      vramReservedMb += u.vram_reserved;
      if (u.gpu_index !== null) addGpuUsage(gpus, u.gpu_index, u.resource_category as ResourceCategory, 1, u.vram_reserved);
    }
    const rows = new Map<number, JobRow>();
    for (const category of RESOURCE_CATEGORIES) {
      for (const row of this.stmt.candidates.get(category)!.get(request.lookahead[category]).all(now)) rows.set(row.seq, row);
    }
    if (request.fitting) for (const row of this.vramReads(request.fitting, vramReservedMb, now)) rows.set(row.seq, row);
    if (rows.size === 0) return { started: [], waitingChanged: [] };
    const candidates: Candidate[] = [...rows.values()].map((row) => ({
      id: row.id,
      seq: row.seq,
      category: row.resource_category as ResourceCategory,
      priority: row.priority,
      vramRequired: row.vram_required,
      waitingSince: row.enqueued_at,
      ...candidateGpuRequest(row.params, row.type, row.resource_category),
    }));
    // the flags as stored hold the claim as on PostgreSQL: a pause written a moment ago, before this
    // process's copy of the flags (the dispatcher's capacity) caught up, is obeyed all the same
    const decision = request.decide({ running, vramReservedMb, gpus }, candidates, this.storedFlags());
    const started: JobRecord[] = [];
    for (const { candidate, vramReservedMb: vram, gpu } of decision.start) {
      const row = this.stmt.start.get({ seq: candidate.seq, now, nodeId, vram, gpuIndex: gpu?.index ?? null, gpuUuid: gpu?.uuid ?? null }) as JobRow | undefined;
      if (!row) continue;
      this.log.writeCounted(row.seq, row.log_lines, now, `Started attempt ${row.attempt} on node ${nodeId}${gpu ? ` on GPU ${gpu.index}` : ''}${vram > 0 ? ` (${vram} MB VRAM reserved)` : ''}`);
      started.push(rowToJob(row));
    }
    const seqOf = new Map(candidates.map((c) => [c.id, c.seq]));
    const waitingChanged: JobRecord[] = [];
    const becameQueued: string[] = [];
    for (const [id, reason] of decision.waiting) {
      const seq = seqOf.get(id)!;
      const row = rows.get(seq)!;
      if (row.status === 'queued' && row.waiting_reason === reason) continue;
      this.stmt.wait.run({ seq, reason, now });
      if (row.status !== 'queued') becameQueued.push(id);
      waitingChanged.push(rowToJob({ ...row, status: 'queued', waiting_reason: reason, updated_at: now }));
    }
    return becameQueued.length > 0 ? { started, waitingChanged, becameQueued } : { started, waitingChanged };
  }

  /** Reads (2) and (3) of the header, for the categories `fitting` names. */
  private vramReads(fitting: FittingRead, storeReservedMb: number, now: number): JobRow[] {
    const freeMb = fitting.vramBudgetMb - Math.max(fitting.localReservedMb, storeReservedMb);
    // a job that reserves nothing always fits (the scheduler starts it whatever is free)
    const fits = (v: number) => v === 0 || v <= freeMb;
    const reads = [...this.vram].filter(([category]) => (fitting.lookahead[category] ?? 0) > 0);
    const values = new Map(reads.map(([category, s]) => [category, this.distinctValues(s, fitting.vramBudgetMb)]));
    const found: JobRow[] = [];
    for (const [category, s] of reads) {
      const limit = fitting.lookahead[category]!;
      const rows = values.get(category)!.filter(fits).flatMap((vram) => s.fitting.get(limit).all({ vram, now }));
      found.push(...rows.sort(byRank).slice(0, limit));
    }
    if (found.length === 0) return found;
    const last = found.reduce((worst, r) => (byRank(r, worst) > 0 ? r : worst));
    for (const [category, s] of reads) {
      const held = values
        .get(category)!
        .filter((v) => !fits(v))
        .flatMap((vram) => s.starving.all({ vram, now, since: fitting.starvingSince, priority: last.priority, seq: last.seq }));
      if (held.length > 0) found.push(held.sort(byRank)[0]!);
    }
    return found;
  }

  /** The distinct vram_required values of a category's waiting jobs up to `maxMb`, ascending (one index probe each). */
  private distinctValues(s: VramStatements, maxMb: number): number[] {
    const values: number[] = [];
    for (let above = -1; ; ) {
      const next = s.nextValue.get({ above });
      if (!next || next.v > maxMb) return values;
      values.push(next.v);
      above = next.v;
    }
  }
}

function byRank(a: JobRow, b: JobRow): number {
  return a.priority - b.priority || a.seq - b.seq;
}
