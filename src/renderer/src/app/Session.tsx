/** One connected session: the stores around a client, live events flowing, and the app shell. */
import { useEffect, useState } from 'react';
import type { MediaClient } from '../api/media-client';
import { NotificationListener } from '../features/notifications/NotificationListener';
import { createAppStores } from '../stores/app-stores';
import { StoresProvider } from '../stores/stores-context';
import { AppLayout } from './AppLayout';

export function Session({ client, onSignOut }: { readonly client: MediaClient; readonly onSignOut?: () => void }) {
  const [stores] = useState(() => createAppStores(client));
  useEffect(() => stores.start(), [stores]);
  return (
    <StoresProvider stores={stores}>
      <AppLayout onSignOut={onSignOut} />
      <NotificationListener />
    </StoresProvider>
  );
}
