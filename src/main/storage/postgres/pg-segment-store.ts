/**
 * SegmentStore on PostgreSQL (#20). The hand-off locks the parent's row first, then counts its
 * unfinished children in a later statement (a fresh snapshot under READ COMMITTED): a child ending
 * on another node either committed before the lock (counted as ended) or decrements after this
 * commit (its trigger waits for the parent's row), so each ending is counted exactly once.
 * The insert is the job store's (same columns; the count trigger counts the new rows).
 */
import type { WakeNotifier } from './pg-wake';
import type { AttemptFence, JobRecord, NewJob } from '../../core/ports';
import type { HandOff, SegmentStore } from '../../core/segment-ports';
import { appliesTo } from '../status-sql';
import { inTransaction, type Pool } from './pg-db';
import { rowToJob, type PgJobRow } from './pg-rows';
import { groupByParent } from '../segment-sql';

const CHILD = "type IN ('encode_chunk', 'encode_audio')";

export class PostgresSegmentStore implements SegmentStore {
  readonly shared = true;

  constructor(
    private readonly pool: Pool,
    private readonly wake?: WakeNotifier,
  ) {}

  async children(parentJobId: string): Promise<JobRecord[]> {
    const { rows } = await this.pool.query<PgJobRow>(`SELECT * FROM jobs WHERE parent_job_id = $1 AND ${CHILD} ORDER BY seq`, [parentJobId]);
    return rows.map(rowToJob);
  }

  async childrenOf(parentJobIds: readonly string[]): Promise<Map<string, JobRecord[]>> {
    if (parentJobIds.length === 0) return new Map();
    const { rows } = await this.pool.query<PgJobRow>(`SELECT * FROM jobs WHERE parent_job_id = ANY($1::text[]) AND ${CHILD} ORDER BY seq`, [parentJobIds]);
    return groupByParent(rows.map(rowToJob));
  }

  async setPartsPriority(parentJobId: string, priority: number, at: number): Promise<JobRecord[]> {
    const { rows } = await this.pool.query<PgJobRow>(
      `UPDATE jobs SET priority = $2, updated_at = $3 WHERE parent_job_id = $1 AND ${CHILD} AND status NOT IN ('completed', 'failed', 'cancelled') AND priority <> $2 RETURNING *`,
      [parentJobId, priority, at],
    );
    return rows.map(rowToJob);
  }

  async sceneCuts(videoId: string): Promise<number[]> {
    const { rows } = await this.pool.query<{ start_s: number }>('SELECT start_s FROM video_scenes WHERE video_id = $1 AND idx > 0 ORDER BY start_s', [videoId]);
    return rows.map((r) => Number(r.start_s));
  }

  async handOff(parent: AttemptFence, children: readonly NewJob[], waitingReason: string): Promise<HandOff> {
    const result = await inTransaction(this.pool, async (c) => {
      const locked = await c.query<{ seq: string }>(`SELECT seq FROM jobs WHERE id = $1 AND attempt = $2 AND ${appliesTo('complete')} AND cancel_requested_at IS NULL FOR UPDATE`, [parent.jobId, parent.attempt]);
      if (locked.rows.length === 0) return { applied: false, pending: 0 };
      if (children.length > 0) {
        const col = <T>(f: (j: NewJob) => T) => children.map(f);
        await c.query(
          `INSERT INTO jobs (id, type, status, params, priority, resource_category, vram_required, max_retries, created_at, enqueued_at, updated_at, created_by, pipeline_run_id, parent_job_id)
           SELECT id, type, 'pending', params, priority, resource_category, vram_required, max_retries, created_at, created_at, created_at, created_by, pipeline_run_id, parent_job_id
           FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[], $7::integer[], $8::bigint[], $9::text[], $10::text[], $11::text[])
             WITH ORDINALITY AS j(id, type, params, priority, resource_category, vram_required, max_retries, created_at, created_by, pipeline_run_id, parent_job_id, ord)
           ORDER BY ord`,
          [
            col((j) => j.id), col((j) => j.type), col((j) => JSON.stringify(j.params)), col((j) => j.priority), col((j) => j.resourceCategory), col((j) => j.vramRequired),
            col((j) => j.maxRetries), col((j) => j.createdAt), col((j) => j.createdBy), col((j) => j.pipelineRunId ?? null), col((j) => j.parentJobId ?? null),
          ],
        );
      }
      const pending = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE parent_job_id = $1 AND ${CHILD} AND status NOT IN ('completed', 'failed', 'cancelled')`, [parent.jobId])).rows[0]!.n);
      await c.query('UPDATE jobs SET children_pending = $2, waiting_reason = $3 WHERE seq = $1', [locked.rows[0]!.seq, pending, waitingReason]);
      return { applied: true, pending };
    });
    // the other nodes claim the new parts too
    if (result.applied && children.length > 0) this.wake?.notify('work');
    return result;
  }
}
