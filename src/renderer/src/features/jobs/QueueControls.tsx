/** Pause or resume the whole queue (running jobs go on; nothing new starts while paused). */
import { Badge, Button, Group } from '@mantine/core';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { DrainControl } from '../queue-control/DrainControl';
import { useAppStore } from '../../stores/stores-context';

export function QueueControls() {
  const queue = useAppStore('queue', (s) => s.queue);
  const busy = useAppStore('queue', (s) => s.busy);
  const pause = useAppStore('queue', (s) => s.pause);
  const resume = useAppStore('queue', (s) => s.resume);
  if (!queue) return null;
  const pausedCategories = queue.pausedCategories.length;
  return (
    <Group gap="xs">
      {queue.paused && (queue.drain?.state ?? 'off') === 'off' && (
        <Badge color="orange" variant="light">
          Queue paused
        </Badge>
      )}
      {!queue.paused && pausedCategories > 0 && (
        <Badge color="orange" variant="light">
          {pausedCategories} {pausedCategories === 1 ? 'category' : 'categories'} paused
        </Badge>
      )}
      <DrainControl />
      {queue.paused ? (
        <Guarded operation="resumeQueue">
          <Button variant="light" color="green" leftSection={<Icon name="play" size={14} />} loading={busy === 'all'} onClick={() => void resume()}>
            Resume queue
          </Button>
        </Guarded>
      ) : (
        <Guarded operation="pauseQueue" label="Running jobs go on; no new job starts until resumed">
          <Button variant="default" leftSection={<Icon name="pause" size={14} />} loading={busy === 'all'} onClick={() => void pause()}>
            Pause queue
          </Button>
        </Guarded>
      )}
    </Group>
  );
}
