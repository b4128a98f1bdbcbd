/** Counts per status from getStats / stats.changed, as small badges above the table. */
import { Badge, Group } from '@mantine/core';
import type { JobStatus } from '../../../../shared/domain/statuses';
import { STATUS_COLORS, STATUS_LABELS } from '../../lib/job-presentation';
import { useAppStore } from '../../stores/stores-context';

const SHOWN: readonly JobStatus[] = ['running', 'suspended', 'queued', 'pending', 'paused', 'failed', 'completed', 'cancelled'];

export function StatsSummary({ onPick }: { readonly onPick?: (status: JobStatus) => void }) {
  const stats = useAppStore('queue', (s) => s.stats);
  if (!stats) return null;
  return (
    <Group gap={6} aria-label="Jobs per status">
      {SHOWN.map((status) => (
        <Badge
          key={status}
          component="button"
          type="button"
          variant="light"
          color={STATUS_COLORS[status]}
          onClick={() => onPick?.(status)}
          style={{ cursor: onPick ? 'pointer' : undefined }}
          aria-label={`${STATUS_LABELS[status]}: ${stats[status]} (show only these)`}
        >
          {STATUS_LABELS[status]} {stats[status]}
        </Badge>
      ))}
    </Group>
  );
}
