/**
 * Opens the embedded database with durable settings: WAL journal and synchronous=FULL, so a
 * committed transaction survives a power loss, not just a crash of this process.
 *
 * The connection holds an exclusive lock on the file for its whole life: only one runtime may
 * drive a data folder (two would each "recover" the other's running jobs and run them twice).
 * The operating system drops the lock when the process dies, even by kill -9.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export class DatabaseInUseError extends Error {
  constructor(readonly file: string) {
    super(`Another process is using ${file} (is the desktop app or a headless server already running on this data folder?). Stop it, or set MEDIA_DATA_DIR to another folder.`);
    this.name = 'DatabaseInUseError';
  }
}

export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
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
    migrate(db);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DatabaseInUseError(file);
    throw error;
  }
  return db;
}
