/**
 * The spec's "Create Job" modal (Option 2): type grouped by resource category with its default
 * VRAM, a video selector for types that take videos, priority 1–10, and the parameters as JSON
 * pre-filled with the type's defaults. Parameters are checked against the type's schema before
 * anything is sent; the server's own refusals are shown with their message and fields.
 */
import { Alert, Badge, Button, Group, JsonInput, List, Modal, Select, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { JOB_TYPE_CATALOG, type JobType } from '../../../../shared/domain/job-types';
import { DEFAULT_PRIORITY } from '../../../../shared/domain/statuses';
import { PrioritySlider } from '../../components/PrioritySlider';
import { errorMessage, fieldErrors } from '../../api/api-error';
import { CategoryBadge } from '../../components/CategoryBadge';
import { Guarded, useOperationAccess } from '../../components/Guarded';
import { useStores } from '../../stores/stores-context';
import { checkParams, defaultParams, jobTypeOptions, videoCountOf, videoInputOf, withVideos, type VideoInput } from './job-form';
import { VideoPicker } from './VideoPicker';

export interface CreateJobModalProps {
  readonly opened: boolean;
  readonly onClose: () => void;
  /** Told the new job's id (the page may open its detail). */
  readonly onCreated?: (jobId: string) => void;
  readonly initialType?: JobType;
}

const TYPE_OPTIONS = jobTypeOptions();

function vramLabel(type: JobType): string {
  const mb = JOB_TYPE_CATALOG[type].defaultVramMb;
  return mb > 0 ? `${(mb / 1000).toLocaleString()} GB VRAM` : 'no VRAM';
}

/** "must be a video id" says little when no video was chosen yet. */
function explainVideoErrors(errors: Readonly<Record<string, string>>, input: VideoInput, count: { min: number; max: number } | null): Record<string, string> {
  const out = { ...errors };
  if (input === 'single' && 'videoId' in out) out.videoId = 'Choose a video (or put its id in the parameters).';
  if (input === 'multiple' && 'videoIds' in out && count) out.videoIds = count.min === count.max ? `Choose exactly ${count.min} videos.` : `Choose ${count.min} to ${count.max} videos.`;
  return out;
}

export function CreateJobModal({ opened, onClose, onCreated, initialType = 'scan' }: CreateJobModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Create job" size="lg" centered>
      {opened && <CreateJobForm onClose={onClose} onCreated={onCreated} initialType={initialType} />}
    </Modal>
  );
}

function CreateJobForm({ onClose, onCreated, initialType }: { readonly onClose: () => void; readonly onCreated?: ((jobId: string) => void) | undefined; readonly initialType: JobType }) {
  const { client } = useStores();
  const access = useOperationAccess('createJob');
  const [type, setType] = useState<JobType>(initialType);
  const [videoIds, setVideoIds] = useState<string[]>([]);
  const [priority, setPriority] = useState(DEFAULT_PRIORITY);
  const [json, setJson] = useState(() => JSON.stringify(defaultParams(initialType), null, 2));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const videoInput = useMemo(() => videoInputOf(type), [type]);
  const count = useMemo(() => (videoInput === 'multiple' ? videoCountOf(type) : null), [type, videoInput]);
  const definition = JOB_TYPE_CATALOG[type];

  // a new type starts from its own defaults (with the videos already chosen, where it takes some)
  useEffect(() => {
    setJson(JSON.stringify(defaultParams(type, videoInputOf(type) === 'single' ? videoIds.slice(0, 1) : videoIds), null, 2));
    setErrors({});
    setServerError(null);
    // only a change of type resets the parameters
  }, [type]);

  const pickVideos = (ids: string[]) => {
    setVideoIds(ids);
    setJson((current) => withVideos(type, current, ids));
    setErrors((e) => {
      const { videoId: _a, videoIds: _b, ...rest } = e;
      return rest;
    });
  };

  const submit = async () => {
    if (!access.allowed) return; // the Create button says why
    setServerError(null);
    const checked = checkParams(type, json);
    if (!checked.ok) {
      setErrors(explainVideoErrors(checked.errors, videoInput, count));
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      const created = await client.call('createJob', { type, params: checked.params, priority });
      onCreated?.(created.id);
      onClose();
    } catch (error) {
      const byField: Record<string, string> = {};
      for (const [path, message] of Object.entries(fieldErrors(error))) byField[path.replace(/^params\.?/, '')] = message;
      setErrors(byField);
      setServerError(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  };

  const videoError = errors.videoId ?? errors.videoIds;
  const otherErrors = Object.entries(errors).filter(([k]) => k !== '' && k !== 'videoId' && k !== 'videoIds');

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="md">
        <Select
          label="Type"
          data={TYPE_OPTIONS}
          value={type}
          onChange={(v) => v && setType(v as JobType)}
          allowDeselect={false}
          searchable
          withAsterisk
          data-autofocus
          renderOption={({ option }) => (
            <Group justify="space-between" wrap="nowrap" w="100%">
              <Text ff="monospace" size="sm">
                {option.value}
              </Text>
              <Text size="xs" c="dimmed">
                {vramLabel(option.value as JobType)}
              </Text>
            </Group>
          )}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group gap="xs">
          <CategoryBadge category={definition.category} />
          <Badge variant="outline" color="gray" size="sm" tt="none">
            default {vramLabel(type)}
          </Badge>
          <Text size="sm" c="dimmed">
            {definition.description}
          </Text>
        </Group>

        {videoInput !== 'none' && (
          <VideoPicker
            key={videoInput}
            multiple={videoInput === 'multiple'}
            value={videoInput === 'single' ? videoIds.slice(0, 1) : videoIds}
            onChange={pickVideos}
            maxValues={count?.max}
            error={videoError}
            description={count ? (count.min === count.max ? `Exactly ${count.min} videos` : `${count.min} to ${count.max} videos`) : undefined}
          />
        )}

        <div>
          <Text size="sm" fw={500} mb={4} id="priority-label">
            Priority
          </Text>
          <PrioritySlider value={priority} onChange={setPriority} aria-labelledby="priority-label" />
          <Text size="xs" c="dimmed" mt={28}>
            1 is the highest; the same priority runs first in, first out.
          </Text>
        </div>

        <JsonInput
          label="Parameters (JSON)"
          description="Pre-filled with the type's defaults; checked against its schema before sending."
          value={json}
          onChange={(v) => {
            setJson(v);
            if (Object.keys(errors).length > 0) setErrors({});
          }}
          autosize
          minRows={5}
          maxRows={14}
          formatOnBlur
          error={errors[''] ?? (otherErrors.length > 0 ? 'Some parameters are not valid (see below).' : undefined)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        />
        {otherErrors.length > 0 && (
          <List size="sm" c="red" spacing={2} aria-label="Parameter errors">
            {otherErrors.map(([field, message]) => (
              <List.Item key={field}>
                <Text span ff="monospace" size="sm">
                  {field}
                </Text>
                : {message}
              </List.Item>
            ))}
          </List>
        )}
        {serverError && (
          <Alert color="red" title="The server refused the job" role="alert">
            {serverError}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Guarded operation="createJob">
            <Button type="submit" loading={submitting}>
              Create
            </Button>
          </Guarded>
        </Group>
      </Stack>
    </form>
  );
}
