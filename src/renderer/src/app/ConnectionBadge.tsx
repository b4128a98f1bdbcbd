/** Whether live updates are flowing (SSE in the browser, IPC in the desktop app). */
import { Badge, Tooltip } from '@mantine/core';
import type { StreamStatus } from '../api/media-client';
import { useAppStore } from '../stores/stores-context';

const LOOK: Readonly<Record<StreamStatus, { color: string; label: string; hint: string }>> = {
  live: { color: 'green', label: 'Live', hint: 'Updates arrive as they happen' },
  connecting: { color: 'gray', label: 'Connecting', hint: 'Opening the live event stream' },
  reconnecting: { color: 'yellow', label: 'Reconnecting', hint: 'The live stream dropped; missed events are replayed on reconnect' },
  closed: { color: 'red', label: 'Offline', hint: 'No live updates' },
};

export function ConnectionBadge() {
  const status = useAppStore('connection', (s) => s.status);
  const look = LOOK[status];
  return (
    <Tooltip label={look.hint}>
      <Badge color={look.color} variant="dot" aria-label={`Live updates: ${look.label}`}>
        {look.label}
      </Badge>
    </Tooltip>
  );
}
