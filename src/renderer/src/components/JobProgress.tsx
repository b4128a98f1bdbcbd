/** Progress of a job: striped and animated while running, green when completed, red when failed. */
import { Group, Progress, Text } from '@mantine/core';
import type { JobStatus } from '../../../shared/domain/statuses';
import { progressColor } from '../lib/job-presentation';

export function JobProgress({ status, progress, withLabel = true }: { readonly status: JobStatus; readonly progress: number; readonly withLabel?: boolean }) {
  const value = status === 'completed' ? 100 : Math.max(0, Math.min(100, progress));
  const running = status === 'running';
  return (
    <Group gap={6} wrap="nowrap" miw={120}>
      <Progress
        value={status === 'failed' && value === 0 ? 100 : value}
        color={progressColor(status)}
        striped={running}
        animated={running}
        size="md"
        radius="sm"
        style={{ flex: 1 }}
        aria-label={`Progress ${value}%`}
        data-status={status}
      />
      {withLabel && (
        <Text size="xs" c="dimmed" w={34} ta="right" ff="monospace">
          {value}%
        </Text>
      )}
    </Group>
  );
}
