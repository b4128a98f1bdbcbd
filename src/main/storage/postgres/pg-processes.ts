/**
 * The child processes of attempts (`job_processes`), recorded when they start so that a node
 * restarted after a crash can kill its orphans (runtime/startup-recovery.ts). Each node reads and
 * forgets only its own rows: the other nodes' processes run on other machines.
 */
import type { RecordedProcess } from '../../core/ports';
import type { Queryable } from './pg-db';
import { pgText } from './pg-rows';

interface ProcessRow {
  pid: number;
  job_id: string;
  command: string;
  node_id: string;
  started_at: string;
  start_ticks: string | null;
}

export async function recordProcess(db: Queryable, p: RecordedProcess): Promise<void> {
  await db.query(
    `INSERT INTO job_processes (pid, job_id, command, node_id, started_at, start_ticks) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (node_id, pid) DO UPDATE SET job_id = excluded.job_id, command = excluded.command, started_at = excluded.started_at, start_ticks = excluded.start_ticks`,
    [p.pid, p.jobId, pgText(p.command), p.nodeId, p.startedAt, p.startTicks],
  );
}

export async function forgetProcess(db: Queryable, nodeId: string, pid: number): Promise<void> {
  await db.query('DELETE FROM job_processes WHERE node_id = $1 AND pid = $2', [nodeId, pid]);
}

/** Returns and forgets every process `nodeId` recorded, oldest first. */
export async function takeRecordedProcesses(db: Queryable, nodeId: string): Promise<RecordedProcess[]> {
  const { rows } = await db.query<ProcessRow>('WITH d AS (DELETE FROM job_processes WHERE node_id = $1 RETURNING *) SELECT * FROM d ORDER BY started_at, pid', [nodeId]);
  return rows.map((r) => ({
    pid: r.pid,
    jobId: r.job_id,
    command: r.command,
    nodeId: r.node_id,
    startedAt: Number(r.started_at),
    startTicks: r.start_ticks === null ? null : Number(r.start_ticks),
  }));
}
