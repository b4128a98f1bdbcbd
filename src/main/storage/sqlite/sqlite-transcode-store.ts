/**
 * The TranscodeStore on the shared SQLite connection (tables of the transcode migration): the
 * savings ledger, fingerprints and content marks, the swap journal, quarantine and history. A
 * replace's journal row and its commit are fenced like every publishing write (SQLITE_FENCE); one
 * connection serialises everything, so a commit and a rescue never interleave.
 */
import type Database from 'better-sqlite3';
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
import { SQLITE_FENCE } from './sqlite-partials';
import { rowToVideo, type VideoRow } from './video-rows';

const ABANDONED_REPLACE = `kind = 'replace' AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = swap_journal.job_id AND j.attempt = swap_journal.attempt
  AND ${statusIn(LIVE_STATUSES, 'j.status')})`;

export class SqliteTranscodeStore implements TranscodeStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      owns: db.prepare<{ jobId: string; attempt: number }, { owns: number }>(`SELECT ${SQLITE_FENCE} AS owns`),
      ledger: db.prepare(`INSERT INTO media_ledger (${LEDGER_COLUMNS}) VALUES (${placeholders(17, 'sqlite')})`),
      ledgerOfJob: db.prepare<[string], LedgerRow>('SELECT * FROM media_ledger WHERE job_id = ? ORDER BY id DESC LIMIT 1'),
      fingerprint: db.prepare<[string], { video_id: string; size_bytes: number; mtime_ms: number; fingerprint: string }>('SELECT * FROM video_fingerprints WHERE video_id = ?'),
      putFingerprint: db.prepare(`INSERT INTO video_fingerprints (video_id, size_bytes, mtime_ms, fingerprint) VALUES (?, ?, ?, ?)
        ON CONFLICT (video_id) DO UPDATE SET size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, fingerprint = excluded.fingerprint`),
      mark: db.prepare<[string, string], { fingerprint: string; settings_key: string; job_id: string; outcome: string; at: number }>(
        'SELECT * FROM content_marks WHERE fingerprint = ? AND settings_key = ?',
      ),
      putMark: db.prepare(`INSERT INTO content_marks (fingerprint, settings_key, job_id, outcome, at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (fingerprint, settings_key) DO UPDATE SET job_id = excluded.job_id, outcome = excluded.outcome, at = excluded.at`),
      journal: db.prepare(`INSERT OR IGNORE INTO swap_journal (${JOURNAL_COLUMNS}) VALUES (${placeholders(13, 'sqlite')})`),
      endSwap: db.prepare('DELETE FROM swap_journal WHERE video_id = ?'),
      endOwnSwap: db.prepare('DELETE FROM swap_journal WHERE video_id = ? AND kind = ? AND job_id IS ? AND attempt IS ? AND created_at = ?'),
      video: db.prepare(`UPDATE videos SET ${swappedVideoSet('sqlite')} WHERE id = ? RETURNING *`),
      history: db.prepare(`INSERT INTO video_history (${HISTORY_COLUMNS}) VALUES (${placeholders(10, 'sqlite')})`),
      quarantine: db.prepare(`INSERT INTO quarantine (${QUARANTINE_COLUMNS}) VALUES (${placeholders(12, 'sqlite')})`),
      restored: db.prepare('UPDATE quarantine SET restored_at = ? WHERE id = ?'),
      forgetPartial: db.prepare('DELETE FROM attempt_partials WHERE job_id = ? AND attempt = ? AND path = ?'),
      active: db.prepare<[string, number], QuarantineRow>(
        'SELECT * FROM quarantine WHERE video_id = ? AND restored_at IS NULL AND expires_at > ? ORDER BY quarantined_at DESC LIMIT 1',
      ),
      expired: db.prepare<[number, number], QuarantineRow>('SELECT * FROM quarantine WHERE restored_at IS NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?'),
      drop: db.prepare('DELETE FROM quarantine WHERE id = ?'),
      historyOf: db.prepare<[string], HistoryRow>('SELECT * FROM video_history WHERE video_id = ? ORDER BY id DESC'),
      openTranscodes: db.prepare<[string], OpenTranscodeRow>(openTranscodesSql('sqlite')),
    };
  }

  async appendLedger(entry: LedgerEntry): Promise<void> {
    this.stmt.ledger.run(...ledgerParams(entry));
  }

  async ledgerOfJob(jobId: string): Promise<LedgerEntry | undefined> {
    const row = this.stmt.ledgerOfJob.get(jobId);
    return row ? rowToLedger(row) : undefined;
  }

  async savings(groupBy: SavingsGroupBy): Promise<SavingsRow[]> {
    const rows = this.db
      .prepare(`SELECT ${savingsKeySql(groupBy, 'sqlite')} AS key, outcome, count(*) AS entries,
          coalesce(sum(CASE WHEN bytes_out IS NULL THEN 0 ELSE bytes_in - bytes_out END), 0) AS saved
        FROM media_ledger GROUP BY 1, 2`)
      .all() as { key: string; outcome: SavingsRow['outcome']; entries: number; saved: number }[];
    return rows.map((r) => ({ key: r.key, outcome: r.outcome, entries: r.entries, bytesSaved: r.saved }));
  }

  async fingerprintOf(videoId: string): Promise<VideoFingerprint | undefined> {
    const r = this.stmt.fingerprint.get(videoId);
    return r ? { videoId: r.video_id, sizeBytes: r.size_bytes, mtimeMs: r.mtime_ms, fingerprint: r.fingerprint } : undefined;
  }

  async recordFingerprint(f: VideoFingerprint): Promise<void> {
    this.stmt.putFingerprint.run(f.videoId, f.sizeBytes, f.mtimeMs, f.fingerprint);
  }

  async findMark(fingerprint: string, settingsKey: string): Promise<ContentMark | undefined> {
    const r = this.stmt.mark.get(fingerprint, settingsKey);
    return r ? { fingerprint: r.fingerprint, settingsKey: r.settings_key, jobId: r.job_id, outcome: r.outcome as ContentMark['outcome'], at: r.at } : undefined;
  }

  async recordMark(m: ContentMark): Promise<void> {
    this.stmt.putMark.run(m.fingerprint, m.settingsKey, m.jobId, m.outcome, m.at);
  }

  async beginReplace(journal: SwapJournal, fence: AttemptFence): Promise<boolean> {
    return this.db.transaction(() => this.owns(fence) && this.stmt.journal.run(...journalParams(journal)).changes === 1)();
  }

  async commitReplace(c: ReplaceCommit, fence: AttemptFence): Promise<VideoRecord | null> {
    return this.db.transaction(() => {
      if (!this.owns(fence)) return null;
      const video = this.swapVideo(c.video);
      this.stmt.history.run(...historyParams(c.history));
      this.stmt.quarantine.run(...quarantineParams(c.quarantine));
      this.stmt.ledger.run(...ledgerParams(c.ledger));
      for (const m of c.marks) this.stmt.putMark.run(m.fingerprint, m.settingsKey, m.jobId, m.outcome, m.at);
      this.stmt.putFingerprint.run(c.fingerprint.videoId, c.fingerprint.sizeBytes, c.fingerprint.mtimeMs, c.fingerprint.fingerprint);
      this.stmt.endSwap.run(c.video.videoId);
      this.stmt.forgetPartial.run(fence.jobId, fence.attempt, c.partialPath);
      return video;
    })();
  }

  async beginRestore(journal: SwapJournal): Promise<boolean> {
    return this.stmt.journal.run(...journalParams(journal)).changes === 1;
  }

  async commitRestore(c: RestoreCommit): Promise<VideoRecord> {
    return this.db.transaction(() => {
      const video = this.swapVideo(c.video);
      this.stmt.history.run(...historyParams(c.history));
      this.stmt.ledger.run(...ledgerParams(c.ledger));
      this.stmt.putFingerprint.run(c.fingerprint.videoId, c.fingerprint.sizeBytes, c.fingerprint.mtimeMs, c.fingerprint.fingerprint);
      this.stmt.restored.run(c.video.at, c.quarantineId);
      this.stmt.endSwap.run(c.video.videoId);
      return video;
    })();
  }

  async endSwap(swap: SwapOwner): Promise<void> {
    this.stmt.endOwnSwap.run(swap.videoId, swap.kind, swap.jobId, swap.attempt, swap.createdAt);
  }

  async abandonedSwaps(restoresOf?: { readonly nodeId?: string }): Promise<SwapJournal[]> {
    const restores = restoresOf ? (restoresOf.nodeId !== undefined ? " OR (kind = 'restore' AND node_id = @nodeId)" : " OR kind = 'restore'") : '';
    const statement = this.db.prepare(`SELECT * FROM swap_journal WHERE (${ABANDONED_REPLACE})${restores} ORDER BY created_at`);
    const rows = (restoresOf?.nodeId !== undefined ? statement.all({ nodeId: restoresOf.nodeId }) : statement.all()) as JournalRow[];
    return rows.map(rowToJournal);
  }

  async activeQuarantine(videoId: string, now: number): Promise<QuarantineEntry | undefined> {
    const row = this.stmt.active.get(videoId, now);
    return row ? rowToQuarantine(row) : undefined;
  }

  async expiredQuarantine(now: number, limit: number): Promise<QuarantineEntry[]> {
    return this.stmt.expired.all(now, limit).map(rowToQuarantine);
  }

  async dropQuarantine(id: string): Promise<void> {
    this.stmt.drop.run(id);
  }

  async historyOf(videoId: string): Promise<VideoHistoryEntry[]> {
    return this.stmt.historyOf.all(videoId).map(rowToHistory);
  }

  private owns(fence: AttemptFence): boolean {
    return this.stmt.owns.get({ jobId: fence.jobId, attempt: fence.attempt })!.owns === 1;
  }

  private swapVideo(v: SwappedVideo): VideoRecord {
    const row = this.stmt.video.get(...swappedVideoParams(v, (b) => (b ? 1 : 0)), v.videoId) as VideoRow | undefined;
    if (!row) throw new Error(`No video with id ${v.videoId} to swap`);
    return rowToVideo(row);
  }

  async openTranscodesOf(videoId: string): Promise<OpenTranscode[]> {
    return rowsToOpenTranscodes(this.stmt.openTranscodes.all(videoId), videoId);
  }
}
