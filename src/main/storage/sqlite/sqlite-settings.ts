/** Settings shared by the runtime's services (SettingsStore), as JSON text in the `app_settings` table. */
import type Database from 'better-sqlite3';
import type { SettingsStore, StoredSetting } from '../../core/watch-ports';

export class SqliteSettingsStore implements SettingsStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      read: db.prepare<[string], { value: string; updated_at: number }>('SELECT value, updated_at FROM app_settings WHERE key = ?'),
      write: db.prepare('INSERT INTO app_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
      insertIfAbsent: db.prepare('INSERT INTO app_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING'),
      // the value as text: what JSON.stringify wrote, and gives again of what JSON.parse read from it
      updateIf: db.prepare('UPDATE app_settings SET value = ?, updated_at = ? WHERE key = ? AND updated_at = ? AND value = ?'),
    };
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
    const result = expected === null ? this.stmt.insertIfAbsent.run(key, json, at) : this.stmt.updateIf.run(json, at, key, expected.updatedAt, JSON.stringify(expected.value));
    return result.changes === 1;
  }
}
