/**
 * When a pipeline runs: the trigger type and what that type needs (the folders a new file must be
 * in, a cron expression, the job type whose completion starts it). The next times of a schedule
 * are computed here with croner (the server's own parser), so a typo shows before saving.
 */
import { Group, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { Cron } from 'croner';
import { useMemo } from 'react';
import type { PipelineTrigger } from '../../../../shared/domain/pipeline';
import type { JobType } from '../../../../shared/domain/job-types';
import { VIDEO_DIRECTORIES } from '../../../../shared/domain/library';
import { formatDateTime } from '../../lib/format';
import { jobTypeGroups } from '../../lib/job-type-labels';
import { errorAt, TRIGGER_TYPES, triggerOfType, type FieldErrors } from './pipeline-draft';

const JOB_TYPE_GROUPS = jobTypeGroups();

function nextRuns(cron: string): { times: string[]; error: string | null } {
  try {
    const job = new Cron(cron, { paused: true, mode: '5-or-6-parts' });
    return { times: job.nextRuns(3).map((d) => formatDateTime(d.toISOString())), error: null };
  } catch (error) {
    return { times: [], error: error instanceof Error ? error.message : String(error) };
  }
}

export function TriggerFields({ trigger, onChange, errors }: { readonly trigger: PipelineTrigger; readonly onChange: (t: PipelineTrigger) => void; readonly errors: FieldErrors }) {
  const schedule = useMemo(() => (trigger.type === 'schedule' ? nextRuns(trigger.cron) : null), [trigger]);
  return (
    <Stack gap="xs">
      <Select
        label="Runs when"
        data={TRIGGER_TYPES.map((t) => ({ value: t.value, label: t.label }))}
        value={trigger.type}
        allowDeselect={false}
        onChange={(v) => v && onChange(triggerOfType(v as PipelineTrigger['type'], trigger))}
        error={errorAt(errors, 'trigger.type')}
      />
      {trigger.type === 'file_added' && (
        <TagsInput
          label="Folders"
          description="Library folders a new file must be in (or below); none: anywhere in the library."
          data={[...VIDEO_DIRECTORIES]}
          value={trigger.folders ?? []}
          placeholder="inbox, videos/incoming … (Enter to add)"
          onChange={(folders) => onChange(folders.length > 0 ? { type: 'file_added', folders } : { type: 'file_added' })}
          error={errorAt(errors, 'trigger.folders')}
        />
      )}
      {trigger.type === 'schedule' && (
        <>
          <TextInput
            label="Cron expression"
            description="minute hour day-of-month month day-of-week (local time), or 6 fields with seconds first"
            value={trigger.cron}
            onChange={(e) => onChange({ type: 'schedule', cron: e.currentTarget.value })}
            error={errorAt(errors, 'trigger.cron') ?? (schedule?.error ? `Not a cron expression: ${schedule.error}` : undefined)}
            ff="monospace"
          />
          {schedule && schedule.times.length > 0 && (
            <Group gap={6}>
              <Text size="xs" c="dimmed">
                Next:
              </Text>
              <Text size="xs">{schedule.times.join(' · ')}</Text>
            </Group>
          )}
        </>
      )}
      {trigger.type === 'job_completed' && (
        <Select
          label="Job type"
          description="Runs on the job's output video and the videos its params name."
          data={JOB_TYPE_GROUPS}
          value={trigger.jobType}
          allowDeselect={false}
          maxDropdownHeight={320}
          onChange={(v) => v && onChange({ type: 'job_completed', jobType: v as JobType })}
          error={errorAt(errors, 'trigger.jobType')}
        />
      )}
    </Stack>
  );
}
