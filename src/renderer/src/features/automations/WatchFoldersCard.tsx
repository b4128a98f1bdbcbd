/**
 * Watched folders: the settings every node shares (on/off, which folders, native events or
 * polling, the poll interval, how long a file must stay unchanged) and what the watching node does
 * now (each folder with the mode chosen for its file system). Changing them needs the admin role;
 * other roles see the same fields read-only.
 */
import { Alert, Badge, Button, Card, Group, NumberInput, SegmentedControl, SimpleGrid, Stack, Switch, Table, TagsInput, Text, Title } from '@mantine/core';
import { useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import { WATCH_MODES, type WatchMode, type WatchSettings } from '../../../../shared/contracts/watch';
import { VIDEO_DIRECTORIES } from '../../../../shared/domain/library';
import { Guarded, useOperationAccess } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { ErrorState, LoadingState } from '../../components/StateViews';
import type { AutomationsStore } from '../../stores/automations-store';
import { showToast } from '../../stores/toast-store';
import { errorAt, type FieldErrors } from './pipeline-draft';

const MODE_HELP: Readonly<Record<WatchMode, string>> = {
  auto: 'Native file events, polling on network file systems (NFS, SMB, sshfs …).',
  native: 'Native file events everywhere (they miss changes made by other machines on a share).',
  polling: 'Look at every file each interval (works everywhere; costs a little CPU).',
};

function StatusView({ status }: { readonly status: NonNullable<ReturnType<AutomationsStore['getState']>['watch']>['status'] }) {
  return (
    <Stack gap="xs">
      <Group gap="xs" wrap="wrap">
        <Badge color={status.active ? 'green' : 'gray'} variant="light">
          {status.active ? 'Watching now' : 'Not watching on this node'}
        </Badge>
        {status.leaderNodeId && (
          <Text size="xs" c="dimmed">
            watcher: node {status.leaderNodeId}
          </Text>
        )}
        {status.pendingFiles > 0 && (
          <Text size="xs" c="dimmed">
            {status.pendingFiles} file{status.pendingFiles === 1 ? '' : 's'} waiting to be stable
          </Text>
        )}
      </Group>
      {status.lastError && (
        <Alert color="red" icon={<Icon name="alert" />} title="The watcher reported a problem">
          <Text size="sm">{status.lastError}</Text>
        </Alert>
      )}
      {status.folders.length > 0 && (
        <Table verticalSpacing={2} aria-label="Watched folders now" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Folder</Table.Th>
              <Table.Th w="22%">Mode</Table.Th>
              <Table.Th w="22%">File system</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {status.folders.map((f) => (
              <Table.Tr key={f.folder}>
                <Table.Td>
                  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {f.folder}
                  </Text>
                  {f.error && (
                    <Text size="xs" c="red">
                      {f.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="outline" color={f.mode === 'polling' ? 'orange' : 'blue'}>
                    {f.mode}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{f.fsType ?? 'unknown'}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

export function WatchFoldersCard({ store }: { readonly store: AutomationsStore }) {
  const watch = useStore(store, (s) => s.watch);
  const watchError = useStore(store, (s) => s.watchError);
  const canEdit = useOperationAccess('setWatchSettings').allowed;
  const [form, setForm] = useState<WatchSettings | null>(null);
  const [stored, setStored] = useState<WatchSettings | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const modeLabel = useId();

  useEffect(() => {
    void store.getState().loadWatch();
  }, [store]);

  // new settings from the server (the first read, a save): the form starts from them
  if (watch && watch.settings !== stored) {
    setStored(watch.settings);
    setForm(watch.settings);
  }

  const set = (patch: Partial<WatchSettings>) => form && setForm({ ...form, ...patch });

  const save = async () => {
    if (!form) return;
    setSaving(true);
    const outcome = await store.getState().saveWatch(form);
    setSaving(false);
    if (outcome.kind === 'saved') {
      setErrors({});
      setMessage(null);
      showToast({ color: 'green', title: 'Watched folders saved', message: outcome.value.settings.enabled ? 'The watcher restarted with them.' : 'Watching is off.' });
    } else if (outcome.kind === 'invalid') {
      setErrors(outcome.fields);
      setMessage(outcome.message);
    } else if (outcome.kind !== 'failed' || !outcome.forbidden) {
      setMessage(outcome.message);
    }
  };

  return (
    <Card withBorder radius="md" padding="md" component="section" aria-label="Watched folders">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <Title order={3} size="h4">
              Watched folders
            </Title>
            {watch && (
              <Badge size="sm" variant="light" color="gray">
                {watch.source === 'stored' ? 'saved settings' : 'defaults (MEDIA_WATCH*)'}
              </Badge>
            )}
          </Group>
          {form && (
            <Guarded operation="setWatchSettings">
              <Button size="xs" loading={saving} onClick={() => void save()}>
                Save watch settings
              </Button>
            </Guarded>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          A file copied into a watched folder becomes a library video once it has stopped changing — and starts the pipelines triggered by new files.
        </Text>
        {watchError && <ErrorState title="Could not read the watch settings" message={watchError} onRetry={() => void store.getState().loadWatch()} />}
        {!watch && !watchError && <LoadingState label="Reading the watch settings…" />}
        {form && watch && (
          <>
            {message && (
              <Alert color="red" icon={<Icon name="alert" />} title="Not saved" role="alert">
                <Text size="sm">{message}</Text>
              </Alert>
            )}
            <Switch label="Watch the library" checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} disabled={!canEdit} error={errorAt(errors, 'enabled')} />
            <TagsInput
              label="Folders"
              description={`Inside ${VIDEO_DIRECTORIES.join(', ')} (library-relative), e.g. inbox or videos/incoming.`}
              data={[...VIDEO_DIRECTORIES]}
              value={form.folders}
              onChange={(folders) => set({ folders })}
              disabled={!canEdit}
              error={errorAt(errors, 'folders')}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} id={modeLabel}>
                Mode
              </Text>
              <SegmentedControl aria-labelledby={modeLabel} value={form.mode} onChange={(v) => set({ mode: v as WatchMode })} data={[...WATCH_MODES]} disabled={!canEdit} fullWidth maw={420} />
              <Text size="xs" c="dimmed">
                {MODE_HELP[form.mode]}
              </Text>
            </Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <NumberInput
                label="Poll interval (s)"
                description="How often polling looks at each file."
                min={0.1}
                max={3600}
                value={form.pollIntervalSeconds}
                onChange={(v) => typeof v === 'number' && set({ pollIntervalSeconds: v })}
                disabled={!canEdit || form.mode === 'native'}
                error={errorAt(errors, 'pollIntervalSeconds')}
              />
              <NumberInput
                label="Stable for (s)"
                description="Size and mtime unchanged this long before a file is registered."
                min={0}
                max={86_400}
                value={form.stableSeconds}
                onChange={(v) => typeof v === 'number' && set({ stableSeconds: v })}
                disabled={!canEdit}
                error={errorAt(errors, 'stableSeconds')}
              />
            </SimpleGrid>
            <StatusView status={watch.status} />
          </>
        )}
      </Stack>
    </Card>
  );
}
