/**
 * The claim's read on PostgreSQL, in ONE statement (one round trip, without locks): this node's
 * usage, then per category
 * 1. the best-ranked waiting jobs, up to the request's lookahead (free slots + a few);
 * 2. for each category whose jobs reserve VRAM here and has a free slot (request.fitting): the
 *    best-ranked waiting jobs that fit the VRAM free now (the budget minus the larger of this
 *    process's and the database's view of this node's reservations), however deep they rank: any
 *    number of higher-ranked jobs that do not fit cannot hide one that does;
 * 3. when (2) found some: per category the best-ranked job that waited past the starvation guard,
 *    fits the budget but not the free VRAM, and ranks above the last job of (2); the scheduler holds
 *    its VRAM, so the smaller ones do not jump it (one is enough: a held job needs more than is
 *    free, so nothing needing VRAM ranked below it starts).
 * (2) and (3) walk the distinct vram_required values of the category (a recursive CTE, one probe of
 * jobs_waiting_vram each) and take the best-ranked rows of each value from the same index: a few
 * index probes whatever the queue's depth. Statuses and categories are inlined literals (the index
 * predicates must be provable under the generic plans the claim uses).
 */
import { RESOURCE_CATEGORIES, type ResourceCategory } from '../../../shared/domain/statuses';
import { GPU_CATEGORIES } from '../../core/capacity';
import type { ClaimRequest, FittingRead } from '../../core/ports';
import type { Candidate } from '../../core/scheduler';
import type { GpuUse } from '../../core/gpu-placement';
import { addGpuUsage, candidateGpuRequest } from '../gpu-usage-rows';
import { appliesTo, categoryIn, sqlCategory, WAITING } from '../status-sql';
import { LIVE_JOB } from './pg-count-rules';
import type { Queryable } from './pg-db';

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
  gpu_params: string | null;
  type: string | null;
}

/** What the claim read: this node's usage and the candidates with their current waiting state. */
export interface ClaimRead {
  readonly running: Record<ResourceCategory, number>;
  readonly vramReservedMb: number;
  /** Per GPU index, what this node's live jobs placed there hold. */
  readonly gpus: Record<number, GpuUse>;
  readonly candidates: Candidate[];
  readonly waitingBySeq: Map<number, { status: string; reason: string | null }>;
}

/** A candidate's params only when they may name a GPU (`gpu`, `gpuModel`) or an encode's codec (per-GPU NVENC probe): most jobs send nothing more. */
const GPU_PARAMS = `CASE WHEN strpos(params, '"gpu') > 0 OR strpos(params, '"codec"') > 0 THEN params END`;
/** A segmented encode's parent waits for its chunk jobs without being a candidate (#20). */
const NO_CHILDREN_PENDING = 'children_pending = 0';

const CANDIDATE_COLUMNS = `seq, id, priority, vram_required, enqueued_at, status, waiting_reason, ${GPU_PARAMS} AS gpu_params, type`;
const candidateRow = (category: string, from: string) =>
  `SELECT 'candidate', ${category}, NULL::integer, NULL::float8, seq, id, priority, vram_required, enqueued_at, status, waiting_reason, ${from === 'jobs' ? GPU_PARAMS : 'gpu_params'}, type FROM ${from}`;

/** The statement's text for these lookahead and fitting categories; `p` numbers the parameters. */
function claimReadSql(categories: readonly ResourceCategory[], fitting: readonly ResourceCategory[], p: Params): string {
  // a usage row's priority column carries the GPU index its jobs were placed on (null: none)
  const usage = `SELECT 'usage' AS kind, resource_category, count(*)::integer AS n, coalesce(sum(vram_reserved), 0)::float8 AS vram,
      NULL::bigint AS seq, NULL::text AS id, gpu_index AS priority, NULL::integer AS vram_required, NULL::bigint AS enqueued_at,
      NULL::text AS status, NULL::text AS waiting_reason, NULL::text AS gpu_params, NULL::text AS type
    FROM jobs WHERE ${LIVE_JOB} AND node_id = $1 GROUP BY resource_category, gpu_index`;
  const perCategory = categories.map(
    (c) => `(${candidateRow('resource_category', 'jobs')} WHERE ${appliesTo('start')} AND resource_category = ${p.add(c)} AND (retry_after IS NULL OR retry_after <= $2) AND ${NO_CHILDREN_PENDING}
      ORDER BY priority, seq LIMIT ${p.add(`lookahead:${c}`)})`,
  );
  if (fitting.length === 0) return [usage, ...perCategory].join(' UNION ALL ');

  const budget = p.add('budget');
  const due = `(retry_after IS NULL OR retry_after <= $2) AND ${NO_CHILDREN_PENDING}`;
  const ctes = [
    `node_usage AS (${usage})`,
    // a job that reserves nothing always fits (the scheduler starts it whatever is free)
    `free AS (SELECT ${budget}::float8 - greatest(${p.add('local')}::float8, coalesce(sum(vram), 0)) AS mb FROM node_usage)`,
  ];
  const reads: string[] = [];
  for (const c of fitting) {
    const of = `${WAITING} AND ${categoryIn(GPU_CATEGORIES)} AND resource_category = ${sqlCategory(c)}`;
    const limit = p.add(`fitting:${c}`);
    ctes.push(
      `v_${c}(mb) AS ((SELECT vram_required FROM jobs WHERE ${of} ORDER BY vram_required LIMIT 1)
        UNION ALL SELECT (SELECT vram_required FROM jobs WHERE ${of} AND vram_required > v.mb ORDER BY vram_required LIMIT 1)
        FROM v_${c} v WHERE v.mb <= ${budget})`,
      `b_${c} AS (SELECT j.* FROM v_${c} v CROSS JOIN LATERAL (SELECT ${CANDIDATE_COLUMNS} FROM jobs
          WHERE ${of} AND vram_required = v.mb AND ${due} ORDER BY priority, seq LIMIT ${limit}) j
        WHERE v.mb = 0 OR v.mb <= (SELECT mb FROM free) ORDER BY j.priority, j.seq LIMIT ${limit})`,
    );
    reads.push(`b_${c}`);
  }
  // the rank bound of (3) as two scalars, so that it bounds the index scan instead of filtering it
  ctes.push(`b_last AS (SELECT priority, seq FROM (${reads.map((r) => `SELECT priority, seq FROM ${r}`).join(' UNION ALL ')}) b ORDER BY priority DESC, seq DESC LIMIT 1)`);
  const since = p.add('since');
  for (const c of fitting) {
    const of = `${WAITING} AND ${categoryIn(GPU_CATEGORIES)} AND resource_category = ${sqlCategory(c)}`;
    ctes.push(
      `c_${c} AS (SELECT j.* FROM v_${c} v CROSS JOIN LATERAL (SELECT ${CANDIDATE_COLUMNS} FROM jobs
          WHERE ${of} AND vram_required = v.mb AND ${due} AND enqueued_at <= ${since} AND (priority, seq) < ((SELECT priority FROM b_last), (SELECT seq FROM b_last))
          ORDER BY priority, seq LIMIT 1) j
        WHERE v.mb > 0 AND v.mb > (SELECT mb FROM free) AND v.mb <= ${budget} ORDER BY j.priority, j.seq LIMIT 1)`,
    );
    reads.push(`c_${c}`);
  }
  const fitted = reads.map((r) => candidateRow(sqlCategory(r.slice(2) as ResourceCategory), r));
  return `WITH RECURSIVE ${ctes.join(',\n')}\n${['SELECT * FROM node_usage', ...perCategory, ...fitted].join(' UNION ALL ')}`;
}

/** Numbers the statement's parameters ($1 node id, $2 now) and collects their values. */
class Params {
  readonly keys: string[] = [];
  add(key: string): string {
    this.keys.push(key);
    return `$${this.keys.length + 2}`;
  }
}

/** Issues the read at once (its place in the pipeline is fixed when this is called). */
export function readUsageAndCandidates(db: Queryable, request: ClaimRequest, categories: readonly ResourceCategory[]): Promise<ClaimRead> {
  const { nodeId, now } = request;
  const fitting = fittingCategories(request.fitting);
  const p = new Params();
  const text = claimReadSql(categories, fitting, p);
  const values = [nodeId, now, ...p.keys.map((key) => paramValue(key, request))];
  const name = `mjc-claim-read-${categories.join('-')}${fitting.length > 0 ? `-fit-${fitting.join('-')}` : ''}`;
  return db.query<UsageOrCandidateRow>({ name, text, values }).then(({ rows }) => {
    const running = { cpu: 0, gpu_encode: 0, gpu_ai: 0 } as Record<ResourceCategory, number>;
    let vramReservedMb = 0;
    const gpus: Record<number, GpuUse> = {};
    const waitingBySeq = new Map<number, { status: string; reason: string | null }>();
    const candidates: Candidate[] = [];
    for (const row of rows) {
      const category = row.resource_category as ResourceCategory;
      if (row.kind === 'usage') {
        running[category] += row.n!;
        vramReservedMb += row.vram!;
        if (row.priority !== null) addGpuUsage(gpus, row.priority, category, row.n!, row.vram!);
        continue;
      }
      const seq = Number(row.seq);
      if (waitingBySeq.has(seq)) continue; // read by more than one of the reads
      waitingBySeq.set(seq, { status: row.status!, reason: row.waiting_reason });
      candidates.push({ id: row.id!, seq, category, priority: row.priority!, vramRequired: row.vram_required!, waitingSince: Number(row.enqueued_at), ...candidateGpuRequest(row.gpu_params, row.type!, category) });
    }
    return { running, vramReservedMb, gpus, candidates, waitingBySeq };
  });
}

/** The GPU categories the fitting read names (the index covers those only), in a fixed order. */
function fittingCategories(fitting: FittingRead | undefined): ResourceCategory[] {
  if (!fitting) return [];
  return RESOURCE_CATEGORIES.filter((c) => GPU_CATEGORIES.includes(c) && (fitting.lookahead[c] ?? 0) > 0);
}

function paramValue(key: string, request: ClaimRequest): unknown {
  const [kind, category] = key.split(':') as [string, ResourceCategory | undefined];
  const fitting = request.fitting;
  switch (kind) {
    case 'lookahead':
      return request.lookahead[category!];
    case 'fitting':
      return fitting!.lookahead[category!];
    case 'budget':
      return fitting!.vramBudgetMb;
    case 'local':
      return fitting!.localReservedMb;
    case 'since':
      return fitting!.starvingSince;
    default:
      return key; // a category
  }
}
