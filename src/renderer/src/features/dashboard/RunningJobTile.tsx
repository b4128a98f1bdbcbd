/**
 * One live job on the dashboard: the file it works on, its type, where it runs (node, and the GPU
 * it was placed on, or the node's only one), progress, frame rate, speed and time left, and its actions
 * (pause/resume, cancel, details) guarded like everywhere else. A segmented encode whose parts run
 * (#20) is one tile: its parts' count ("Encoding in parts: 2 running, 9 of 16 done"), the progress
 * and ETA aggregated over them, and actions on the parent (which act on every part).
 */
import { Badge, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { memo } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import { JobProgress } from '../../components/JobProgress';
import { JobTypeLabel } from '../../components/JobTypeLabel';
import { useRunRate } from '../../components/RunRate';
import { StatusBadge } from '../../components/StatusBadge';
import { formatSpan } from '../../lib/format';
import type { JobAction } from '../../lib/job-presentation';
import { jobSubject } from '../../lib/job-subject';
import { JobRowActions } from '../jobs/JobRowActions';
import { SegmentBadge, segmentPhase } from '../jobs/SegmentStatus';

export interface RunningJobTileProps {
  readonly job: Job;
  /** The GPU it runs on, when known. */
  readonly gpu: string | null;
  readonly onOpen: (job: Job) => void;
  readonly onAction: (action: JobAction, job: Job) => void;
}

function Figure({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" ff="monospace" aria-label={label}>
        {value}
      </Text>
    </div>
  );
}

export const RunningJobTile = memo(function RunningJobTile({ job, gpu, onOpen, onAction }: RunningJobTileProps) {
  const subject = jobSubject(job);
  const rate = useRunRate(job);
  const segment = segmentPhase(job);
  const { fps, speed } = rate;
  const eta = segment ? (job.chunks?.etaSeconds ?? null) : rate.eta;
  return (
    <Card withBorder padding="sm" radius="md" role="article" aria-label={`Running job: ${subject.title}`} data-job-id={job.id}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Stack gap={0} miw={0} style={{ flex: 1 }}>
            <Text fw={600} size="sm" truncate title={subject.title}>
              {subject.title}
            </Text>
            <Text size="xs" c="dimmed" ff="monospace" truncate title={subject.path ?? undefined}>
              {subject.path ?? '\u00a0'}
            </Text>
          </Stack>
          {segment ? <SegmentBadge phase={segment} /> : <StatusBadge status={job.status} cancelling={job.cancelling} />}
        </Group>
        <Group gap="xs" wrap="nowrap" justify="space-between">
          <JobTypeLabel type={job.type} />
          <Group gap={4} wrap="nowrap" miw={0}>
            {job.nodeId && (
              <Badge variant="outline" color="gray" size="sm" tt="none" title="Node">
                {job.nodeId}
              </Badge>
            )}
            {gpu && (
              <Badge variant="light" color="grape" size="sm" tt="none" title={gpu} aria-label={`Runs on ${gpu}`} maw={160}>
                {gpu}
              </Badge>
            )}
          </Group>
        </Group>
        {segment && (
          <Text size="xs" c="dimmed" aria-label="Parts">
            {segment.summary}
          </Text>
        )}
        <JobProgress status={segment?.encoding ? 'running' : job.status} progress={job.progress} />
        <Group justify="space-between" wrap="nowrap" align="flex-end">
          <SimpleGrid cols={3} spacing="xs" style={{ flex: 1 }}>
            <Figure label="FPS" value={fps !== null ? String(Math.round(fps)) : '—'} />
            <Figure label="Speed" value={speed !== null ? `${speed.toFixed(2)}×` : '—'} />
            <Figure label="ETA" value={eta !== null ? formatSpan(eta) : '—'} />
          </SimpleGrid>
          <JobRowActions job={job} onAction={onAction} onDetails={onOpen} />
        </Group>
      </Stack>
    </Card>
  );
});
