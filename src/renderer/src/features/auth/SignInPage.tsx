/** Web sign-in: asks for the API token once, checks it against the server, then keeps it for the session. */
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { signInErrorMessage } from './verify-token';

export interface SignInPageProps {
  readonly onSubmit: (token: string) => Promise<void>;
  /** Why the user is here again (e.g. the stored token stopped working). */
  readonly notice?: string | null;
}

export function SignInPage({ onSubmit, notice }: SignInPageProps) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" radius="md" p="xl" w={440} component="main">
        <form
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            const value = token.trim();
            if (!value) {
              setError('Enter the API token.');
              return;
            }
            setBusy(true);
            setError(null);
            try {
              await onSubmit(value);
            } catch (err) {
              setError(signInErrorMessage(err));
              setBusy(false);
            }
          }}
        >
          <Stack>
            <div>
              <Title order={2}>Media Job Control</Title>
              <Text size="sm" c="dimmed">
                Sign in with this server’s API token. It is kept for this browser tab only.
              </Text>
            </div>
            {notice && (
              <Alert color="yellow" variant="light">
                {notice}
              </Alert>
            )}
            <PasswordInput
              label="API token"
              description="Printed by `npm run headless`: the api-token file in the data folder, or MEDIA_API_TOKEN."
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
              error={error}
              autoComplete="current-password"
              data-autofocus
              autoFocus
              name="token"
            />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
