/**
 * Opens the embedded database with durable settings: WAL journal and synchronous=FULL, so a
 * committed transaction survives a power loss, not just a crash of this process.
 *
 * The connection holds an exclusive lock on the file for its whole life: only one runtime may
 * drive a data folder (two would each "recover" the other's running jobs and run them twice).
 * The operating system drops the lock when the process dies, even by kill -9.
 *
 * The file is owner-only (0600): created so before SQLite opens it, tightened if an older one is
 * not. SQLite creates its -wal (and -shm, -journal) files lazily with the mode of the database
 * file, so they are 0600 too; leftovers of an earlier run are tightened before and after the open.
 * (In EXCLUSIVE locking mode WAL keeps its index in memory: no -shm appears at all.)
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateFile, tightenPrivateFile } from '../../system/private-paths';
import { refuseLostDatabase, refuseReplacedDatabase, writeMarker } from './database-marker';
import { migrate } from './migrations';

export class DatabaseInUseError extends Error {
  constructor(readonly file: string) {
    super(`Another process is using ${file} (is the desktop app or a headless server already running on this data folder?). Stop it, or set MEDIA_DATA_DIR to another folder.`);
    this.name = 'DatabaseInUseError';
  }
}

const SIDECARS = ['-wal', '-shm', '-journal'] as const;

/** A database on disk (not `:memory:`, a temporary `''` or a `file:` URI). */
const onDisk = (file: string): boolean => file !== ':memory:' && file !== '' && !file.startsWith('file:');

function tightenSidecars(file: string): void {
  for (const suffix of SIDECARS) tightenPrivateFile(`${file}${suffix}`);
}

export function openDatabase(file: string): Database.Database {
  if (onDisk(file)) {
    refuseLostDatabase(file); // before anything creates an empty file in its place
    mkdirSync(dirname(file), { recursive: true });
    ensurePrivateFile(file);
    tightenSidecars(file);
  }
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 250');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('cache_size = -32768'); // 32 MiB page cache: lists at a million jobs stay in memory within the RSS budget
    db.pragma('temp_store = MEMORY');
    // a write takes the exclusive lock now rather than at the first job
    db.exec('BEGIN IMMEDIATE; COMMIT;');
    if (onDisk(file)) refuseReplacedDatabase(file, db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").get() !== undefined);
    migrate(db);
    if (onDisk(file)) {
      tightenSidecars(file);
      writeMarker(file);
    }
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY') throw new DatabaseInUseError(file);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new Error(`The database ${file} is not a SQLite database or is damaged (${(error as Error).message}). Restore it from a backup, or move it aside to start with an empty queue.`, { cause: error });
    }
    throw error;
  }
  return db;
}
