/** A SettingsStore kept in memory: for runtimes built without a database settings table (tests, tools). */
import { isDeepStrictEqual } from 'node:util';
import type { SettingsStore, StoredSetting } from '../core/watch-ports';

export class MemorySettingsStore implements SettingsStore {
  private readonly values = new Map<string, { value: unknown; updatedAt: number }>();

  async readSetting(key: string): Promise<{ value: unknown; updatedAt: number } | null> {
    return this.values.get(key) ?? null;
  }

  async writeSetting(key: string, value: unknown, at: number): Promise<void> {
    // a copy, as a database would keep: later changes to `value` are not the stored setting
    this.values.set(key, { value: structuredClone(value), updatedAt: at });
  }

  async writeSettingIf(key: string, value: unknown, at: number, expected: StoredSetting | null): Promise<boolean> {
    const stored = this.values.get(key) ?? null;
    const unchanged = expected === null ? stored === null : stored !== null && stored.updatedAt === expected.updatedAt && isDeepStrictEqual(stored.value, expected.value);
    if (unchanged) this.values.set(key, { value: structuredClone(value), updatedAt: at });
    return unchanged;
  }
}
