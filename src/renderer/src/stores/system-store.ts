/**
 * The System page's view of the node (getSystemInfo: GPUs, CPU, slots, VRAM, tools, encoders) and
 * of the fleet it belongs to (listNodes; one node when embedded), read together.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SystemInfo } from '../../../shared/contracts/system';
import type { Fleet } from '../../../shared/contracts/fleet';
import { errorMessage } from '../api/api-error';
import type { MediaClient } from '../api/media-client';

export interface SystemState {
  readonly info: SystemInfo | null;
  readonly fleet: Fleet | null;
  /** Why the node list could not be read (the rest of the page still shows). */
  readonly fleetError: string | null;
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
    fleet: null,
    fleetError: null,
    loading: false,
    error: null,
    loadedAt: null,
    async load() {
      const mine = ++seq;
      set({ loading: true });
      const fleet = client.call('listNodes', {}).then(
        (nodes) => ({ fleet: nodes, fleetError: null }),
        (error: unknown) => ({ fleetError: errorMessage(error) }),
      );
      try {
        const info = await client.call('getSystemInfo', {});
        const nodes = await fleet;
        if (mine === seq) set({ info, ...nodes, loading: false, error: null, loadedAt: Date.now() });
      } catch (error) {
        if (mine === seq) set({ loading: false, error: errorMessage(error) });
      }
    },
  }));
}
