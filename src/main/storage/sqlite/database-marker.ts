/**
 * Never a silent fresh queue: a data folder whose database once held a queue keeps a marker
 * beside it (`media-jobs.db.marker.json`, written after the first successful open). If the
 * database file is then missing, empty, or replaced by a file without our schema — a failed copy,
 * a full disk, a sync tool, a restore gone wrong — the start stops with a message naming the file
 * instead of quietly beginning an empty queue over the lost one. Without a marker (a database
 * from before markers existed), a leftover WAL beside a missing or empty database says the same.
 * A truly new folder (no database, no WAL, no marker) starts empty, and writes its marker.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { ensurePrivateFile } from '../../system/private-paths';

export class DatabaseLostError extends Error {
  constructor(readonly file: string, why: string) {
    super(
      `The database ${file} ${why}, but this data folder held a queue. Restore the file from a backup; or, to start over with an empty queue, move ${file} and ${markerPathOf(file)} aside.`,
    );
    this.name = 'DatabaseLostError';
  }
}

export function markerPathOf(databaseFile: string): string {
  return `${databaseFile}.marker.json`;
}

const sizeOf = (path: string): number | null => {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
};

export function hasMarker(databaseFile: string): boolean {
  return existsSync(markerPathOf(databaseFile));
}

/** Before opening: refuses a missing or empty database where a queue used to be. */
export function refuseLostDatabase(databaseFile: string): void {
  const size = sizeOf(databaseFile);
  if (size !== null && size > 0) return;
  const walSize = sizeOf(`${databaseFile}-wal`) ?? 0;
  const why = size === null ? 'is missing' : 'is empty (0 bytes)';
  if (hasMarker(databaseFile)) throw new DatabaseLostError(databaseFile, why);
  if (walSize > 0) throw new DatabaseLostError(databaseFile, `${why} while its write-ahead log ${databaseFile}-wal holds ${walSize} bytes`);
}

/** After opening, before migrating: a marked folder whose database has none of our tables was replaced. */
export function refuseReplacedDatabase(databaseFile: string, hasSchema: boolean): void {
  if (!hasSchema && hasMarker(databaseFile)) throw new DatabaseLostError(databaseFile, 'holds no queue (it was replaced by another file)');
}

/** After a successful open: marks the folder as holding a queue (once). */
export function writeMarker(databaseFile: string, now = new Date()): void {
  const marker = markerPathOf(databaseFile);
  if (existsSync(marker)) return;
  ensurePrivateFile(marker);
  writeFileSync(marker, `${JSON.stringify({ databaseId: randomUUID(), createdAt: now.toISOString(), note: 'This folder holds a Media Job Control queue; see database-marker.ts.' }, null, 2)}\n`);
}
