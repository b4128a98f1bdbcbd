/**
 * Draining the queue, next to its pause/resume control: the drain's state (draining with how many
 * jobs are still live → drained), live from `queue.updated` through the session's queue store, and
 * the Drain action (operate) behind a confirmation. Resuming the whole queue ends a drain.
 */
import { Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useStore } from 'zustand';
import type { DrainState } from '../../../../shared/contracts/queue-control';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { queueControlStoreFor } from '../../stores/queue-control-store';
import { useAppStore, useStores } from '../../stores/stores-context';

export function useQueueControlStore() {
  const stores = useStores();
  const [store] = useState(() => queueControlStoreFor(stores));
  return store;
}

/** "Draining · 2 running" / "Drained"; nothing while no drain is on. */
export function DrainBadge({ drain }: { readonly drain: DrainState | undefined }) {
  if (!drain || drain.state === 'off') return null;
  const draining = drain.state === 'draining';
  const title = draining ? 'Nothing new starts; running jobs finish' : 'Nothing runs and nothing new starts until the queue is resumed';
  return (
    <Badge color={draining ? 'yellow' : 'teal'} variant="light" title={title} style={{ flexShrink: 0 }}>
      {draining ? `Draining · ${drain.live} running` : 'Drained'}
    </Badge>
  );
}

export function DrainControl({ size = 'sm' }: { readonly size?: 'xs' | 'sm' }) {
  const store = useQueueControlStore();
  const queue = useAppStore('queue', (s) => s.queue);
  const busy = useStore(store, (s) => s.draining);
  const drainError = useStore(store, (s) => s.drainError);
  const [confirming, setConfirming] = useState(false);
  if (!queue) return null;
  const drain = queue.drain;
  const off = !drain || drain.state === 'off';

  const confirm = async () => {
    if (await store.getState().drain()) setConfirming(false);
  };

  return (
    <>
      <span role="status" style={{ display: 'contents' }}>
        <DrainBadge drain={drain} />
      </span>
      {off && (
        <Guarded operation="drainQueue" label="Start nothing new, let running jobs finish">
          <Button size={size} variant="default" leftSection={<Icon name="pause" size={14} />} loading={busy} onClick={() => setConfirming(true)}>
            Drain
          </Button>
        </Guarded>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Drain the queue?" centered>
        <Stack gap="sm">
          <Text size="sm">
            Nothing new starts on any node. Running jobs finish, nothing is stopped; once none is left the queue says <b>drained</b>. Resume the queue to end the drain.
          </Text>
          {queue.paused && (
            <Text size="sm" c="dimmed">
              The queue is paused now; draining keeps it so and tells when the last running job has ended.
            </Text>
          )}
          {drainError && (
            <Text size="sm" c="red" role="alert">
              {drainError}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Keep going
            </Button>
            <Button color="yellow" loading={busy} onClick={() => void confirm()}>
              Drain queue
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** The queue's pause/drain state in a few words (for pages that only show it). */
export function queueStateText(paused: boolean, drain: DrainState | undefined): string {
  if (drain?.state === 'draining') return `draining (${drain.live} still running)`;
  if (drain?.state === 'drained') return 'drained';
  return paused ? 'paused' : 'running';
}
