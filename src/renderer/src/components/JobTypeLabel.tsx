/** A job type: its icon and its name in monospace. */
import { Group, Text, Tooltip } from '@mantine/core';
import { JOB_TYPE_CATALOG, type JobType } from '../../../shared/domain/job-types';
import { JOB_TYPE_ICONS } from '../lib/job-presentation';
import { Icon } from './icons';

export function JobTypeLabel({ type }: { readonly type: JobType }) {
  return (
    <Tooltip label={JOB_TYPE_CATALOG[type]?.description ?? type} openDelay={400}>
      <Group gap={6} wrap="nowrap">
        <Icon name={JOB_TYPE_ICONS[type] ?? 'jobs'} size={16} />
        <Text ff="monospace" size="sm">
          {type}
        </Text>
      </Group>
    </Tooltip>
  );
}
