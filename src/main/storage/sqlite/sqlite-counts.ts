/**
 * The store-wide job counts (GET /api/jobs/stats, /api/system): per status, type and category from
 * the job_buckets totals, with the processing-time totals, reserved VRAM and segmented parents.
 * Split from sqlite-job-store.ts.
 */
import type Database from 'better-sqlite3';
import type { JobStatus, ResourceCategory } from '../../../shared/domain/statuses';
import { JOB_STATUSES } from '../../../shared/domain/statuses';
import { isSegmentChild, type JobType } from '../../../shared/domain/job-types';
import type { StatusCounts } from '../../core/ports';
import { PARENTS_WITH_LIVE_PARTS } from '../segment-sql';
import { LIVE } from '../status-sql';

export class SqliteCounts {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      // the counts, and the processing-time totals that completed rows (and bucket -1) carry
      counters: db.prepare<[], { type: string; status: string; resource_category: string; n: number; timed: number; timed_ms: number }>(
        'SELECT type, status, resource_category, sum(n) AS n, sum(timed) AS timed, sum(timed_ms) AS timed_ms FROM job_buckets GROUP BY type, status',
      ),
      vramReserved: db.prepare<[], { v: number }>(`SELECT coalesce(sum(vram_reserved), 0) AS v FROM jobs WHERE ${LIVE}`),
      liveParents: db.prepare<[], { status: string; n: number }>(PARENTS_WITH_LIVE_PARTS),
    };
  }

  count(): StatusCounts {
    return this.db.transaction(() => {
      const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
      const partsByStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
      const byType: Partial<Record<JobType, number>> = {};
      const runningByCategory: Record<ResourceCategory, number> = { cpu: 0, gpu_encode: 0, gpu_ai: 0 };
      const totals = { completed: 0, totalMs: 0 };
      for (const { type, status, resource_category, n, timed, timed_ms } of this.stmt.counters.all()) {
        // a segmented encode's parts: their parent's processing time counts, not theirs (#20)
        const part = isSegmentChild(type);
        if (!part) {
          totals.completed += timed;
          totals.totalMs += timed_ms;
        }
        if (n === 0) continue;
        if (status === 'running') runningByCategory[resource_category as ResourceCategory] += n;
        byStatus[status as JobStatus] += n;
        if (part) partsByStatus[status as JobStatus] += n;
        byType[type as JobType] = (byType[type as JobType] ?? 0) + n;
      }
      const parentsWithLiveParts: Partial<Record<JobStatus, number>> = {};
      for (const { status, n } of this.stmt.liveParents.all()) parentsWithLiveParts[status as JobStatus] = n;
      return {
        byStatus,
        partsByStatus,
        parentsWithLiveParts,
        byType,
        runningByCategory,
        vramReservedMb: this.stmt.vramReserved.get()!.v,
        averageProcessingSeconds: totals.completed === 0 ? 0 : totals.totalMs / totals.completed / 1000,
      };
    })();
  }
}
