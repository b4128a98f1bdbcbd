/** The System page's view of the node (getSystemInfo): GPUs, CPU, slots, VRAM, tools, encoders. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SystemInfo } from '../../../shared/contracts/system';
import { errorMessage } from '../api/api-error';
import type { MediaClient } from '../api/media-client';

export interface SystemState {
  readonly info: SystemInfo | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly loadedAt: number | null;
  load(): Promise<void>;
}

export type SystemStore = StoreApi<SystemState>;

export function createSystemStore(client: MediaClient): SystemStore {
  let seq = 0;
  return createStore<SystemState>()((set) => ({
    info: null,
    loading: false,
    error: null,
    loadedAt: null,
    async load() {
      const mine = ++seq;
      set({ loading: true });
      try {
        const info = await client.call('getSystemInfo', {});
        if (mine === seq) set({ info, loading: false, error: null, loadedAt: Date.now() });
      } catch (error) {
        if (mine === seq) set({ loading: false, error: errorMessage(error) });
      }
    },
  }));
}
