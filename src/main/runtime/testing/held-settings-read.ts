/**
 * Test support for two nodes sharing one settings row (a MemorySettingsStore):
 * - holdNextRead: the next read reads the row at once but answers only when `release()` is called,
 *   as a database round trip that a write of the same node overtakes;
 * - raceNextWrite: `other` (another node's save) runs between the next write's read and the write
 *   itself, whichever way the write is made (plain or compare and set).
 */
import type { MemorySettingsStore } from '../memory-settings';

export function holdNextRead(store: MemorySettingsStore): () => void {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const read = store.readSetting.bind(store);
  store.readSetting = async (key) => {
    store.readSetting = read; // only this read is held
    const row = await read(key);
    await held;
    return row;
  };
  return release;
}

export function raceNextWrite(store: MemorySettingsStore, other: () => Promise<void>): void {
  const write = store.writeSetting.bind(store);
  const writeIf = store.writeSettingIf.bind(store);
  const restore = () => {
    store.writeSetting = write;
    store.writeSettingIf = writeIf;
  };
  store.writeSetting = async (key, value, at) => {
    restore();
    await other();
    return write(key, value, at);
  };
  store.writeSettingIf = async (key, value, at, expected) => {
    restore();
    await other();
    return writeIf(key, value, at, expected);
  };
}
