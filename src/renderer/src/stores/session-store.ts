/**
 * Who this session acts as (getSession: the token's name and role; the desktop window is admin),
 * read once when the session starts and again when the server refused an action (403: the role
 * may have changed) or after the live stream was reset.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Caller } from '../../../shared/contracts/access';
import { errorMessage } from '../api/api-error';
import type { MediaClient } from '../api/media-client';
import type { SessionStatus } from '../lib/access';

export interface SessionStoreState {
  readonly session: SessionStatus;
  load(): Promise<void>;
  /** Sets the caller directly (tests; a sign-in that already knows it). */
  setCaller(caller: Caller): void;
}

export type SessionStore = StoreApi<SessionStoreState>;

export function createSessionStore(client: MediaClient): SessionStore {
  let generation = 0;
  return createStore<SessionStoreState>()((set) => ({
    session: { status: 'checking' },
    async load() {
      const mine = ++generation;
      try {
        const caller = await client.call('getSession', {});
        if (mine === generation) set({ session: { status: 'known', caller: { name: caller.name, role: caller.role } } });
      } catch (error) {
        // keep a role already known (a network blip says nothing about it)
        if (mine === generation) set((s) => (s.session.status === 'known' ? s : { session: { status: 'unknown', error: errorMessage(error) } }));
      }
    },
    setCaller(caller) {
      generation += 1;
      set({ session: { status: 'known', caller } });
    },
  }));
}
