/** Settings shared by every node of a fleet (SettingsStore), as JSON in the `app_settings` table. */
import type { SettingsStore, StoredSetting } from '../../core/watch-ports';
import type { Pool } from './pg-db';

export class PostgresSettingsStore implements SettingsStore {
  constructor(private readonly pool: Pool) {}

  async readSetting(key: string): Promise<{ value: unknown; updatedAt: number } | null> {
    const { rows } = await this.pool.query<{ value: unknown; updated_at: number }>('SELECT value, updated_at FROM app_settings WHERE key = $1', [key]);
    const row = rows[0];
    return row ? { value: row.value, updatedAt: Number(row.updated_at) } : null;
  }

  async writeSetting(key: string, value: unknown, at: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO app_settings (key, value, updated_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [key, JSON.stringify(value), at],
    );
  }

  async writeSettingIf(key: string, value: unknown, at: number, expected: StoredSetting | null): Promise<boolean> {
    const json = JSON.stringify(value);
    // jsonb equality compares values, not their spelling
    const result =
      expected === null
        ? await this.pool.query('INSERT INTO app_settings (key, value, updated_at) VALUES ($1, $2::jsonb, $3) ON CONFLICT (key) DO NOTHING', [key, json, at])
        : await this.pool.query('UPDATE app_settings SET value = $2::jsonb, updated_at = $3 WHERE key = $1 AND updated_at = $4 AND value = $5::jsonb', [key, json, at, expected.updatedAt, JSON.stringify(expected.value)]);
    return result.rowCount === 1;
  }
}
