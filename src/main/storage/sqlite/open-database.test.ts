/**
 * Issue #14, finding 9: a database that is missing, empty or replaced where a queue used to be
 * stops the start with a message naming the file; a new folder still starts empty.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markerPathOf } from './database-marker';
import { openDatabase } from './open-database';

function folderWithQueue(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mjc-db-')), 'media-jobs.db');
  const db = openDatabase(file);
  db.prepare(`INSERT INTO jobs (id, type, status, params, priority, resource_category, vram_required, max_retries, created_at, enqueued_at, updated_at)
    VALUES ('j1', 'scan', 'pending', '{}', 5, 'cpu', 0, 3, 1, 1, 1)`).run();
  db.close();
  return file;
}

describe('opening the embedded database', () => {
  it('starts a new folder empty and marks it as holding a queue', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mjc-db-')), 'media-jobs.db');
    const db = openDatabase(file);
    expect(db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 0 });
    db.close();
    expect(existsSync(markerPathOf(file))).toBe(true);
    openDatabase(file).close(); // and opens again
  });

  it.each([
    ['emptied to 0 bytes', (file: string) => truncateSync(file, 0), /is empty \(0 bytes\)/],
    ['deleted', (file: string) => rmSync(file), /is missing/],
    ['replaced by another SQLite file', (file: string) => {
      rmSync(file);
      const other = new Database(file);
      other.exec('CREATE TABLE notes (x)');
      other.close();
    }, /holds no queue/],
  ])('refuses a database %s where a queue used to be, naming the file', (_what, damage, why) => {
    const file = folderWithQueue();
    damage(file);
    expect(() => openDatabase(file)).toThrow(why);
    expect(() => openDatabase(file)).toThrow(file);
    expect(() => openDatabase(file)).toThrow(/Restore the file from a backup/);
  });

  it('refuses an empty database beside a write-ahead log that holds data (a folder from before markers)', () => {
    const file = folderWithQueue();
    rmSync(markerPathOf(file));
    truncateSync(file, 0);
    writeFileSync(`${file}-wal`, Buffer.alloc(4096, 1));
    expect(() => openDatabase(file)).toThrow(/write-ahead log/);
  });

  it('marks a folder from before markers that still holds its queue, and keeps the queue', () => {
    const file = folderWithQueue();
    rmSync(markerPathOf(file));
    const db = openDatabase(file);
    expect(db.prepare('SELECT count(*) AS n FROM jobs').get()).toEqual({ n: 1 });
    db.close();
    expect(existsSync(markerPathOf(file))).toBe(true);
  });

  it('names a file that is not a database', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mjc-db-')), 'media-jobs.db');
    writeFileSync(file, 'this is not a database, it is a shopping list'.repeat(200));
    expect(() => openDatabase(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a SQLite database or is damaged`));
  });
});
