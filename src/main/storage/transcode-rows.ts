/**
 * Rows of the transcode tables (ledger, journal, quarantine, history) and their mapping to the
 * port's records, shared by the SQLite and PostgreSQL adapters (PostgreSQL returns bigint columns
 * as strings: every number goes through num()).
 */
import type { TranscodeCheck, TranscodeOutcome } from '../../shared/contracts/transcode';
import type { VideoMetadata } from '../core/library-ports';
import { FINAL_STATUSES, JOB_STATUSES, type JobStatus } from '../../shared/domain/statuses';
import type { LedgerEntry, OpenTranscode, QuarantineEntry, SwapJournal, VideoHistoryEntry } from '../core/transcode-ports';
import { statusIn } from './status-sql';

type Num = number | string;
const num = (v: Num): number => Number(v);
const numOrNull = (v: Num | null): number | null => (v === null ? null : Number(v));

export interface LedgerRow {
  at: Num; job_id: string | null; job_type: string; video_id: string | null; folder: string; node_id: string; gpu: string | null;
  encoder: string | null; mode: string | null; codec_in: string | null; codec_out: string | null; bytes_in: Num; bytes_out: Num | null;
  wall_ms: Num; outcome: string; reason: string | null; checks: string;
}

export function ledgerParams(e: LedgerEntry): unknown[] {
  return [e.at, e.jobId, e.jobType, e.videoId, e.folder, e.nodeId, e.gpu, e.encoder, e.mode, e.codecIn, e.codecOut, e.bytesIn, e.bytesOut, e.wallMs, e.outcome, e.reason, JSON.stringify(e.checks)];
}

export const LEDGER_COLUMNS = 'at, job_id, job_type, video_id, folder, node_id, gpu, encoder, mode, codec_in, codec_out, bytes_in, bytes_out, wall_ms, outcome, reason, checks';

export function rowToLedger(r: LedgerRow): LedgerEntry {
  return {
    at: num(r.at), jobId: r.job_id, jobType: r.job_type, videoId: r.video_id, folder: r.folder, nodeId: r.node_id, gpu: r.gpu, encoder: r.encoder,
    mode: r.mode === 'copy' || r.mode === 'replace' ? r.mode : null, codecIn: r.codec_in, codecOut: r.codec_out, bytesIn: num(r.bytes_in),
    bytesOut: numOrNull(r.bytes_out), wallMs: num(r.wall_ms), outcome: r.outcome as TranscodeOutcome, reason: r.reason, checks: JSON.parse(r.checks) as TranscodeCheck[],
  };
}

export interface JournalRow {
  video_id: string; kind: string; job_id: string | null; attempt: number | null; node_id: string; original_path: string; final_path: string;
  quarantine_path: string; incoming_path: string; original_identity: string; incoming_identity: string; payload: string; created_at: Num;
}

export const JOURNAL_COLUMNS = 'video_id, kind, job_id, attempt, node_id, original_path, final_path, quarantine_path, incoming_path, original_identity, incoming_identity, payload, created_at';

export function journalParams(j: SwapJournal): unknown[] {
  return [j.videoId, j.kind, j.jobId, j.attempt, j.nodeId, j.originalPath, j.finalPath, j.quarantinePath, j.incomingPath, j.originalIdentity, j.incomingIdentity, j.payload, j.createdAt];
}

export function rowToJournal(r: JournalRow): SwapJournal {
  return {
    videoId: r.video_id, kind: r.kind === 'restore' ? 'restore' : 'replace', jobId: r.job_id, attempt: r.attempt === null ? null : Number(r.attempt), nodeId: r.node_id,
    originalPath: r.original_path, finalPath: r.final_path, quarantinePath: r.quarantine_path, incomingPath: r.incoming_path,
    originalIdentity: r.original_identity, incomingIdentity: r.incoming_identity, payload: r.payload, createdAt: num(r.created_at),
  };
}

export interface QuarantineRow {
  id: string; video_id: string; job_id: string | null; original_path: string; quarantine_path: string; replaced_path: string; size_bytes: Num;
  video_codec: string | null; metadata: string | null; identity: string; quarantined_at: Num; expires_at: Num;
}

export const QUARANTINE_COLUMNS = 'id, video_id, job_id, original_path, quarantine_path, replaced_path, size_bytes, video_codec, metadata, identity, quarantined_at, expires_at';

export function quarantineParams(q: QuarantineEntry): unknown[] {
  return [q.id, q.videoId, q.jobId, q.originalPath, q.quarantinePath, q.replacedPath, q.sizeBytes, q.videoCodec, q.metadata ? JSON.stringify(q.metadata) : null, q.identity, q.quarantinedAt, q.expiresAt];
}

export function rowToQuarantine(r: QuarantineRow): QuarantineEntry {
  return {
    id: r.id, videoId: r.video_id, jobId: r.job_id, originalPath: r.original_path, quarantinePath: r.quarantine_path, replacedPath: r.replaced_path,
    sizeBytes: num(r.size_bytes), videoCodec: r.video_codec, metadata: r.metadata ? (JSON.parse(r.metadata) as VideoMetadata) : null, identity: r.identity,
    quarantinedAt: num(r.quarantined_at), expiresAt: num(r.expires_at),
  };
}

export interface HistoryRow {
  video_id: string; action: string; job_id: string | null; at: Num; previous_path: string; previous_codec: string | null;
  previous_size_bytes: Num | null; new_path: string; new_codec: string | null; new_size_bytes: Num | null;
}

export const HISTORY_COLUMNS = 'video_id, action, job_id, at, previous_path, previous_codec, previous_size_bytes, new_path, new_codec, new_size_bytes';

export function historyParams(h: VideoHistoryEntry): unknown[] {
  return [h.videoId, h.action, h.jobId, h.at, h.previousPath, h.previousCodec, h.previousSizeBytes, h.newPath, h.newCodec, h.newSizeBytes];
}

export function rowToHistory(r: HistoryRow): VideoHistoryEntry {
  return {
    videoId: r.video_id, action: r.action === 'restored' ? 'restored' : 'replaced', jobId: r.job_id, at: num(r.at), previousPath: r.previous_path,
    previousCodec: r.previous_codec, previousSizeBytes: numOrNull(r.previous_size_bytes), newPath: r.new_path, newCodec: r.new_codec, newSizeBytes: numOrNull(r.new_size_bytes),
  };
}

/** `?, ?, …` (SQLite) or `$1, $2, …` (PostgreSQL) for n parameters. */
export function placeholders(n: number, style: 'sqlite' | 'pg', from = 1): string {
  return Array.from({ length: n }, (_, i) => (style === 'sqlite' ? '?' : `$${from + i}`)).join(', ');
}

/** The SET list of a swapped video row, numbered from `from` (the title stays: the name's stem does not change). */
export function swappedVideoSet(style: 'sqlite' | 'pg', from = 1): string {
  const cols = ['path', 'filename', 'size_bytes', 'mtime_ms', 'duration_seconds', 'width', 'height', 'fps', 'video_codec', 'audio_codec', 'bitrate', 'orientation', 'has_audio', 'updated_at', 'probed_at'];
  const set = cols.map((c, i) => `${c} = ${style === 'sqlite' ? '?' : `$${from + i}`}`).join(', ');
  return `${set}, valid = ${style === 'sqlite' ? 1 : 'true'}, validation_error = NULL, missing = ${style === 'sqlite' ? 0 : 'false'}`;
}

/** The parameters of swappedVideoSet, in its order; `bool` maps has_audio (SQLite binds 0/1). */
export function swappedVideoParams(v: { path: string; sizeBytes: number; mtimeMs: number; at: number; metadata: VideoMetadata }, bool: (b: boolean) => unknown): unknown[] {
  const m = v.metadata;
  return [v.path, v.path.split('/').at(-1)!, v.sizeBytes, v.mtimeMs, m.durationSeconds, m.width, m.height, m.fps, m.videoCodec, m.audioCodec, m.bitrate, m.orientation, bool(m.hasAudio), v.at, v.at];
}

/** The group key of a ledger row in SQL: a UTC day, the codec a saving belongs to, the folder or the node. */
export function savingsKeySql(groupBy: 'day' | 'codec' | 'folder' | 'node', style: 'sqlite' | 'pg'): string {
  switch (groupBy) {
    case 'day':
      return style === 'sqlite' ? "strftime('%Y-%m-%d', at / 1000, 'unixepoch')" : "to_char(to_timestamp(at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
    // a restore undoes the saving of the codec it takes out (its codec_in), not of the one it brings back
    case 'codec':
      return "coalesce(CASE WHEN outcome = 'restored' THEN codec_in ELSE codec_out END, 'unknown')";
    case 'folder':
      return 'folder';
    case 'node':
      return 'node_id';
  }
}

export interface OpenTranscodeRow {
  id: string; seq: Num; status: string; started_at: Num | null; params: string;
}

/**
 * A job's `videoId` as the index jobs_open_transcodes holds it (migration 14 in SQLite, 17 in
 * PostgreSQL: the expressions must stay exactly these for the planner to use it). SQLite reads the
 * JSON; PostgreSQL takes the first `"videoId":"…"` of the text, because its JSON types refuse a
 * document with \u0000 anywhere in it (an insert would fail) — JSON text escapes every quote inside
 * a string, so only a key can match, and the caller compares the parsed params anyway.
 */
export const VIDEO_ID_OF_PARAMS = {
  sqlite: "json_extract(CASE WHEN json_valid(params) THEN params END, '$.videoId')",
  pg: `substring(params from '"videoId":"([^"]*)"')`,
} as const;

/** The transcode jobs not ended of the video (the one parameter), oldest first, through jobs_open_transcodes. */
export function openTranscodesSql(style: 'sqlite' | 'pg'): string {
  const notEnded = statusIn(JOB_STATUSES.filter((s) => !FINAL_STATUSES.includes(s)));
  return `SELECT id, seq, status, started_at, params FROM jobs
    WHERE type = 'transcode' AND ${notEnded} AND ${VIDEO_ID_OF_PARAMS[style]} = ${style === 'sqlite' ? '?' : '$1'} ORDER BY seq`;
}

export function rowsToOpenTranscodes(rows: readonly OpenTranscodeRow[], videoId: string): OpenTranscode[] {
  return rows
    .map((r) => ({ id: r.id, seq: num(r.seq), status: r.status as JobStatus, startedAt: numOrNull(r.started_at), params: JSON.parse(r.params) as Record<string, unknown> }))
    .filter((t) => t.params.videoId === videoId);
}
