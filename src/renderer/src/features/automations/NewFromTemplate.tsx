/**
 * "New from template": the built-in templates (listPipelineTemplates), each with what it does; the
 * new pipeline gets the template's document under the name given, off unless asked otherwise.
 */
import { Button, Checkbox, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useStore } from 'zustand';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { ErrorState, LoadingState } from '../../components/StateViews';
import type { AutomationsStore } from '../../stores/automations-store';
import { showToast } from '../../stores/toast-store';
import { triggerSummary } from './pipeline-draft';

export interface NewFromTemplateProps {
  readonly store: AutomationsStore;
  readonly onCreated: (pipelineId: string) => void;
  readonly variant?: 'filled' | 'default';
}

export function NewFromTemplate({ store, onCreated, variant = 'filled' }: NewFromTemplateProps) {
  const templates = useStore(store, (s) => s.templates);
  const templatesError = useStore(store, (s) => s.templatesError);
  const [opened, setOpened] = useState(false);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ name?: string; other?: string }>({});

  const open = () => {
    setOpened(true);
    setError({});
    if (!templates) void store.getState().loadTemplates();
  };
  const pick = (id: string) => {
    setTemplateId(id);
    setName(templates?.find((t) => t.id === id)?.name ?? '');
    setError({});
  };

  const create = async () => {
    if (!templateId) return setError({ other: 'Choose a template.' });
    setBusy(true);
    const outcome = await store.getState().createFromTemplate(templateId, { name: name.trim() || undefined, enabled });
    setBusy(false);
    if (outcome.kind === 'saved') {
      setOpened(false);
      setTemplateId(null);
      showToast({ color: 'green', title: `Created “${outcome.value.name}”`, message: outcome.value.enabled ? 'It is on: its trigger starts runs.' : 'It is off until you switch it on.' });
      onCreated(outcome.value.id);
    } else if (outcome.kind === 'invalid') {
      setError({ name: outcome.fields.name, other: outcome.fields.name ? undefined : outcome.message });
    } else if (outcome.kind === 'failed' && outcome.code === 'NAME_TAKEN') {
      setError({ name: outcome.message });
    } else if (outcome.kind !== 'failed' || !outcome.forbidden) {
      setError({ other: outcome.message });
    }
  };

  return (
    <>
      <Guarded operation="createPipeline">
        <Button variant={variant} leftSection={<Icon name="plus" size={16} />} onClick={open}>
          New from template
        </Button>
      </Guarded>
      <Modal opened={opened} onClose={() => setOpened(false)} title="New pipeline from a template" size="lg">
        <Stack gap="sm">
          {templatesError && <ErrorState title="Could not load the templates" message={templatesError} onRetry={() => void store.getState().loadTemplates()} />}
          {!templates && !templatesError && <LoadingState label="Loading the templates…" />}
          {templates && (
            <Radio.Group label="Template" value={templateId} onChange={pick}>
              <Stack gap="xs" mt={4}>
                {templates.map((t) => (
                  <Radio.Card key={t.id} value={t.id} p="sm" radius="md" aria-label={t.name}>
                    <Stack gap={2}>
                      <Text fw={600} size="sm">
                        {t.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {triggerSummary(t.trigger)} · {t.steps.map((s) => s.type).join(' → ')}
                      </Text>
                      <Text size="xs">{t.description}</Text>
                    </Stack>
                  </Radio.Card>
                ))}
              </Stack>
            </Radio.Group>
          )}
          <TextInput label="Name" description="Each pipeline has its own name." value={name} onChange={(e) => setName(e.currentTarget.value)} error={error.name} disabled={!templateId} />
          <Checkbox label="Switch it on now (its trigger starts runs at once)" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          {error.other && (
            <Text size="sm" c="red" role="alert">
              {error.other}
            </Text>
          )}
          <Guarded operation="createPipeline">
            <Button onClick={() => void create()} loading={busy} style={{ alignSelf: 'flex-end' }}>
              Create pipeline
            </Button>
          </Guarded>
        </Stack>
      </Modal>
    </>
  );
}
