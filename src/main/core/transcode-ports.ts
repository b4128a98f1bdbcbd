/**
 * The transcode store's port (issue #17): the savings ledger, content fingerprints and the marks
 * that say which settings were applied to (or tried on) which content, the swap journal that makes
 * a replace crash-safe, quarantined originals, and each video's replace/restore history. Paths are
 * library-relative; timestamps epoch ms. Adapters: storage/sqlite and storage/postgres, one
 * conformance suite (storage/conformance/transcode-store-conformance.ts).
 */
import type { TranscodeCheck, TranscodeOutcome } from '../../shared/contracts/transcode';
import type { JobStatus } from '../../shared/domain/statuses';
import type { VideoMetadata, VideoRecord } from './library-ports';
import type { AttemptFence } from './ports';

export interface LedgerEntry {
  readonly at: number;
  /** The job that did the work; null for a restore (a user's action). */
  readonly jobId: string | null;
  readonly jobType: string;
  readonly videoId: string | null;
  /** The video's folder, library-relative (`videos/films`). */
  readonly folder: string;
  readonly nodeId: string;
  readonly gpu: string | null;
  readonly encoder: string | null;
  readonly mode: 'copy' | 'replace' | null;
  readonly codecIn: string | null;
  readonly codecOut: string | null;
  readonly bytesIn: number;
  readonly bytesOut: number | null;
  readonly wallMs: number;
  readonly outcome: TranscodeOutcome;
  readonly reason: string | null;
  readonly checks: readonly TranscodeCheck[];
}

export type SavingsGroupBy = 'day' | 'codec' | 'folder' | 'node';

/** Ledger sums per group key and outcome (the adapters aggregate in SQL; the service shapes them). */
export interface SavingsRow {
  readonly key: string;
  readonly outcome: TranscodeOutcome;
  readonly entries: number;
  /** Σ (bytesIn − bytesOut) over the rows that have an output. */
  readonly bytesSaved: number;
}

/** A video file's content identity, cached by size and mtime (library/content-fingerprint.ts). */
export interface VideoFingerprint {
  readonly videoId: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly fingerprint: string;
}

/** These settings were applied to (or tried on) this content, by this job, with this outcome. */
export interface ContentMark {
  readonly fingerprint: string;
  readonly settingsKey: string;
  readonly jobId: string;
  readonly outcome: TranscodeOutcome;
  readonly at: number;
}

/**
 * One swap in progress (at most one per video): written BEFORE the first file operation of a
 * replace or a restore, deleted in the transaction that commits it. Identities are `dev:ino` of the
 * files, so recovery can tell which file is under which name. See processors/transcode/swap.ts.
 */
export interface SwapJournal {
  readonly videoId: string;
  readonly kind: 'replace' | 'restore';
  /** The job and attempt of a replace (its fence); null for a restore. */
  readonly jobId: string | null;
  readonly attempt: number | null;
  readonly nodeId: string;
  /** The video's name before the swap. */
  readonly originalPath: string;
  /** The name the new file gets (differs from originalPath when the container changes). */
  readonly finalPath: string;
  readonly quarantinePath: string;
  /** The file moving in: the verified output's partial (replace) or the replaced file (restore). */
  readonly incomingPath: string;
  readonly originalIdentity: string;
  readonly incomingIdentity: string;
  /** What the commit needs to roll forward (restore), as JSON. */
  readonly payload: string;
  readonly createdAt: number;
}

/** What names one journal row (endSwap). */
export type SwapOwner = Pick<SwapJournal, 'videoId' | 'kind' | 'jobId' | 'attempt' | 'createdAt'>;

export interface QuarantineEntry {
  readonly id: string;
  readonly videoId: string;
  readonly jobId: string | null;
  /** The original's name before the replace (where a restore puts it back). */
  readonly originalPath: string;
  readonly quarantinePath: string;
  /** The replacing file's name (the video's path after the replace). */
  readonly replacedPath: string;
  readonly sizeBytes: number;
  readonly videoCodec: string | null;
  readonly metadata: VideoMetadata | null;
  readonly identity: string;
  readonly quarantinedAt: number;
  readonly expiresAt: number;
}

export interface VideoHistoryEntry {
  readonly videoId: string;
  readonly action: 'replaced' | 'restored';
  readonly jobId: string | null;
  readonly at: number;
  readonly previousPath: string;
  readonly previousCodec: string | null;
  readonly previousSizeBytes: number | null;
  readonly newPath: string;
  readonly newCodec: string | null;
  readonly newSizeBytes: number | null;
}

/** The video row after a swap: its (possibly new) name, size, mtime and verified metadata. */
export interface SwappedVideo {
  readonly videoId: string;
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly metadata: VideoMetadata;
  readonly at: number;
}

/** Everything a replace commits in ONE fenced transaction (with the journal row's deletion). */
export interface ReplaceCommit {
  readonly video: SwappedVideo;
  readonly history: VideoHistoryEntry;
  readonly quarantine: QuarantineEntry;
  readonly ledger: LedgerEntry;
  readonly marks: readonly ContentMark[];
  readonly fingerprint: VideoFingerprint;
  /** The output's partial record (attempt_partials) to forget. */
  readonly partialPath: string;
}

/** Everything a restore commits in one transaction (with the journal row's deletion). */
export interface RestoreCommit {
  readonly quarantineId: string;
  readonly video: SwappedVideo;
  readonly history: VideoHistoryEntry;
  readonly ledger: LedgerEntry;
  readonly fingerprint: VideoFingerprint;
}

/** A transcode job that has not ended (waiting, running, suspended or paused), as the twin check reads it. */
export interface OpenTranscode {
  readonly id: string;
  /** Creation order across the fleet (the tie-break between twins started in the same millisecond). */
  readonly seq: number;
  readonly status: JobStatus;
  /** When its latest attempt started (epoch ms); null when it never started or a manual retry reopened it. */
  readonly startedAt: number | null;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface TranscodeStore {
  appendLedger(entry: LedgerEntry): Promise<void>;
  /** The latest ledger row of a job (its result). */
  ledgerOfJob(jobId: string): Promise<LedgerEntry | undefined>;
  /** Every ledger row, summed per group key and outcome. */
  savings(groupBy: SavingsGroupBy): Promise<SavingsRow[]>;

  fingerprintOf(videoId: string): Promise<VideoFingerprint | undefined>;
  recordFingerprint(fingerprint: VideoFingerprint): Promise<void>;
  findMark(fingerprint: string, settingsKey: string): Promise<ContentMark | undefined>;
  /** Records (or overwrites) the mark of these settings on this content. */
  recordMark(mark: ContentMark): Promise<void>;

  /**
   * Writes a replace's journal row while its attempt owns its job (fenced); false when fenced or
   * when the video already has a swap in progress (nothing written).
   */
  beginReplace(journal: SwapJournal, fence: AttemptFence): Promise<boolean>;
  /**
   * Commits a replace, fenced: the video row, history, quarantine entry, ledger row, marks and
   * fingerprint, the journal row deleted and the partial record forgotten, in one transaction. Null
   * when fenced (nothing written: the caller rolls the files back).
   */
  commitReplace(commit: ReplaceCommit, fence: AttemptFence): Promise<VideoRecord | null>;
  /** Writes a restore's journal row; false when the video has a swap in progress. */
  beginRestore(journal: SwapJournal): Promise<boolean>;
  commitRestore(commit: RestoreCommit): Promise<VideoRecord>;
  /**
   * Deletes a journal row once its files are rolled back (or found untouched): only that very row
   * (same video, kind, job, attempt and creation time), never a swap of the video journaled since.
   */
  endSwap(swap: SwapOwner): Promise<void>;
  /**
   * Journal rows to recover: replaces whose attempt no longer owns its job, and, with
   * `restoresOf`, the restores written by that node (at its start: none of them is in flight).
   */
  abandonedSwaps(restoresOf?: { readonly nodeId?: string }): Promise<SwapJournal[]>;

  /** The video's quarantined original that can still be restored (not expired, not restored). */
  activeQuarantine(videoId: string, now: number): Promise<QuarantineEntry | undefined>;
  /** Quarantine entries expired at `now` (at most `limit`), oldest first. */
  expiredQuarantine(now: number, limit: number): Promise<QuarantineEntry[]>;
  /** Forgets an entry whose file was deleted (expired). */
  dropQuarantine(id: string): Promise<void>;
  historyOf(videoId: string): Promise<VideoHistoryEntry[]>;

  /**
   * The transcode jobs that have not ended whose `videoId` is this video, oldest first (by seq): what
   * keeps two jobs from applying the same settings to one file at once. An index of the open
   * transcodes by video (jobs_open_transcodes) answers it, however long the queue and the history.
   */
  openTranscodesOf(videoId: string): Promise<OpenTranscode[]>;
}
