/**
 * Bounded job logs on PostgreSQL, exactly like the SQLite BoundedLogWriter: the first `headLines`
 * and the last `tailLines` lines of each job are kept; writing line N > head + tail drops line
 * N - tail and counts it in jobs.log_dropped. Lines are written in batches (one statement each
 * for the rows, the drops and the drop counts) instead of a few statements per line.
 */
import type { LogLineInput } from '../../core/ports';
import type { LogBounds } from '../../core/log-bounds';
import type { Queryable } from './pg-db';
import { pgText } from './pg-rows';
import { LIVE_STATUSES } from '../../../shared/domain/statuses';
import { statusIn } from '../status-sql';

export interface CountedLine {
  readonly seq: number;
  /** The line's number, already counted in jobs.log_lines by the caller's UPDATE. */
  readonly line: number;
  readonly at: number;
  readonly text: string;
}

/**
 * The bounds rule inside one statement that writes one line per job row it updates
 * (`log_lines = log_lines + 1 … RETURNING`), for statements that are pipelined and so cannot wait
 * for dropOverflow: `countColumn` (an assignment for the UPDATE) counts the drop in log_dropped and
 * `deleteCte` (a CTE over the updated rows, named `rows`) deletes line N - tail when N > head + tail.
 * `headParam` and `tailParam` are the statement's parameter numbers holding the bounds.
 */
export function dropPushedOutLine(rows: string, headParam: number, tailParam: number): { countColumn: string; deleteCte: string } {
  const head = `$${headParam}::integer`;
  const tail = `$${tailParam}::integer`;
  return {
    countColumn: `log_dropped = jobs.log_dropped + CASE WHEN jobs.log_lines + 1 > ${head} + ${tail} THEN 1 ELSE 0 END`,
    deleteCte: `dropped AS (DELETE FROM job_logs USING ${rows} WHERE ${rows}.log_lines > ${head} + ${tail} AND job_logs.job_seq = ${rows}.seq AND job_logs.line = ${rows}.log_lines - ${tail})`,
  };
}

export class PgLogWriter {
  constructor(readonly bounds: LogBounds) {}

  /**
   * Appends lines to jobs by id, in order; lines of unknown jobs are ignored, and so are lines whose
   * `attempt` is no longer the job's running attempt. Call inside a transaction.
   */
  async appendById(db: Queryable, lines: readonly LogLineInput[]): Promise<void> {
    if (lines.length === 0) return;
    // one group per job and attempt (a replaced attempt still ending and its successor may both write)
    const groups = new Map<string, { id: string; attempt: number | null; lines: LogLineInput[] }>();
    for (const l of lines) {
      const key = `${l.jobId}/${l.attempt ?? ''}`;
      const group = groups.get(key);
      if (group) group.lines.push(l);
      else groups.set(key, { id: l.jobId, attempt: l.attempt ?? null, lines: [l] });
    }
    const ordered = [...groups.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)); // one lock order
    const { rows } = await db.query<{ id: string; attempt: number | null; seq: string; log_lines: number }>(
      `UPDATE jobs SET log_lines = jobs.log_lines + c.k FROM unnest($1::text[], $2::integer[], $3::integer[]) AS c(id, attempt, k)
       WHERE jobs.id = c.id AND (c.attempt IS NULL OR (jobs.attempt = c.attempt AND ${statusIn(LIVE_STATUSES, 'jobs.status')}))
       RETURNING jobs.id, c.attempt, jobs.seq, jobs.log_lines`,
      [ordered.map((g) => g.id), ordered.map((g) => g.attempt), ordered.map((g) => g.lines.length)],
    );
    const counted: CountedLine[] = [];
    for (const row of rows) {
      const list = groups.get(`${row.id}/${row.attempt ?? ''}`)!.lines;
      const first = row.log_lines - list.length + 1;
      list.forEach((l, i) => counted.push({ seq: Number(row.seq), line: first + i, at: l.at, text: l.text }));
    }
    await this.writeCounted(db, counted);
  }

  /**
   * Writes lines whose numbers the caller's own UPDATE already counted
   * (`log_lines = log_lines + 1 … RETURNING log_lines`), saving a statement per line.
   */
  async writeCounted(db: Queryable, lines: readonly CountedLine[]): Promise<void> {
    if (lines.length === 0) return;
    await db.query(
      'INSERT INTO job_logs (job_seq, line, at, text) SELECT * FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::text[])',
      [lines.map((l) => l.seq), lines.map((l) => l.line), lines.map((l) => l.at), lines.map((l) => pgText(l.text))],
    );
    await this.dropOverflow(db, lines);
  }

  /**
   * Keeps the bounds after lines were written (by writeCounted, or by the caller's own statement):
   * line N > head + tail drops line N - tail and counts it in jobs.log_dropped.
   */
  async dropOverflow(db: Queryable, lines: readonly Pick<CountedLine, 'seq' | 'line'>[]): Promise<void> {
    const { headLines, tailLines } = this.bounds;
    const drops = lines.filter((l) => l.line > headLines + tailLines);
    if (drops.length === 0) return;
    const seqs = drops.map((l) => l.seq);
    await db.query(
      'DELETE FROM job_logs l USING unnest($1::bigint[], $2::integer[]) AS d(seq, line) WHERE l.job_seq = d.seq AND l.line = d.line',
      [seqs, drops.map((l) => l.line - tailLines)],
    );
    await db.query(
      `UPDATE jobs SET log_dropped = jobs.log_dropped + d.n
       FROM (SELECT seq, count(*)::integer AS n FROM unnest($1::bigint[]) AS s(seq) GROUP BY seq) AS d WHERE jobs.seq = d.seq`,
      [seqs],
    );
  }
}
