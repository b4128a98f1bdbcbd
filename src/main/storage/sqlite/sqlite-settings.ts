/** Settings shared by the runtime's services (SettingsStore), as JSON text in the `app_settings` table. */
import { isDeepStrictEqual } from 'node:util';
import type Database from 'better-sqlite3';
import type { SettingsStore, StoredSetting } from '../../core/watch-ports';

export class SqliteSettingsStore implements SettingsStore {
  private readonly stmt;
  private readonly compareAndSet;

  constructor(db: Database.Database) {
    this.stmt = {
      read: db.prepare<[string], { value: string; updated_at: number }>('SELECT value, updated_at FROM app_settings WHERE key = ?'),
      write: db.prepare('INSERT INTO app_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
      insertIfAbsent: db.prepare('INSERT INTO app_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING'),
    };
    // the stored value compared as a value, not as text: a row written by hand (other spacing, 1.0)
    // must not fail every save; one transaction, so nothing writes between the read and the update
    this.compareAndSet = db.transaction((key: string, json: string, at: number, expected: StoredSetting): boolean => {
      const row = this.stmt.read.get(key);
      if (!row || row.updated_at !== expected.updatedAt || !isDeepStrictEqual(JSON.parse(row.value), expected.value)) return false;
      this.stmt.write.run(key, json, at);
      return true;
    });
  }

  async readSetting(key: string): Promise<{ value: unknown; updatedAt: number } | null> {
    const row = this.stmt.read.get(key);
    return row ? { value: JSON.parse(row.value) as unknown, updatedAt: row.updated_at } : null;
  }

  async writeSetting(key: string, value: unknown, at: number): Promise<void> {
    this.stmt.write.run(key, JSON.stringify(value), at);
  }

  async writeSettingIf(key: string, value: unknown, at: number, expected: StoredSetting | null): Promise<boolean> {
    const json = JSON.stringify(value);
    return expected === null ? this.stmt.insertIfAbsent.run(key, json, at).changes === 1 : this.compareAndSet(key, json, at, expected);
  }
}
