/**
 * Stores for component tests whose session already knows the caller (no start(), no getSession
 * wait). A fake client is told to answer getSession with that caller too, so a start() keeps it.
 */
import type { Caller, Role } from '../../../shared/contracts/access';
import type { MediaClient } from '../api/media-client';
import { createAppStores, type AppStores, type AppStoresOptions } from '../stores/app-stores';
import { createFakeClient, type FakeClient } from './fake-client';

/** `role` alone names the caller after it ("read" → {name: 'read-token', role: 'read'}). */
export function storesAs(caller: Caller | Role = 'admin', client: MediaClient = createFakeClient(), options?: AppStoresOptions): AppStores {
  const resolved: Caller = typeof caller === 'string' ? { name: `${caller}-token`, role: caller } : caller;
  if ('handlers' in client) (client as FakeClient).handlers.getSession = () => resolved;
  const stores = createAppStores(client, options);
  stores.session.getState().setCaller(resolved);
  return stores;
}
