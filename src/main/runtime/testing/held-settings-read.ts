/**
 * Test support: the next read of a MemorySettingsStore reads the row at once but answers only when
 * `release()` is called, as a database round trip that a write of the same node overtakes.
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
