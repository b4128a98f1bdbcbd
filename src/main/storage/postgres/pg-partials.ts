/**
 * The files attempts write in the shared library before publishing them (`attempt_partials`), and
 * the fence every publishing write shares: the job still runs (or is suspended) in that attempt, no
 * cancel was asked for, AND its lease has not run out, in the database's clock. A node frozen past its lease fails the fence
 * even before any node has swept it.
 *
 * Fenced writes lock the job row (FOR SHARE) in the same statement, so a rescue (an UPDATE of that
 * row) either commits first, and the write sees the job gone, or waits until the write has
 * committed, and then finds the published file's record already forgotten: the rescuer never
 * removes a file that was recorded as published.
 */
import type { AttemptFence, AttemptPartial, PartialScope } from '../../core/ports';
import type { Queryable } from './pg-db';
import { LIVE_JOB } from './pg-count-rules';
import { pgText } from './pg-rows';
import { LIVE_STATUSES } from '../../../shared/domain/statuses';
import { statusIn } from '../status-sql';

/** While attempt $1/$2 owns its job: live in that attempt, its lease not run out, no cancel asked for. */
const OWNS = `id = $1 AND attempt = $2 AND ${LIVE_JOB} AND lease_expires_at > mjc_now_ms() AND cancel_requested_at IS NULL`;

/** A CTE body: the job row while attempt $1/$2 owns it, locked against a concurrent rescue or cancel. */
export const PG_OWNER = `SELECT 1 FROM jobs WHERE ${OWNS} FOR SHARE`;

const ABANDONED = `NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = p.job_id AND j.attempt = p.attempt AND ${statusIn(LIVE_STATUSES, 'j.status')})`;

interface PartialRow {
  job_id: string;
  attempt: number;
  path: string;
  node_id: string;
  created_at: string | number;
}

export async function attemptOwnsJob(db: Queryable, fence: AttemptFence): Promise<boolean> {
  const { rows } = await db.query<{ owns: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM jobs WHERE ${OWNS}) AS owns`,
    [fence.jobId, fence.attempt],
  );
  return rows[0]!.owns;
}

export async function recordPartial(db: Queryable, p: AttemptPartial): Promise<void> {
  await db.query(
    'INSERT INTO attempt_partials (job_id, attempt, path, node_id, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
    [p.jobId, p.attempt, pgText(p.path), p.nodeId, p.createdAt],
  );
}

export async function forgetPartial(db: Queryable, fence: AttemptFence, path: string): Promise<void> {
  await db.query('DELETE FROM attempt_partials WHERE job_id = $1 AND attempt = $2 AND path = $3', [fence.jobId, fence.attempt, pgText(path)]);
}

export async function commitPartial(db: Queryable, fence: AttemptFence, path: string): Promise<boolean> {
  const { rows } = await db.query<{ owns: boolean }>(
    `WITH owner AS (${PG_OWNER}),
     d AS (DELETE FROM attempt_partials WHERE job_id = $1 AND attempt = $2 AND path = $3 AND EXISTS (SELECT 1 FROM owner))
     SELECT EXISTS (SELECT 1 FROM owner) AS owns`,
    [fence.jobId, fence.attempt, pgText(path)],
  );
  return rows[0]!.owns;
}

export async function takeAbandonedPartials(db: Queryable, scope: PartialScope): Promise<AttemptPartial[]> {
  const where = scope.jobIds ? 'p.job_id = ANY($1::text[])' : scope.nodeId !== undefined ? 'p.node_id = $1' : 'true';
  const args = scope.jobIds ? [[...scope.jobIds]] : scope.nodeId !== undefined ? [scope.nodeId] : [];
  const { rows } = await db.query<PartialRow>(`DELETE FROM attempt_partials p WHERE ${where} AND ${ABANDONED} RETURNING *`, args);
  return rows.map((r) => ({ jobId: r.job_id, attempt: r.attempt, path: r.path, nodeId: r.node_id, createdAt: Number(r.created_at) }));
}
