/**
 * The session's savings store, made on first use for that session's stores (one per AppStores, so
 * a sign-out and sign-in start afresh), and the hooks the savings views read it with. It restores
 * through the session's client (403s are told like any other) and, after a restore, has the
 * library re-read its rows.
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { AppStores } from '../../stores/app-stores';
import { createSavingsStore, type SavingsState, type SavingsStore } from '../../stores/savings-store';
import { useStores } from '../../stores/stores-context';

const stores = new WeakMap<AppStores, SavingsStore>();

export function savingsStoreOf(app: AppStores): SavingsStore {
  let store = stores.get(app);
  if (!store) {
    store = createSavingsStore(app.client, {
      onRestored: () => {
        if (app.library.getState().pagination) void app.library.getState().load();
      },
    });
    stores.set(app, store);
  }
  return store;
}

export function useSavingsStore(): SavingsStore {
  return savingsStoreOf(useStores());
}

export function useSavings<T>(selector: (state: SavingsState) => T): T {
  return useStore(useSavingsStore(), selector);
}

/** Keeps the store current while the calling component is shown (`savings`: it shows the totals too). */
export function useRetainSavings(savings: boolean): void {
  const store = useSavingsStore();
  useEffect(() => store.getState().retain({ savings }), [store, savings]);
}
