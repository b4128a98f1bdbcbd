/**
 * The files attempts write in the library before publishing them (`attempt_partials`), and the
 * fence every publishing write shares: the job still runs (or is suspended) in that attempt. One
 * SQLite connection serialises everything, so a fenced statement and a rescue never interleave.
 */
import type Database from 'better-sqlite3';
import type { AttemptFence, AttemptPartial, PartialScope } from '../../core/ports';
import { LIVE_STATUSES } from '../../../shared/domain/statuses';
import { LIVE, statusIn } from '../status-sql';

/**
 * True while the attempt @jobId/@attempt owns its job: running (or suspended) in that attempt, and
 * no cancel asked for (a cancelling attempt only stops and removes its partials, it publishes nothing).
 */
export const SQLITE_FENCE = `EXISTS (SELECT 1 FROM jobs WHERE id = @jobId AND attempt = @attempt AND ${LIVE} AND cancel_requested_at IS NULL)`;

interface PartialRow {
  job_id: string;
  attempt: number;
  path: string;
  node_id: string;
  created_at: number;
}

const ABANDONED = `NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = attempt_partials.job_id AND j.attempt = attempt_partials.attempt
  AND ${statusIn(LIVE_STATUSES, 'j.status')})`;

export class SqlitePartials {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      owns: db.prepare<{ jobId: string; attempt: number }, { owns: number }>(`SELECT ${SQLITE_FENCE} AS owns`),
      record: db.prepare(`INSERT OR IGNORE INTO attempt_partials (job_id, attempt, path, node_id, created_at) VALUES (@jobId, @attempt, @path, @nodeId, @createdAt)`),
      forget: db.prepare('DELETE FROM attempt_partials WHERE job_id = @jobId AND attempt = @attempt AND path = @path'),
      commit: db.prepare(`DELETE FROM attempt_partials WHERE job_id = @jobId AND attempt = @attempt AND path = @path AND ${SQLITE_FENCE}`),
      takeAll: db.prepare<[], PartialRow>(`DELETE FROM attempt_partials WHERE ${ABANDONED} RETURNING *`),
      takeNode: db.prepare<[string], PartialRow>(`DELETE FROM attempt_partials WHERE node_id = ? AND ${ABANDONED} RETURNING *`),
      takeJob: db.prepare<[string], PartialRow>(`DELETE FROM attempt_partials WHERE job_id = ? AND ${ABANDONED} RETURNING *`),
    };
  }

  owns(fence: AttemptFence): boolean {
    return this.stmt.owns.get({ jobId: fence.jobId, attempt: fence.attempt })!.owns === 1;
  }

  record(p: AttemptPartial): void {
    this.stmt.record.run({ jobId: p.jobId, attempt: p.attempt, path: p.path, nodeId: p.nodeId, createdAt: p.createdAt });
  }

  forget(fence: AttemptFence, path: string): void {
    this.stmt.forget.run({ jobId: fence.jobId, attempt: fence.attempt, path });
  }

  /** Forgets the row only while the attempt owns its job; false when fenced. A row already gone (or never recorded) commits too. */
  commit(fence: AttemptFence, path: string): boolean {
    if (!this.owns(fence)) return false;
    this.stmt.commit.run({ jobId: fence.jobId, attempt: fence.attempt, path });
    return true;
  }

  takeAbandoned(scope: PartialScope): AttemptPartial[] {
    return this.db.transaction(() => {
      let rows: PartialRow[];
      if (scope.jobIds) rows = scope.jobIds.flatMap((id) => this.stmt.takeJob.all(id));
      else if (scope.nodeId !== undefined) rows = this.stmt.takeNode.all(scope.nodeId);
      else rows = this.stmt.takeAll.all();
      return rows.map(toPartial);
    })();
  }
}

function toPartial(r: PartialRow): AttemptPartial {
  return { jobId: r.job_id, attempt: r.attempt, path: r.path, nodeId: r.node_id, createdAt: r.created_at };
}
