/**
 * Re-placing a running attempt on another GPU (JobStore.moveAttemptToGpu) on SQLite: the fence
 * check, the read of what this node's live jobs reserve on the target and the write of the new
 * gpu_index/gpu_uuid run in one transaction; one writer per file serialises it with the claims, so
 * no claim can place a job on the target between the check and the write. And giving the GPU up
 * (JobStore.releaseAttemptGpu), when an attempt goes on in software.
 */
import type Database from 'better-sqlite3';
import { encodeCodecOf, moveRefusal, NO_GPU_USE, type GpuMoveResult, type GpuUse } from '../../core/gpu-placement';
import type { GpuMoveRequest, GpuReleaseRequest } from '../../core/ports';
import type { ResourceCategory } from '../../../shared/domain/statuses';
import { addGpuUsage } from '../gpu-usage-rows';
import { LIVE } from '../status-sql';
import { SQLITE_FENCE } from './sqlite-partials';

interface OwnedRow {
  resource_category: string;
  vram_reserved: number;
  gpu_index: number | null;
  params: string | null;
}

export class SqliteGpuMove {
  private readonly tx: (request: GpuMoveRequest) => GpuMoveResult;
  private readonly releaseStatement: Database.Statement;

  constructor(db: Database.Database) {
    const owned = db.prepare<{ jobId: string; attempt: number; nodeId: string }, OwnedRow>(
      `SELECT resource_category, vram_reserved, gpu_index, params FROM jobs WHERE id = @jobId AND node_id = @nodeId AND ${SQLITE_FENCE}`,
    );
    const onTarget = db.prepare<{ nodeId: string; gpu: number; jobId: string }, { resource_category: string; vram_reserved: number }>(
      `SELECT resource_category, vram_reserved FROM jobs WHERE ${LIVE} AND node_id = @nodeId AND gpu_index = @gpu AND id <> @jobId`,
    );
    const move = db.prepare(`UPDATE jobs SET gpu_index = @gpu, gpu_uuid = @uuid, updated_at = @now WHERE id = @jobId AND ${SQLITE_FENCE}`);
    this.releaseStatement = db.prepare(
      `UPDATE jobs SET gpu_index = NULL, gpu_uuid = NULL, vram_reserved = 0, updated_at = @now
        WHERE id = @jobId AND node_id = @nodeId AND ${SQLITE_FENCE} AND (gpu_index IS NOT NULL OR vram_reserved > 0)`,
    );
    this.tx = db.transaction((r: GpuMoveRequest): GpuMoveResult => {
      const fence = { jobId: r.fence.jobId, attempt: r.fence.attempt };
      const row = owned.get({ ...fence, nodeId: r.nodeId });
      if (!row) return { moved: false, reason: 'the attempt no longer owns its job' };
      const use: Record<number, GpuUse> = {};
      for (const u of onTarget.all({ nodeId: r.nodeId, gpu: r.target.index, jobId: r.fence.jobId })) addGpuUsage(use, r.target.index, u.resource_category as ResourceCategory, 1, u.vram_reserved);
      const job = { category: row.resource_category as ResourceCategory, vramReserved: row.vram_reserved, gpuIndex: row.gpu_index, codec: encodeCodecOf(row.params) };
      const refusal = moveRefusal(r.target, job, use[r.target.index] ?? NO_GPU_USE, r.localUse);
      if (refusal !== null) return { moved: false, reason: refusal };
      move.run({ ...fence, gpu: r.target.index, uuid: r.target.uuid, now: r.now });
      return { moved: true, gpuIndex: r.target.index, gpuUuid: r.target.uuid };
    });
  }

  move(request: GpuMoveRequest): GpuMoveResult {
    return this.tx(request);
  }

  /** JobStore.releaseAttemptGpu: one fenced write (freeing capacity needs no check against the claims). */
  release(request: GpuReleaseRequest): boolean {
    return this.releaseStatement.run({ jobId: request.fence.jobId, attempt: request.fence.attempt, nodeId: request.nodeId, now: request.now }).changes > 0;
  }
}
