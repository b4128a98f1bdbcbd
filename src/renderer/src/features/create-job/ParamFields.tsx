/**
 * The form of a job type's parameters, one input per field of its schema (lib/schema-fields.ts):
 * video pickers, selects for enums, switches, number inputs with their bounds, text inputs, an
 * optional group behind a switch, repeatable rows for lists; each with its label, default and help
 * text. Values and errors live in the @mantine/form instance the modal owns.
 */
import { ActionIcon, Button, Fieldset, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactNode } from 'react';
import { Icon } from '../../components/icons';
import type { ParamField } from '../../lib/schema-fields';
import { GROUP_ON, initialValues, type FormValues } from './job-form';
import { VideoPicker } from './VideoPicker';

type Form = UseFormReturnType<FormValues>;

/** The bounds of a number in words ("1 to 30", "more than 0"). */
export function boundsOf(field: Extract<ParamField, { kind: 'number' }>): string | null {
  const { min, max, exclusiveMin } = field;
  if (min !== null && max !== null) return exclusiveMin ? `more than ${min}, at most ${max}` : `${min} to ${max}`;
  if (min !== null) return exclusiveMin ? `more than ${min}` : `at least ${min}`;
  if (max !== null) return `at most ${max}`;
  return null;
}

function help(field: ParamField, extra: string | null = null): ReactNode {
  const parts = [field.description, extra].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

const placeholderOf = (field: ParamField) => (field.required ? undefined : 'Default');

function SimpleField({ field, form, path, disabled = false }: { readonly field: ParamField; readonly form: Form; readonly path: string; readonly disabled?: boolean }) {
  const common = { label: field.label, description: help(field), withAsterisk: field.required, disabled };
  switch (field.kind) {
    case 'enum':
      return (
        <Select
          {...common}
          {...form.getInputProps(path)}
          data={[...field.options]}
          clearable={!field.required && field.defaultValue === null}
          allowDeselect={false}
          placeholder={field.defaultValue === null ? 'Default' : undefined}
        />
      );
    case 'boolean':
      // a switch is never "required": it is on or off
      return <Switch label={common.label} description={common.description} disabled={disabled} {...form.getInputProps(path, { type: 'checkbox' })} mt="lg" />;
    case 'number':
      return (
        <NumberInput
          {...common}
          {...form.getInputProps(path)}
          description={help(field, boundsOf(field))}
          min={field.min ?? undefined}
          max={field.max ?? undefined}
          allowDecimal={!field.integer}
          step={field.integer ? 1 : 0.1}
          placeholder={placeholderOf(field)}
        />
      );
    case 'text':
      return <TextInput {...common} {...form.getInputProps(path)} placeholder={placeholderOf(field)} ff={field.format === 'uuid' ? 'monospace' : undefined} />;
    case 'json':
      return <Textarea {...common} {...form.getInputProps(path)} description={help(field, 'as JSON')} autosize minRows={2} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />;
    default:
      return null;
  }
}

function GroupField({ field, form }: { readonly field: Extract<ParamField, { kind: 'group' }>; readonly form: Form }) {
  const on = (form.getValues()[field.name] as FormValues | undefined)?.[GROUP_ON] === true;
  return (
    <Fieldset legend={field.label} variant="filled">
      {field.description && (
        <Text size="xs" c="dimmed" mb="xs">
          {field.description}
        </Text>
      )}
      {!field.required && <Switch label={`Use ${field.label.toLowerCase()}`} mb="xs" {...form.getInputProps(`${field.name}.${GROUP_ON}`, { type: 'checkbox' })} />}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {field.fields.map((sub) => (
          <SimpleField key={sub.name} field={sub} form={form} path={`${field.name}.${sub.name}`} disabled={!on} />
        ))}
      </SimpleGrid>
    </Fieldset>
  );
}

function ListField({ field, form }: { readonly field: Extract<ParamField, { kind: 'list' }>; readonly form: Form }) {
  const items = (form.getValues()[field.name] as FormValues[] | undefined) ?? [];
  return (
    <Fieldset legend={field.label} variant="filled">
      {field.description && (
        <Text size="xs" c="dimmed" mb="xs">
          {field.description}
        </Text>
      )}
      <Stack gap="xs">
        {items.map((_, i) => (
          <Group key={i} align="flex-end" gap="xs" wrap="nowrap">
            {field.fields.map((sub) => (
              <div key={sub.name} style={{ flex: 1 }}>
                <SimpleField field={sub} form={form} path={`${field.name}.${i}.${sub.name}`} />
              </div>
            ))}
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${field.label.toLowerCase()} ${i + 1}`} onClick={() => form.removeListItem(field.name, i)} mb={4}>
              <Icon name="cancel" size={16} />
            </ActionIcon>
          </Group>
        ))}
        {items.length === 0 && (
          <Text size="xs" c="dimmed">
            None (optional).
          </Text>
        )}
        <Button
          variant="light"
          size="xs"
          leftSection={<Icon name="plus" size={14} />}
          disabled={field.max !== null && items.length >= field.max}
          onClick={() => form.insertListItem(field.name, initialValues(field.fields))}
          w="fit-content"
        >
          Add {field.label.toLowerCase().replace(/s$/, '')}
        </Button>
      </Stack>
    </Fieldset>
  );
}

export function ParamFields({ fields, form }: { readonly fields: readonly ParamField[]; readonly form: Form }) {
  const simple = fields.filter((f) => !['video', 'videos', 'group', 'list'].includes(f.kind));
  return (
    <Stack gap="md">
      {fields.map((field) => {
        if (field.kind === 'video' || field.kind === 'videos') {
          const value = form.getValues()[field.name];
          const ids = field.kind === 'video' ? (typeof value === 'string' && value ? [value] : []) : Array.isArray(value) ? (value as string[]) : [];
          return (
            <VideoPicker
              key={field.name}
              multiple={field.kind === 'videos'}
              value={ids}
              onChange={(next) => form.setFieldValue(field.name, field.kind === 'video' ? (next[0] ?? '') : next)}
              maxValues={field.kind === 'videos' ? field.max : undefined}
              error={form.errors[field.name] as string | undefined}
              description={field.kind === 'videos' ? (field.min === field.max ? `Exactly ${field.min} videos` : `${field.min} to ${field.max} videos`) : undefined}
            />
          );
        }
        return null;
      })}
      {simple.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
          {simple.map((field) => (
            <SimpleField key={field.name} field={field} form={form} path={field.name} />
          ))}
        </SimpleGrid>
      )}
      {fields.map((field) => (field.kind === 'group' ? <GroupField key={field.name} field={field} form={form} /> : field.kind === 'list' ? <ListField key={field.name} field={field} form={form} /> : null))}
    </Stack>
  );
}
