/**
 * The editor of one pipeline: a form (name, trigger, the conditions' rule builder, the steps) and
 * the whole document as JSON (advanced), editing one draft. Saving sends the version the draft was
 * made from; the server's field errors show where they belong, and a 409 VERSION_CONFLICT (someone
 * saved meanwhile) asks the user to reload rather than overwrite their work.
 *
 * The draft follows the stored pipeline while it is unchanged; when only the on/off switch moved
 * (a version of its own, same document) the draft keeps its edits and takes the new version.
 */
import { Alert, Button, Group, List, NumberInput, Stack, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Pipeline } from '../../../../shared/contracts/pipeline';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import type { AutomationsStore } from '../../stores/automations-store';
import { showToast } from '../../stores/toast-store';
import { ConditionBuilder } from './ConditionBuilder';
import { draftOf, draftToJson, errorAt, parseDraftJson, sameDocument, unplacedErrors, type Draft, type FieldErrors } from './pipeline-draft';
import { StepsEditor } from './StepsEditor';
import { TriggerFields } from './TriggerFields';

type Problem = { readonly kind: 'invalid' | 'failed' | 'json'; readonly message: string } | { readonly kind: 'conflict'; readonly message: string } | null;

export interface PipelineEditorProps {
  readonly store: AutomationsStore;
  readonly pipeline: Pipeline;
}

export function PipelineEditor({ store, pipeline }: PipelineEditorProps) {
  const [base, setBase] = useState(pipeline);
  const [draft, setDraft] = useState<Draft>(() => draftOf(pipeline));
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<Problem>(null);
  const [saving, setSaving] = useState(false);
  const [reloading, setReloading] = useState(false);

  const dirty = tab === 'json' ? json !== draftToJson(draftOf(base)) : !sameDocument(draft, draftOf(base));

  // the stored pipeline moved on (a save here, the switch, someone else): follow it where that loses nothing
  if (pipeline.version > base.version) {
    if (!dirty) {
      setBase(pipeline);
      setDraft(draftOf(pipeline));
      if (tab === 'json') setJson(draftToJson(draftOf(pipeline)));
    } else if (sameDocument(draftOf(pipeline), draftOf(base))) {
      setBase(pipeline);
    }
  }
  const changedElsewhere = pipeline.version > base.version;

  const reset = (next: Pipeline) => {
    setBase(next);
    setDraft(draftOf(next));
    setJson(draftToJson(draftOf(next)));
    setErrors({});
    setProblem(null);
  };

  const switchTab = (next: string | null) => {
    if (next === tab || (next !== 'form' && next !== 'json')) return;
    if (next === 'json') {
      setJson(draftToJson(draft));
      setTab('json');
      return;
    }
    // back to the form only with a document it can show
    const parsed = parseDraftJson(json);
    if (!parsed.ok) return setProblem({ kind: 'json', message: parsed.message });
    setDraft(parsed.draft);
    setProblem(null);
    setTab('form');
  };

  const save = async () => {
    let document = draft;
    if (tab === 'json') {
      const parsed = parseDraftJson(json);
      if (!parsed.ok) return setProblem({ kind: 'json', message: parsed.message });
      document = parsed.draft;
      setDraft(document);
    }
    if (sameDocument(document, draftOf(base))) {
      showToast({ color: 'blue', title: 'Nothing to save', message: 'The pipeline is as stored.' });
      return;
    }
    setSaving(true);
    const outcome = await store.getState().save(base.id, base.version, base.enabled, document);
    setSaving(false);
    if (outcome.kind === 'saved') {
      reset(outcome.value);
      showToast({ color: 'green', title: `Saved “${outcome.value.name}”`, message: `Version ${outcome.value.version}.` });
    } else if (outcome.kind === 'invalid') {
      setErrors(outcome.fields);
      setProblem({ kind: 'invalid', message: outcome.message });
    } else if (outcome.kind === 'conflict') {
      setProblem({ kind: 'conflict', message: outcome.message });
    } else if (!outcome.forbidden) {
      setProblem({ kind: 'failed', message: outcome.message });
    }
  };

  const reload = async () => {
    setReloading(true);
    const fresh = await store.getState().reloadPipeline(base.id);
    setReloading(false);
    if (fresh) reset(fresh);
  };

  const edit = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const unplaced = unplacedErrors(errors);

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed">
          Version {base.version}
          {dirty ? ' · unsaved changes' : ''}
        </Text>
        <Group gap="xs">
          <Button variant="default" size="xs" disabled={!dirty} onClick={() => reset(base)}>
            Discard changes
          </Button>
          <Guarded operation="updatePipeline">
            <Button size="xs" leftSection={<Icon name="check" size={14} />} loading={saving} onClick={() => void save()}>
              Save
            </Button>
          </Guarded>
        </Group>
      </Group>

      {(problem?.kind === 'conflict' || changedElsewhere) && (
        <Alert color="yellow" title="Changed elsewhere" icon={<Icon name="alert" />} role="alert">
          <Stack gap="xs">
            <Text size="sm">
              {problem?.kind === 'conflict' ? problem.message : `Someone saved version ${pipeline.version} while you were editing version ${base.version}.`} Reload it to edit the current version; your unsaved changes here
              would be replaced (copy them from the JSON tab first if you need them).
            </Text>
            <Group>
              <Button size="xs" color="yellow" variant="light" loading={reloading} onClick={() => void reload()}>
                Reload the pipeline
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {/* a JSON problem is said under the JSON itself */}
      {problem && problem.kind !== 'conflict' && problem.kind !== 'json' && (
        <Alert color="red" title={problem.kind === 'invalid' ? 'The server refused the pipeline' : 'Could not save'} icon={<Icon name="alert" />} role="alert">
          <Text size="sm">{problem.kind === 'invalid' ? (tab === 'form' ? 'Each problem is shown at the field or step it names.' : problem.message) : problem.message}</Text>
          {unplaced.length > 0 && (
            <List size="sm" mt={4}>
              {unplaced.map((m) => (
                <List.Item key={m}>{m}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}

      <Tabs value={tab} onChange={switchTab}>
        <Tabs.List>
          <Tabs.Tab value="form">Form</Tabs.Tab>
          <Tabs.Tab value="json">JSON (advanced)</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="form" pt="sm">
          {tab === 'form' && (
            <Stack gap="lg">
              <Stack gap="xs">
                <TextInput label="Name" value={draft.name} onChange={(e) => edit({ name: e.currentTarget.value })} error={errorAt(errors, 'name')} withAsterisk />
                <Textarea label="Description" value={draft.description} onChange={(e) => edit({ description: e.currentTarget.value })} autosize minRows={1} maxRows={5} error={errorAt(errors, 'description')} />
                <NumberInput
                  label="Run the same content again after (days)"
                  description="Empty: never again unless forced (the loop breaker)."
                  placeholder="never"
                  min={1}
                  max={3650}
                  allowDecimal={false}
                  value={draft.repeatAfterDays ?? ''}
                  onChange={(v) => edit({ repeatAfterDays: typeof v === 'number' ? v : null })}
                  error={errorAt(errors, 'repeatAfterDays')}
                  maw={360}
                />
              </Stack>
              <Stack gap="xs">
                <Title order={4}>Trigger</Title>
                <TriggerFields trigger={draft.trigger} onChange={(trigger) => edit({ trigger })} errors={errors} />
              </Stack>
              <Stack gap="xs">
                <Title order={4}>Conditions</Title>
                <Text size="xs" c="dimmed">
                  Which videos it runs on. A field the library does not know yet (not probed) fails its rule.
                </Text>
                <ConditionBuilder group={draft.conditions} onChange={(conditions) => edit({ conditions })} path="conditions" errors={errors} />
              </Stack>
              <Stack gap="xs">
                <Title order={4}>Steps</Title>
                <StepsEditor steps={draft.steps} onChange={(steps) => edit({ steps })} errors={errors} />
              </Stack>
            </Stack>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="json" pt="sm">
          {tab === 'json' && (
            <Stack gap="xs">
              <Textarea
                aria-label="Pipeline JSON"
                value={json}
                onChange={(e) => {
                  setJson(e.currentTarget.value);
                  if (problem?.kind === 'json') setProblem(null);
                }}
                autosize
                minRows={12}
                maxRows={40}
                ff="monospace"
                spellCheck={false}
                error={problem?.kind === 'json' ? problem.message : undefined}
              />
              {Object.keys(errors).length > 0 && (
                <List size="xs" c="red" aria-label="Problems the server found">
                  {Object.entries(errors).map(([p, m]) => (
                    <List.Item key={p}>
                      <Text span ff="monospace" size="xs">
                        {p}
                      </Text>
                      : {m}
                    </List.Item>
                  ))}
                </List>
              )}
            </Stack>
          )}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
