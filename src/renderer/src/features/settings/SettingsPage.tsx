/**
 * The Settings page (`#/settings`): slots per category, VRAM headroom, retention and the hang
 * timeout, saved with setSettings (admin) and applied by the runtime at once, without a restart. A
 * field an environment variable sets is shown locked with the variable's name. Export downloads one
 * JSON file (settings, watched folders, time windows, notification rules without webhook secrets,
 * pipelines); Import sends such a file back (validated as a whole by the server first).
 */
import { Alert, Badge, Button, Card, FileButton, Group, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { SettingsImportResult, SettingsState } from '../../../../shared/contracts/settings';
import { errorMessage, fieldErrors } from '../../api/api-error';
import { Guarded, useOperationAccess } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { ErrorState, LoadingState } from '../../components/StateViews';
import { useStores } from '../../stores/stores-context';
import { showToast } from '../../stores/toast-store';
import { changedInput, downloadJson, exportFileName, readJsonFile, toDraft, type SettingsDraft } from './settings-file';

type Field = { key: keyof SettingsDraft; path: string; label: string; description: string; min: number; max: number; suffix?: string };

const LIMITS: readonly Field[] = [
  { key: 'cpu', path: 'limits.cpu', label: 'CPU jobs', description: 'Scans, validation, thumbnails, compilations', min: 0, max: 256 },
  { key: 'gpu_encode', path: 'limits.gpu_encode', label: 'GPU encode jobs', description: 'Re-encodes and transcodes (NVENC caps it further)', min: 0, max: 64 },
  { key: 'gpu_ai', path: 'limits.gpu_ai', label: 'GPU AI jobs', description: 'Scene, digest, highlight and tag analysis', min: 0, max: 64 },
];
const OTHERS: readonly Field[] = [
  { key: 'vramHeadroomMb', path: 'vramHeadroomMb', label: 'VRAM headroom', description: 'Kept free for other programs when the budget comes from the GPU', min: 0, max: 1_048_576, suffix: ' MiB' },
  { key: 'retainCompletedDays', path: 'retainCompletedDays', label: 'Keep completed jobs', description: 'Completed and cancelled jobs; 0 keeps them forever', min: 0, max: 36_500, suffix: ' days' },
  { key: 'retainFailedDays', path: 'retainFailedDays', label: 'Keep failed jobs', description: 'Failed jobs; 0 keeps them forever', min: 0, max: 36_500, suffix: ' days' },
  { key: 'hangTimeoutSeconds', path: 'hangTimeoutMs', label: 'Hang timeout', description: 'A running job with no progress this long is stopped and retried', min: 1, max: 604_800, suffix: ' s' },
];

export function SettingsPage() {
  const { client } = useStores();
  const canEdit = useOperationAccess('setSettings').allowed;
  const [state, setState] = useState<SettingsState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [imported, setImported] = useState<SettingsImportResult | null>(null);

  const took = useCallback((next: SettingsState) => {
    setState(next);
    setDraft(toDraft(next.settings));
    setLoadError(null);
  }, []);

  const load = useCallback(async () => {
    try {
      took(await client.call('getSettings', {}));
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  }, [client, took]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    if (!state || !draft) return;
    setSaving(true);
    try {
      took(await client.call('setSettings', changedInput(draft, state.settings, state.locked)));
      setErrors({});
      setMessage(null);
      showToast({ color: 'green', title: 'Settings saved', message: 'Applied at once; no restart needed.' });
    } catch (error) {
      const fields = fieldErrors(error);
      setErrors(fields);
      setMessage(Object.keys(fields).length > 0 ? 'The server refused some fields (marked below).' : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const exportAll = async () => {
    try {
      const document = await client.call('exportSettings', {});
      downloadJson(document, exportFileName(new Date()));
    } catch (error) {
      showToast({ color: 'red', title: 'Export failed', message: errorMessage(error) });
    }
  };

  const importFile = async (file: File | null) => {
    if (!file) return;
    setImported(null);
    const read = await readJsonFile(file);
    if (!read.ok) {
      setMessage(read.message);
      return;
    }
    try {
      const result = await client.call('importSettings', read.value as never);
      setImported(result);
      took(result.settings);
      setMessage(null);
      showToast({ color: 'green', title: 'Settings imported', message: file.name });
    } catch (error) {
      const fields = Object.entries(fieldErrors(error)).map(([path, text]) => `${path}: ${text}`);
      setMessage(`Nothing was imported. ${fields.length > 0 ? fields.join('; ') : errorMessage(error)}`);
    }
  };

  const field = (f: Field) => {
    const variable = state?.locked[f.path];
    return (
      <NumberInput
        key={f.key}
        label={
          <Group gap={6} component="span" wrap="nowrap">
            {f.label}
            {variable && (
              <Badge size="xs" color="gray" variant="light" leftSection={<Icon name="alert" size={10} />}>
                Locked
              </Badge>
            )}
          </Group>
        }
        aria-label={f.label}
        description={variable ? `Set by the environment variable ${variable}; unset it to change it here.` : f.description}
        value={draft?.[f.key] ?? ''}
        onChange={(value) => draft && setDraft({ ...draft, [f.key]: value })}
        min={f.min}
        max={f.max}
        allowDecimal={false}
        suffix={f.suffix}
        disabled={!canEdit || Boolean(variable)}
        error={errors[f.path]}
      />
    );
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>Settings</Title>
          <Text size="sm" c="dimmed">
            Slots, VRAM headroom, retention and the hang timeout: stored for every node and applied at once.
          </Text>
        </Stack>
        <Group gap="xs">
          <Button variant="default" size="sm" leftSection={<Icon name="copy" size={14} />} onClick={() => void exportAll()}>
            Export
          </Button>
          <FileButton onChange={(file) => void importFile(file)} accept="application/json,.json" inputProps={{ 'aria-label': 'Settings file to import' }}>
            {(props) => (
              <Guarded operation="importSettings" label="Settings, watched folders, windows, notifications and pipelines from an exported file">
                <Button variant="default" size="sm" leftSection={<Icon name="plus" size={14} />} {...props}>
                  Import…
                </Button>
              </Guarded>
            )}
          </FileButton>
        </Group>
      </Group>
      {loadError && !state && <ErrorState title="Could not read the settings" message={loadError} onRetry={() => void load()} />}
      {!state && !loadError && <LoadingState label="Reading the settings…" />}
      {message && (
        <Alert color="red" icon={<Icon name="alert" />} title="Not applied" role="alert">
          <Text size="sm">{message}</Text>
        </Alert>
      )}
      {imported && (
        <Alert color="green" icon={<Icon name="check" />} title="Imported" role="status">
          <Text size="sm">
            {[
              'Settings applied',
              imported.watch && 'watched folders',
              imported.schedules && 'time windows',
              imported.notifications && 'notification rules (webhook secrets are not in the file: set them again)',
              imported.pipelines.created.length > 0 && `pipelines created: ${imported.pipelines.created.join(', ')}`,
              imported.pipelines.updated.length > 0 && `pipelines updated: ${imported.pipelines.updated.join(', ')}`,
            ]
              .filter(Boolean)
              .join(' · ')}
            {imported.skippedLocked.length > 0 && ` · kept as the environment sets them: ${imported.skippedLocked.join(', ')}`}
          </Text>
        </Alert>
      )}
      {state && draft && (
        <>
          <Card withBorder radius="md" padding="md" component="section" aria-label="Slots per category">
            <Stack gap="sm">
              <Title order={3} size="h4">
                Slots per category
              </Title>
              <Text size="xs" c="dimmed">
                How many jobs of each kind run at once on each node. A raised limit starts waiting jobs at once; a lowered one lets running jobs finish.
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>{LIMITS.map(field)}</SimpleGrid>
            </Stack>
          </Card>
          <Card withBorder radius="md" padding="md" component="section" aria-label="Resources and retention">
            <Stack gap="sm">
              <Title order={3} size="h4">
                Resources and retention
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>{OTHERS.map(field)}</SimpleGrid>
            </Stack>
          </Card>
          <Group justify="flex-end" gap="xs">
            <Text size="xs" c="dimmed">
              {state.updatedAt ? `Saved ${new Date(state.updatedAt).toLocaleString()}` : 'Defaults from the configuration'}
            </Text>
            <Guarded operation="setSettings">
              <Button onClick={() => void save()} loading={saving}>
                Save settings
              </Button>
            </Guarded>
          </Group>
        </>
      )}
    </Stack>
  );
}
