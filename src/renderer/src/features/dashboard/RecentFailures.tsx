/** The jobs that failed in the last 24 hours, newest first, each with its file, type, reason and time. */
import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { Job } from '../../../../shared/contracts/job';
import { JobTypeLabel } from '../../components/JobTypeLabel';
import { formatDateTime, formatWhen } from '../../lib/format';
import { jobSubject } from '../../lib/job-subject';

export interface RecentFailuresProps {
  readonly failures: readonly Job[];
  readonly onOpen: (jobId: string) => void;
  readonly onShowAll: () => void;
}

export function RecentFailures({ failures, onOpen, onShowAll }: RecentFailuresProps) {
  return (
    <Card component="section" withBorder radius="md" padding="md" aria-label="Failures in the last 24 hours">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          Failures (24 h)
        </Title>
        <Anchor component="button" type="button" size="sm" onClick={onShowAll}>
          All failed jobs
        </Anchor>
      </Group>
      {failures.length === 0 ? (
        <Text size="sm" c="dimmed">
          No job failed in the last 24 hours.
        </Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {failures.map((job) => {
            const subject = jobSubject(job);
            return (
              <li key={job.id} data-job-id={job.id}>
                <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                  <Stack gap={0} miw={0} style={{ flex: 1 }}>
                    <Anchor component="button" type="button" size="sm" fw={500} ta="left" onClick={() => onOpen(job.id)} truncate title={subject.path ?? subject.title} maw="100%">
                      {subject.title}
                    </Anchor>
                    <Text size="xs" c="red" lineClamp={2} title={job.lastError ?? undefined}>
                      {job.lastError ?? 'No reason recorded'}
                    </Text>
                  </Stack>
                  <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
                    <JobTypeLabel type={job.type} />
                    <Text size="xs" c="dimmed" title={formatDateTime(job.completedAt)}>
                      {formatWhen(job.completedAt)}
                    </Text>
                  </Stack>
                </Group>
              </li>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}
