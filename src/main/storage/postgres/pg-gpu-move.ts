/**
 * Re-placing a running attempt on another GPU (JobStore.moveAttemptToGpu) on PostgreSQL, in one
 * transaction holding this node's claim lock (pg-claim.ts lockNodeSql), so no claim of this node
 * places a job on the target between the check and the write: the job row is read under the
 * attempt's fence (live in this attempt, lease not run out in the database's clock, no cancel asked
 * for) and locked, what this node's live jobs reserve on the target is read, and the new
 * gpu_index/gpu_uuid are written only when moveRefusal (core/gpu-placement.ts) finds room.
 */
import { encodeCodecOf, moveRefusal, NO_GPU_USE, type GpuMoveResult, type GpuUse } from '../../core/gpu-placement';
import type { GpuMoveRequest, GpuReleaseRequest } from '../../core/ports';
import type { ResourceCategory } from '../../../shared/domain/statuses';
import { addGpuUsage } from '../gpu-usage-rows';
import { lockNodeSql } from './pg-claim';
import { LIVE_JOB } from './pg-count-rules';
import { inTransaction, type Pool } from './pg-db';

const OWNED = `SELECT resource_category, vram_reserved::float8 AS vram_reserved, gpu_index, params::text AS params FROM jobs
  WHERE id = $1 AND attempt = $2 AND node_id = $3 AND ${LIVE_JOB} AND lease_expires_at > mjc_now_ms() AND cancel_requested_at IS NULL FOR UPDATE`;
const ON_TARGET = `SELECT resource_category, vram_reserved::float8 AS vram_reserved FROM jobs WHERE ${LIVE_JOB} AND node_id = $1 AND gpu_index = $2 AND id <> $3`;

/**
 * JobStore.releaseAttemptGpu: the attempt goes on in software; one write under the same fence as a
 * move (freeing capacity needs no lock against the claims).
 */
export async function releaseAttemptGpu(pool: Pool, r: GpuReleaseRequest): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE jobs SET gpu_index = NULL, gpu_uuid = NULL, vram_reserved = 0, updated_at = $4
      WHERE id = $1 AND attempt = $2 AND node_id = $3 AND ${LIVE_JOB} AND lease_expires_at > mjc_now_ms() AND cancel_requested_at IS NULL
        AND (gpu_index IS NOT NULL OR vram_reserved > 0)`,
    [r.fence.jobId, r.fence.attempt, r.nodeId, r.now],
  );
  return (rowCount ?? 0) > 0;
}

export async function moveAttemptToGpu(pool: Pool, r: GpuMoveRequest): Promise<GpuMoveResult> {
  return inTransaction(
    pool,
    async (db): Promise<GpuMoveResult> => {
      const { rows } = await db.query<{ resource_category: string; vram_reserved: number; gpu_index: number | null; params: string | null }>(OWNED, [r.fence.jobId, r.fence.attempt, r.nodeId]);
      const row = rows[0];
      if (!row) return { moved: false, reason: 'the attempt no longer owns its job' };
      const use: Record<number, GpuUse> = {};
      const there = await db.query<{ resource_category: string; vram_reserved: number }>(ON_TARGET, [r.nodeId, r.target.index, r.fence.jobId]);
      for (const u of there.rows) addGpuUsage(use, r.target.index, u.resource_category as ResourceCategory, 1, Number(u.vram_reserved));
      const job = { category: row.resource_category as ResourceCategory, vramReserved: Number(row.vram_reserved), gpuIndex: row.gpu_index, codec: encodeCodecOf(row.params) };
      const refusal = moveRefusal(r.target, job, use[r.target.index] ?? NO_GPU_USE, r.localUse);
      if (refusal !== null) return { moved: false, reason: refusal };
      await db.query('UPDATE jobs SET gpu_index = $2, gpu_uuid = $3, updated_at = $4 WHERE id = $1', [r.fence.jobId, r.target.index, r.target.uuid, r.now]);
      return { moved: true, gpuIndex: r.target.index, gpuUuid: r.target.uuid };
    },
    '',
    lockNodeSql(r.nodeId),
  );
}
