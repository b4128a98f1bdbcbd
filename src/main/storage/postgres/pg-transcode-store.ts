/**
 * The TranscodeStore on PostgreSQL, sharing the pool (the outage-riding one, as the library store:
 * processors write it while their jobs run). Same semantics as the SQLite adapter; a replace's
 * journal row and commit lock the job row while its attempt owns it (PG_OWNER, FOR SHARE), so a
 * rescue either commits first and the commit is fenced, or waits until the commit is done.
 */
import { LIVE_STATUSES } from '../../../shared/domain/statuses';
import type { VideoRecord } from '../../core/library-ports';
import type { AttemptFence } from '../../core/ports';
import type {
  ContentMark,
  LedgerEntry,
  QuarantineEntry,
  ReplaceCommit,
  RestoreCommit,
  SavingsGroupBy,
  SavingsRow,
  SwapJournal,
  SwapOwner,
  SwappedVideo,
  OpenTranscode,
  TranscodeStore,
  VideoFingerprint,
  VideoHistoryEntry,
} from '../../core/transcode-ports';
import { statusIn } from '../status-sql';
import {
  HISTORY_COLUMNS,
  historyParams,
  JOURNAL_COLUMNS,
  journalParams,
  LEDGER_COLUMNS,
  ledgerParams,
  placeholders,
  QUARANTINE_COLUMNS,
  quarantineParams,
  rowToHistory,
  rowToJournal,
  rowToLedger,
  rowToQuarantine,
  savingsKeySql,
  swappedVideoParams,
  swappedVideoSet,
  type HistoryRow,
  type JournalRow,
  type LedgerRow,
  type OpenTranscodeRow,
  openTranscodesSql,
  rowsToOpenTranscodes,
  type QuarantineRow,
} from '../transcode-rows';
import { inTransaction, type Pool, type Queryable } from './pg-db';
import { PG_OWNER } from './pg-partials';
import { rowToVideo, type PgVideoRow } from './pg-rows';

const ABANDONED_REPLACE = `kind = 'replace' AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = s.job_id AND j.attempt = s.attempt
  AND ${statusIn(LIVE_STATUSES, 'j.status')})`;

const INSERT_LEDGER = `INSERT INTO media_ledger (${LEDGER_COLUMNS}) VALUES (${placeholders(17, 'pg')})`;
const INSERT_JOURNAL = `INSERT INTO swap_journal (${JOURNAL_COLUMNS}) VALUES (${placeholders(13, 'pg')}) ON CONFLICT (video_id) DO NOTHING`;
const PUT_MARK = `INSERT INTO content_marks (fingerprint, settings_key, job_id, outcome, at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (fingerprint, settings_key) DO UPDATE SET job_id = excluded.job_id, outcome = excluded.outcome, at = excluded.at`;
const PUT_FINGERPRINT = `INSERT INTO video_fingerprints (video_id, size_bytes, mtime_ms, fingerprint) VALUES ($1, $2, $3, $4)
  ON CONFLICT (video_id) DO UPDATE SET size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, fingerprint = excluded.fingerprint`;

export class PostgresTranscodeStore implements TranscodeStore {
  constructor(private readonly pool: Pool) {}

  async appendLedger(entry: LedgerEntry): Promise<void> {
    await this.pool.query(INSERT_LEDGER, ledgerParams(entry));
  }

  async ledgerOfJob(jobId: string): Promise<LedgerEntry | undefined> {
    const row = (await this.pool.query<LedgerRow>('SELECT * FROM media_ledger WHERE job_id = $1 ORDER BY id DESC LIMIT 1', [jobId])).rows[0];
    return row ? rowToLedger(row) : undefined;
  }

  async savings(groupBy: SavingsGroupBy): Promise<SavingsRow[]> {
    const { rows } = await this.pool.query<{ key: string; outcome: SavingsRow['outcome']; entries: string; saved: string }>(
      `SELECT ${savingsKeySql(groupBy, 'pg')} AS key, outcome, count(*) AS entries,
         coalesce(sum(CASE WHEN bytes_out IS NULL THEN 0 ELSE bytes_in - bytes_out END), 0) AS saved
       FROM media_ledger GROUP BY 1, 2`,
    );
    return rows.map((r) => ({ key: r.key, outcome: r.outcome, entries: Number(r.entries), bytesSaved: Number(r.saved) }));
  }

  async fingerprintOf(videoId: string): Promise<VideoFingerprint | undefined> {
    const r = (await this.pool.query<{ video_id: string; size_bytes: string; mtime_ms: string; fingerprint: string }>('SELECT * FROM video_fingerprints WHERE video_id = $1', [videoId])).rows[0];
    return r ? { videoId: r.video_id, sizeBytes: Number(r.size_bytes), mtimeMs: Number(r.mtime_ms), fingerprint: r.fingerprint } : undefined;
  }

  async recordFingerprint(f: VideoFingerprint): Promise<void> {
    await this.pool.query(PUT_FINGERPRINT, [f.videoId, f.sizeBytes, f.mtimeMs, f.fingerprint]);
  }

  async findMark(fingerprint: string, settingsKey: string): Promise<ContentMark | undefined> {
    const r = (await this.pool.query<{ fingerprint: string; settings_key: string; job_id: string; outcome: string; at: string }>(
      'SELECT * FROM content_marks WHERE fingerprint = $1 AND settings_key = $2',
      [fingerprint, settingsKey],
    )).rows[0];
    return r ? { fingerprint: r.fingerprint, settingsKey: r.settings_key, jobId: r.job_id, outcome: r.outcome as ContentMark['outcome'], at: Number(r.at) } : undefined;
  }

  async recordMark(m: ContentMark): Promise<void> {
    await this.pool.query(PUT_MARK, [m.fingerprint, m.settingsKey, m.jobId, m.outcome, m.at]);
  }

  async beginReplace(journal: SwapJournal, fence: AttemptFence): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      if ((await c.query(PG_OWNER, [fence.jobId, fence.attempt])).rowCount === 0) return false;
      return (await c.query(INSERT_JOURNAL, journalParams(journal))).rowCount === 1;
    });
  }

  async commitReplace(r: ReplaceCommit, fence: AttemptFence): Promise<VideoRecord | null> {
    return inTransaction(this.pool, async (c) => {
      if ((await c.query(PG_OWNER, [fence.jobId, fence.attempt])).rowCount === 0) return null;
      const video = await swapVideo(c, r.video);
      await c.query(`INSERT INTO video_history (${HISTORY_COLUMNS}) VALUES (${placeholders(10, 'pg')})`, historyParams(r.history));
      await c.query(`INSERT INTO quarantine (${QUARANTINE_COLUMNS}) VALUES (${placeholders(12, 'pg')})`, quarantineParams(r.quarantine));
      await c.query(INSERT_LEDGER, ledgerParams(r.ledger));
      for (const m of r.marks) await c.query(PUT_MARK, [m.fingerprint, m.settingsKey, m.jobId, m.outcome, m.at]);
      await c.query(PUT_FINGERPRINT, [r.fingerprint.videoId, r.fingerprint.sizeBytes, r.fingerprint.mtimeMs, r.fingerprint.fingerprint]);
      await c.query('DELETE FROM swap_journal WHERE video_id = $1', [r.video.videoId]);
      await c.query('DELETE FROM attempt_partials WHERE job_id = $1 AND attempt = $2 AND path = $3', [fence.jobId, fence.attempt, r.partialPath]);
      return video;
    });
  }

  async beginRestore(journal: SwapJournal): Promise<boolean> {
    return (await this.pool.query(INSERT_JOURNAL, journalParams(journal))).rowCount === 1;
  }

  async commitRestore(r: RestoreCommit): Promise<VideoRecord> {
    return inTransaction(this.pool, async (c) => {
      const video = await swapVideo(c, r.video);
      await c.query(`INSERT INTO video_history (${HISTORY_COLUMNS}) VALUES (${placeholders(10, 'pg')})`, historyParams(r.history));
      await c.query(INSERT_LEDGER, ledgerParams(r.ledger));
      await c.query(PUT_FINGERPRINT, [r.fingerprint.videoId, r.fingerprint.sizeBytes, r.fingerprint.mtimeMs, r.fingerprint.fingerprint]);
      await c.query('UPDATE quarantine SET restored_at = $1 WHERE id = $2', [r.video.at, r.quarantineId]);
      await c.query('DELETE FROM swap_journal WHERE video_id = $1', [r.video.videoId]);
      return video;
    });
  }

  async endSwap(swap: SwapOwner): Promise<void> {
    await this.pool.query(
      'DELETE FROM swap_journal WHERE video_id = $1 AND kind = $2 AND job_id IS NOT DISTINCT FROM $3 AND attempt IS NOT DISTINCT FROM $4 AND created_at = $5',
      [swap.videoId, swap.kind, swap.jobId, swap.attempt, swap.createdAt],
    );
  }

  async abandonedSwaps(restoresOf?: { readonly nodeId?: string }): Promise<SwapJournal[]> {
    const restores = restoresOf ? (restoresOf.nodeId !== undefined ? " OR (kind = 'restore' AND node_id = $1)" : " OR kind = 'restore'") : '';
    const args = restoresOf?.nodeId !== undefined ? [restoresOf.nodeId] : [];
    const { rows } = await this.pool.query<JournalRow>(`SELECT * FROM swap_journal s WHERE (${ABANDONED_REPLACE})${restores} ORDER BY created_at`, args);
    return rows.map(rowToJournal);
  }

  async activeQuarantine(videoId: string, now: number): Promise<QuarantineEntry | undefined> {
    const row = (await this.pool.query<QuarantineRow>(
      'SELECT * FROM quarantine WHERE video_id = $1 AND restored_at IS NULL AND expires_at > $2 ORDER BY quarantined_at DESC LIMIT 1',
      [videoId, now],
    )).rows[0];
    return row ? rowToQuarantine(row) : undefined;
  }

  async expiredQuarantine(now: number, limit: number): Promise<QuarantineEntry[]> {
    const { rows } = await this.pool.query<QuarantineRow>('SELECT * FROM quarantine WHERE restored_at IS NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2', [now, limit]);
    return rows.map(rowToQuarantine);
  }

  async dropQuarantine(id: string): Promise<void> {
    await this.pool.query('DELETE FROM quarantine WHERE id = $1', [id]);
  }

  async historyOf(videoId: string): Promise<VideoHistoryEntry[]> {
    const { rows } = await this.pool.query<HistoryRow>('SELECT * FROM video_history WHERE video_id = $1 ORDER BY id DESC', [videoId]);
    return rows.map(rowToHistory);
  }

  async openTranscodesOf(videoId: string): Promise<OpenTranscode[]> {
    return rowsToOpenTranscodes((await this.pool.query<OpenTranscodeRow>(openTranscodesSql('pg'), [videoId])).rows, videoId);
  }
}

async function swapVideo(c: Queryable, v: SwappedVideo): Promise<VideoRecord> {
  const params = swappedVideoParams(v, (b) => b);
  const { rows } = await c.query<PgVideoRow>(`UPDATE videos SET ${swappedVideoSet('pg')} WHERE id = $${params.length + 1} RETURNING *`, [...params, v.videoId]);
  if (!rows[0]) throw new Error(`No video with id ${v.videoId} to swap`);
  return rowToVideo(rows[0]);
}
