/**
 * Ports of the library watcher and of other fleet-wide duties: settings shared by every node (a
 * small key/value store), named leader leases (one node of a fleet runs a duty such as the
 * watcher or a scheduler), and the library's file index as the watcher compares it with a folder.
 */
import type { VideoRecord } from './library-ports';

/** A stored setting: its JSON value and when it was written. */
export interface StoredSetting {
  readonly value: unknown;
  readonly updatedAt: number;
}

/** Settings every node reads, stored as JSON under a key. */
export interface SettingsStore {
  readSetting(key: string): Promise<StoredSetting | null>;
  writeSetting(key: string, value: unknown, at: number): Promise<void>;
  /**
   * Compare and set: writes only while the row is still `expected` (the same time and value as it
   * was read; null: no row yet), so a read-merge-write never overwrites what another node saved in
   * between. False when the row had changed (nothing written).
   */
  writeSettingIf(key: string, value: unknown, at: number, expected: StoredSetting | null): Promise<boolean>;
}

export interface LeaseClaim {
  /** The caller holds the lease now (taken or renewed). */
  readonly held: boolean;
  /** Who holds it now (the caller when held); null when nobody does. */
  readonly holder: string | null;
}

/**
 * Named leader leases: at most one holder per name at a time, until its lease runs out in the
 * database's clock (so clock skew between nodes does not matter). A holder renews before it runs
 * out; another takes over once it has.
 */
export interface LeaderLeaseStore {
  /** Takes the lease `name` for `holder` for `ttlMs`, or renews it, unless another holder's lease is still running. */
  claimLease(name: string, holder: string, ttlMs: number): Promise<LeaseClaim>;
  /** Gives the lease up at once (a clean stop), if `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** Who holds `name` now (null when nobody, or the lease ran out). */
  leaseHolder(name: string): Promise<string | null>;
}

/** What the watcher compares a folder with. */
export interface VideoFileEntry {
  readonly id: string;
  readonly path: string;
  readonly sizeBytes: number | null;
  readonly mtimeMs: number | null;
  readonly missing: boolean;
  readonly probedAt: number | null;
}

export interface VideoFileIndex {
  /** The videos at `folder` (library-relative, no trailing slash) or anywhere under it. */
  listVideoFiles(folder: string): Promise<VideoFileEntry[]>;
  /** Marks the videos at these paths, or under these folders when `underFolders`, missing; returns the ones that went missing now. */
  markPathsMissing(paths: readonly string[], at: number, underFolders?: boolean): Promise<VideoRecord[]>;
  /** A known file changed on disk: its new size and mtime, no longer missing and not probed (a probe follows). */
  recordFileChange(id: string, sizeBytes: number, mtimeMs: number, at: number): Promise<VideoRecord>;
}
