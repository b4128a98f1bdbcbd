/**
 * The Schedules page (`#/schedules`): what may start now (each category's window state, the GPU
 * hold, the queue's pause and drain), and the settings every node shares — time windows per
 * category in one time zone, and yielding the GPU to the person at the machine — saved with
 * setSchedules (admin; other roles see the same fields read-only). The server's field errors show
 * next to the field they name.
 */
import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { ScheduleState } from '../../../../shared/contracts/queue-control';
import { Guarded, useOperationAccess } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { ErrorState, LoadingState } from '../../components/StateViews';
import { showToast } from '../../stores/toast-store';
import { CategoriesNow } from './CategoriesNow';
import { useQueueControlStore } from './DrainControl';
import { GpuYieldFields } from './GpuYieldFields';
import { errorAt, toDraft, toInput, unplacedErrors, validateDraft, type FieldErrors, type ScheduleDraft } from './schedule-draft';
import { LOCAL_ERRORS_MESSAGE, saveFeedback } from '../../lib/settings-save';
import { WindowsFields } from './WindowsFields';

/** The stored version a draft was made from: a re-read at a window boundary keeps the user's edits. */
const versionOf = (s: ScheduleState) => `${s.source}:${s.updatedAt ?? ''}`;

export function SchedulesPage() {
  const store = useQueueControlStore();
  const schedules = useStore(store, (s) => s.schedules);
  const error = useStore(store, (s) => s.error);
  const saving = useStore(store, (s) => s.saving);
  const canEdit = useOperationAccess('setSchedules').allowed;
  const [draft, setDraft] = useState<ScheduleDraft | null>(null);
  const [version, setVersion] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    void store.getState().load();
    return store.getState().activate();
  }, [store]);

  // new settings from the server (the first read, a save, another admin's save): the form starts from them
  if (schedules && versionOf(schedules) !== version) {
    setVersion(versionOf(schedules));
    setDraft(toDraft(schedules.settings));
  }

  const save = async () => {
    if (!draft) return;
    const local = validateDraft(draft);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setMessage(LOCAL_ERRORS_MESSAGE);
      return;
    }
    const outcome = await store.getState().save(toInput(draft));
    const feedback = saveFeedback(outcome, unplacedErrors);
    if (feedback?.errors) setErrors(feedback.errors);
    if (feedback) setMessage(feedback.message);
    if (outcome.kind === 'saved') showToast({ color: 'green', title: 'Schedules saved', message: 'Every node applies them at once.' });
  };

  const set = (patch: Partial<ScheduleDraft>) => draft && setDraft({ ...draft, ...patch });

  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>Schedules</Title>
        <Text size="sm" c="dimmed">
          When each kind of job may start: time windows per category, and giving the GPU back to whoever sits at the machine.
        </Text>
      </Stack>
      {error && !schedules && <ErrorState title="Could not read the schedules" message={error} onRetry={() => void store.getState().load()} />}
      {!schedules && !error && <LoadingState label="Reading the schedules…" />}
      {schedules && <CategoriesNow schedules={schedules} />}
      {schedules && draft && (
        <>
          {message && (
            <Alert color="red" icon={<Icon name="alert" />} title="Not saved" role="alert">
              <Text size="sm">{message}</Text>
            </Alert>
          )}
          <Card withBorder radius="md" padding="md" component="section" aria-label="Time windows">
            <Stack gap="sm">
              <Title order={3} size="h4">
                Time windows
              </Title>
              <Text size="xs" c="dimmed">
                A category with windows starts jobs only within one of them; its other jobs wait and say when it opens. A close at or before the opening runs past midnight; 24:00 ends at midnight.
              </Text>
              <TextInput
                label="Time zone"
                description={`An IANA zone such as Europe/Berlin; empty: this machine's. Windows are read in ${schedules.timeZone} now.`}
                placeholder={schedules.settings.timeZone ? undefined : schedules.timeZone}
                value={draft.timeZone}
                onChange={(e) => set({ timeZone: e.currentTarget.value })}
                disabled={!canEdit}
                error={errorAt(errors, 'timeZone')}
                maw={360}
              />
              <WindowsFields windows={draft.windows} errors={errors} disabled={!canEdit} onChange={(windows) => set({ windows })} />
            </Stack>
          </Card>
          <Card withBorder radius="md" padding="md" component="section" aria-label="GPU yield">
            <Stack gap="sm">
              <Title order={3} size="h4">
                Yield the GPU
              </Title>
              <GpuYieldFields value={draft.gpuYield} errors={errors} disabled={!canEdit} onChange={(patch) => set({ gpuYield: { ...draft.gpuYield, ...patch } })} />
            </Stack>
          </Card>
          <Group justify="flex-end" gap="xs">
            {schedules.updatedAt && (
              <Text size="xs" c="dimmed">
                saved {new Date(schedules.updatedAt).toLocaleString()}
              </Text>
            )}
            <Guarded operation="setSchedules">
              <Button loading={saving} onClick={() => void save()}>
                Save schedules
              </Button>
            </Guarded>
          </Group>
        </>
      )}
    </Stack>
  );
}
