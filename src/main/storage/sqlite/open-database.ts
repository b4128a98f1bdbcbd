/**
 * Opens the embedded database with durable settings: WAL journal and synchronous=FULL, so a
 * committed transaction survives a power loss, not just a crash of this process.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32768'); // 32 MiB page cache: lists at a million jobs stay in memory within the RSS budget
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return db;
}
