/**
 * Conformance suite of the shared settings (core/watch-ports.ts SettingsStore): every adapter
 * (SQLite, PostgreSQL, memory) must pass it unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SettingsStore } from '../../core/watch-ports';

export interface SettingsStores {
  readonly settings: SettingsStore;
  close(): Promise<void>;
}

export function describeSettingsStoreConformance(adapterName: string, factory: () => Promise<SettingsStores>): void {
  describe(`settings store conformance: ${adapterName}`, () => {
    let s: SettingsStores;
    beforeEach(async () => {
      s = await factory();
    });
    afterEach(async () => s.close());

    it('keeps settings as JSON under a key, replaced by the next write', async () => {
      expect(await s.settings.readSetting('library.watch')).toBeNull();
      await s.settings.writeSetting('library.watch', { enabled: true, folders: ['inbox'], stableSeconds: 2.5 }, 1_000);
      expect(await s.settings.readSetting('library.watch')).toEqual({ value: { enabled: true, folders: ['inbox'], stableSeconds: 2.5 }, updatedAt: 1_000 });
      await s.settings.writeSetting('library.watch', { enabled: false }, 2_000);
      expect(await s.settings.readSetting('library.watch')).toEqual({ value: { enabled: false }, updatedAt: 2_000 });
    });

    it('writes a setting only while it is still the row read (compare and set): absent, same time and value', async () => {
      const key = 'runtime';
      expect(await s.settings.writeSettingIf(key, { a: 1 }, 1_000, null)).toBe(true);
      // another save got there first: no row expected, one is stored
      expect(await s.settings.writeSettingIf(key, { b: 2 }, 1_001, null)).toBe(false);
      const read = await s.settings.readSetting(key);
      expect(read).toEqual({ value: { a: 1 }, updatedAt: 1_000 });
      const nested = { limits: { cpu: 3, gpu_encode: 1 }, hangTimeoutMs: 60_000, name: 'é "quoted"', list: [1, 2.5, null] };
      expect(await s.settings.writeSettingIf(key, nested, 2_000, read)).toBe(true);
      // the row read before that write is no longer stored: its time differs
      expect(await s.settings.writeSettingIf(key, { c: 3 }, 3_000, read)).toBe(false);
      // the same time with another value (two saves in one millisecond) is another row too
      expect(await s.settings.writeSettingIf(key, { c: 3 }, 3_000, { value: { limits: { cpu: 4, gpu_encode: 1 } }, updatedAt: 2_000 })).toBe(false);
      expect(await s.settings.readSetting(key)).toEqual({ value: nested, updatedAt: 2_000 });
      // the row as read back (the store's own JSON round trip) is the row stored
      expect(await s.settings.writeSettingIf(key, { d: 4 }, 4_000, (await s.settings.readSetting(key))!)).toBe(true);
      expect(await s.settings.readSetting(key)).toEqual({ value: { d: 4 }, updatedAt: 4_000 });
    });
  });
}
