/**
 * The job type, chosen from a list grouped by resource category, each named by what it does with
 * its id beside it ("Re-encode for web playback (H.264) (reencode_streaming)") and its default
 * VRAM. Not searchable: typing cannot leave the field showing one type while another is chosen,
 * and it never opens by itself (a click, or Enter / arrow keys on it, opens it).
 */
import { Group, Select, Text } from '@mantine/core';
import { JOB_TYPE_CATALOG, type JobType } from '../../../../shared/domain/job-types';
import { jobTypeGroups, jobTypeLabel } from '../../lib/job-type-labels';

const GROUPS = jobTypeGroups();

export function vramLabel(type: JobType): string {
  const mb = JOB_TYPE_CATALOG[type].defaultVramMb;
  return mb > 0 ? `${(mb / 1000).toLocaleString()} GB VRAM` : 'no VRAM';
}

export function JobTypeSelect({ value, onChange }: { readonly value: JobType; readonly onChange: (type: JobType) => void }) {
  return (
    <Select
      label="Type"
      data={GROUPS}
      value={value}
      onChange={(v) => v && onChange(v as JobType)}
      allowDeselect={false}
      searchable={false}
      withAsterisk
      maxDropdownHeight={360}
      renderOption={({ option }) => (
        <Group justify="space-between" wrap="nowrap" w="100%" gap="sm">
          <Text size="sm" miw={0}>
            {jobTypeLabel(option.value as JobType)}{' '}
            <Text span size="xs" c="dimmed" ff="monospace">
              ({option.value})
            </Text>
          </Text>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {vramLabel(option.value as JobType)}
          </Text>
        </Group>
      )}
    />
  );
}
