/**
 * The page says when the live connection is lost and when it is back: while it is down (actions
 * are held back meanwhile, see components/Guarded.tsx) a warning with the time it was lost; after it
 * reconnects, the time it came back (the stores re-read what changed meanwhile), until dismissed.
 */
import { Alert, Text } from '@mantine/core';
import { useState } from 'react';
import { Icon } from '../components/icons';
import { useAppStore } from '../stores/stores-context';

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function ConnectionBanner() {
  const status = useAppStore('connection', (s) => s.status);
  const lostAt = useAppStore('connection', (s) => s.lostAt ?? null);
  const reconnectedAt = useAppStore('connection', (s) => s.reconnectedAt ?? null);
  const [dismissed, setDismissed] = useState<number | null>(null);

  if (status === 'reconnecting' || status === 'closed') {
    return (
      <Alert color="yellow" icon={<Icon name="alert" />} title={status === 'closed' ? 'Disconnected from the server' : 'Connection lost: reconnecting…'} role="alert" mb="md">
        <Text size="sm">
          {lostAt !== null ? `Since ${clock(lostAt)}. ` : ''}Actions are disabled until the connection is back; what this page shows may be out of date.
        </Text>
      </Alert>
    );
  }
  if (status === 'live' && reconnectedAt !== null && dismissed !== reconnectedAt) {
    return (
      <Alert color="green" icon={<Icon name="check" />} title={`Reconnected at ${clock(reconnectedAt)}`} role="status" mb="md" withCloseButton closeButtonLabel="Dismiss" onClose={() => setDismissed(reconnectedAt)}>
        <Text size="sm">The page was brought up to date with what changed while it was away.</Text>
      </Alert>
    );
  }
  return null;
}
