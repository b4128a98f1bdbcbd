/** SegmentStore on SQLite (one writer per file: the transaction alone makes the hand-off atomic). */
import type Database from 'better-sqlite3';
import type { AttemptFence, JobRecord, NewJob } from '../../core/ports';
import type { HandOff, SegmentStore } from '../../core/segment-ports';
import { appliesTo } from '../status-sql';
import { insertJobRows } from './sqlite-bulk-insert';
import { rowToJob, type JobRow } from './job-rows';
import { groupByParent } from '../segment-sql';

const CHILD = "type IN ('encode_chunk', 'encode_audio')";
const ENDED = "status IN ('completed', 'failed', 'cancelled')";

export class SqliteSegmentStore implements SegmentStore {
  readonly shared = false;
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      children: db.prepare<[string], JobRow>(`SELECT * FROM jobs WHERE parent_job_id = ? AND ${CHILD} ORDER BY seq`),
      childrenOf: db.prepare<[string], JobRow>(`SELECT * FROM jobs WHERE parent_job_id IN (SELECT value FROM json_each(?)) AND ${CHILD} ORDER BY seq`),
      running: db.prepare<[string, number], { seq: number }>(`SELECT seq FROM jobs WHERE id = ? AND attempt = ? AND ${appliesTo('complete')} AND cancel_requested_at IS NULL`),
      pending: db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM jobs WHERE parent_job_id = ? AND ${CHILD} AND NOT ${ENDED}`),
      wait: db.prepare('UPDATE jobs SET children_pending = ?, waiting_reason = ? WHERE seq = ?'),
      priority: db.prepare<[number, number, string, number], JobRow>(`UPDATE jobs SET priority = ?, updated_at = ? WHERE parent_job_id = ? AND ${CHILD} AND NOT ${ENDED} AND priority <> ? RETURNING *`),
      scenes: db.prepare<[string], { start_s: number }>('SELECT start_s FROM video_scenes WHERE video_id = ? AND idx > 0 ORDER BY start_s'),
    };
  }

  async children(parentJobId: string): Promise<JobRecord[]> {
    return this.stmt.children.all(parentJobId).map(rowToJob);
  }

  async childrenOf(parentJobIds: readonly string[]): Promise<Map<string, JobRecord[]>> {
    return groupByParent(parentJobIds.length === 0 ? [] : this.stmt.childrenOf.all(JSON.stringify(parentJobIds)).map(rowToJob));
  }

  async setPartsPriority(parentJobId: string, priority: number, at: number): Promise<JobRecord[]> {
    return this.stmt.priority.all(priority, at, parentJobId, priority).map(rowToJob);
  }

  async sceneCuts(videoId: string): Promise<number[]> {
    return this.stmt.scenes.all(videoId).map((r) => r.start_s);
  }

  async handOff(parent: AttemptFence, children: readonly NewJob[], waitingReason: string): Promise<HandOff> {
    return this.db.transaction((): HandOff => {
      const row = this.stmt.running.get(parent.jobId, parent.attempt);
      if (!row) return { applied: false, pending: 0 };
      insertJobRows(this.db, children);
      const pending = this.stmt.pending.get(parent.jobId)!.n;
      this.stmt.wait.run(pending, waitingReason, row.seq);
      return { applied: true, pending };
    })();
  }
}
