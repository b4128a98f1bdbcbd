/**
 * The browser's way in: the token is asked once, verified with a real call, and kept in
 * sessionStorage; a token the server later refuses (401) signs the user out with a notice.
 */
import { useCallback, useMemo, useState } from 'react';
import { createHttpClient } from '../api/http-client';
import { SignInPage } from '../features/auth/SignInPage';
import { sessionTokenStorage, type TokenStorage } from '../features/auth/token-storage';
import { verifyToken } from '../features/auth/verify-token';
import { Session } from './Session';

export function WebSession({ storage = sessionTokenStorage() }: { readonly storage?: TokenStorage }) {
  const [token, setToken] = useState<string | null>(() => storage.get());
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback(
    (why: string | null = null) => {
      storage.clear();
      setNotice(why);
      setToken(null);
    },
    [storage],
  );

  const client = useMemo(
    () => (token ? createHttpClient({ token, onUnauthorized: () => signOut('The server no longer accepts the token; sign in again.') }) : null),
    [token, signOut],
  );

  if (!client) {
    return (
      <SignInPage
        notice={notice}
        onSubmit={async (value) => {
          await verifyToken(value);
          storage.set(value);
          setNotice(null);
          setToken(value);
        }}
      />
    );
  }
  return <Session key={token} client={client} onSignOut={() => signOut(null)} />;
}
