/** React access to the session's stores: `useAppStore('jobs', (s) => s.jobs)`. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { AppStores } from './app-stores';

const StoresContext = createContext<AppStores | null>(null);

export function StoresProvider({ stores, children }: { readonly stores: AppStores; readonly children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): AppStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores needs a <StoresProvider>.');
  return stores;
}

type StoreKey = { [K in keyof AppStores]: AppStores[K] extends StoreApi<unknown> ? K : never }[keyof AppStores];
type StateOf<K extends StoreKey> = AppStores[K] extends StoreApi<infer S> ? S : never;

export function useAppStore<K extends StoreKey, T>(key: K, selector: (state: StateOf<K>) => T): T {
  const store = useStores()[key] as unknown as StoreApi<StateOf<K>>;
  return useStore<StoreApi<StateOf<K>>, T>(store, selector);
}
