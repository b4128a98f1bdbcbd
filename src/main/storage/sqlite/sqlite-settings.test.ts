/**
 * SqliteSettingsStore's compare and set holds the stored value against the row read as a value, not
 * as text: a row written by hand (other spacing, `1.0`) does not make every later save fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open-database';
import { SqliteSettingsStore } from './sqlite-settings';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SqliteSettingsStore', () => {
  it('saves over a row written by hand in another spelling, and still refuses a changed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mjc-settings-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'jobs.db'));
    try {
      const store = new SqliteSettingsStore(db);
      db.prepare('INSERT INTO app_settings (key, value, updated_at) VALUES (?, ?, ?)').run('runtime-settings', '{ "limits" : { "cpu" : 2.0 },\n  "hangTimeoutMs": 60000 }', 500);
      const read = await store.readSetting('runtime-settings');
      expect(read).toEqual({ value: { limits: { cpu: 2 }, hangTimeoutMs: 60_000 }, updatedAt: 500 });
      expect(await store.writeSettingIf('runtime-settings', { limits: { cpu: 3 } }, 600, read)).toBe(true);
      expect(await store.readSetting('runtime-settings')).toEqual({ value: { limits: { cpu: 3 } }, updatedAt: 600 });
      // the row read before that save is no longer stored
      expect(await store.writeSettingIf('runtime-settings', { limits: { cpu: 4 } }, 700, read)).toBe(false);
    } finally {
      db.close();
    }
  });
});
