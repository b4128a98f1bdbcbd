/**
 * The "Create job" modal: the type (named with its label), its category and default VRAM, the
 * priority, and the type's parameters as a form generated from its schema (ParamFields), or, in the
 * advanced tab, as JSON whose syntax errors are shown at their line. Whatever tab is open, what is
 * sent is checked against the schema first, and the server's own refusals are shown with their
 * fields. Escape closes it only while nothing was entered (a picked video is not thrown away).
 */
import { Alert, Badge, Button, Group, List, Modal, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo, useState } from 'react';
import { JOB_TYPE_CATALOG, type JobType } from '../../../../shared/domain/job-types';
import { DEFAULT_PRIORITY } from '../../../../shared/domain/statuses';
import { errorMessage, fieldErrors } from '../../api/api-error';
import { CategoryBadge } from '../../components/CategoryBadge';
import { Guarded, useOperationAccess } from '../../components/Guarded';
import { PrioritySlider } from '../../components/PrioritySlider';
import type { JsonSyntaxError } from '../../lib/json-error';
import { paramFieldsOf } from '../../lib/schema-fields';
import { useStores } from '../../stores/stores-context';
import { checkParams, fromParams, initialValues, parseParamsJson, toParams, type FormValues } from './job-form';
import { JobTypeSelect, vramLabel } from './JobTypeSelect';
import { ParamFields } from './ParamFields';

export interface CreateJobModalProps {
  readonly opened: boolean;
  readonly onClose: () => void;
  /** Told the new job's id (the page may open its detail). */
  readonly onCreated?: (jobId: string) => void;
  readonly initialType?: JobType;
}

export function CreateJobModal({ opened, onClose, onCreated, initialType = 'scan' }: CreateJobModalProps) {
  const [dirty, setDirty] = useState(false);
  const close = () => {
    setDirty(false);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Create job" size="lg" centered closeOnEscape={!dirty}>
      {opened && <CreateJobForm onClose={close} onCreated={onCreated} initialType={initialType} onDirty={() => setDirty(true)} />}
    </Modal>
  );
}

/** The videos chosen so far, carried to the next type's form. */
function chosenVideos(values: FormValues): string[] {
  const one = values.videoId;
  const many = values.videoIds;
  return Array.isArray(many) ? (many as string[]) : typeof one === 'string' && one ? [one] : [];
}

interface FormProps {
  readonly onClose: () => void;
  readonly onCreated?: ((jobId: string) => void) | undefined;
  readonly initialType: JobType;
  readonly onDirty: () => void;
}

function CreateJobForm({ onClose, onCreated, initialType, onDirty }: FormProps) {
  const { client } = useStores();
  const access = useOperationAccess('createJob');
  const [type, setType] = useState<JobType>(initialType);
  const fields = useMemo(() => paramFieldsOf(type), [type]);
  const form = useForm<FormValues>({ mode: 'controlled', initialValues: initialValues(fields), onValuesChange: onDirty });
  const [priority, setPriority] = useState(DEFAULT_PRIORITY);
  const [tab, setTab] = useState<string | null>('form');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<JsonSyntaxError | null>(null);
  const [listErrors, setListErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const definition = JOB_TYPE_CATALOG[type];

  const changeType = (next: JobType) => {
    if (next === type) return;
    // a new type starts from its own defaults, with the videos already chosen
    const values = initialValues(paramFieldsOf(next), chosenVideos(form.getValues()));
    setType(next);
    form.setInitialValues(values);
    form.setValues(values);
    form.clearErrors();
    setJson(JSON.stringify(toParams(paramFieldsOf(next), values), null, 2));
    setJsonError(null);
    setListErrors({});
    setServerError(null);
  };

  /** The parameters as the open tab has them; null when the JSON does not parse (its error is shown). */
  const currentParams = (): Record<string, unknown> | null => {
    if (tab !== 'json') return toParams(fields, form.getValues());
    const parsed = parseParamsJson(json);
    if (!parsed.ok) {
      setJsonError(parsed.error);
      return null;
    }
    setJsonError(null);
    return parsed.params as Record<string, unknown>;
  };

  const switchTab = (next: string | null) => {
    if (next === tab) return;
    if (next === 'json') {
      setJson(JSON.stringify(toParams(fields, form.getValues()), null, 2));
      setJsonError(null);
    } else {
      const params = currentParams();
      if (params === null) return; // stay on the JSON until it parses
      if (typeof params === 'object' && params !== null && !Array.isArray(params)) form.setValues(fromParams(fields, params).values);
    }
    setListErrors({});
    setTab(next);
  };

  const submit = async () => {
    if (!access.allowed) return; // the Create button says why
    setServerError(null);
    const params = currentParams();
    if (params === null) return;
    const checked = checkParams(type, fields, params);
    if (!checked.ok) {
      form.setErrors(checked.errors);
      setListErrors(checked.errors);
      return;
    }
    form.clearErrors();
    setListErrors({});
    setSubmitting(true);
    try {
      const created = await client.call('createJob', { type, params: checked.params, priority });
      onCreated?.(created.id);
      onClose();
    } catch (error) {
      const byField: Record<string, string> = {};
      for (const [path, message] of Object.entries(fieldErrors(error))) byField[path.replace(/^params\.?/, '')] = message;
      form.setErrors(byField);
      setListErrors(byField);
      setServerError(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  };

  // on the form tab the fields show their own errors; the list repeats what has no field there
  const shownErrors = Object.entries(listErrors).filter(([key]) => tab === 'json' || key === '' || !fields.some((f) => key === f.name || key.startsWith(`${f.name}.`)));

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="md">
        <JobTypeSelect value={type} onChange={changeType} />
        <Group gap="xs">
          <CategoryBadge category={definition.category} />
          <Badge variant="outline" color="gray" size="sm" tt="none">
            default {vramLabel(type)}
          </Badge>
          <Text size="sm" c="dimmed">
            {definition.description}
          </Text>
        </Group>

        <Tabs value={tab} onChange={switchTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="form">Parameters</Tabs.Tab>
            <Tabs.Tab value="json">JSON (advanced)</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="form" pt="md">
            {fields.length === 0 ? (
              <Text size="sm" c="dimmed">
                This type takes no parameters.
              </Text>
            ) : (
              <ParamFields fields={fields} form={form} />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="json" pt="md">
            <Textarea
              label="Parameters (JSON)"
              description="The same parameters as the form; checked against the type's schema before sending."
              value={json}
              onChange={(e) => {
                setJson(e.currentTarget.value);
                setJsonError(null);
                onDirty();
              }}
              autosize
              minRows={5}
              maxRows={16}
              spellCheck={false}
              error={jsonError ? `Line ${jsonError.line}, column ${jsonError.column}: ${jsonError.message}` : undefined}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            />
          </Tabs.Panel>
        </Tabs>

        {shownErrors.length > 0 && (
          <List size="sm" c="red" spacing={2} aria-label="Parameter errors">
            {shownErrors.map(([field, message]) => (
              <List.Item key={field}>
                {field && (
                  <Text span ff="monospace" size="sm">
                    {field}:{' '}
                  </Text>
                )}
                {message}
              </List.Item>
            ))}
          </List>
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
              Create {type}
            </Button>
          </Guarded>
        </Group>
      </Stack>
    </form>
  );
}
