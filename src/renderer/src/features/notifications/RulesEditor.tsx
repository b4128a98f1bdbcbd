/**
 * The rules as a form: one block per rule — which event (with its options: job types for a failed
 * job, the folder and thresholds for low disk space), the channels (desktop, browser, webhooks by
 * name), the throttle and whether it is on — each server error next to the field it names
 * (`rules.1.minFreeGb`), the rest of a rule's errors (an id used twice) under its header.
 */
import { ActionIcon, Button, Checkbox, Group, Input, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useId } from 'react';
import type { NotificationKind } from '../../../../shared/contracts/notifications';
import type { JobType } from '../../../../shared/domain/job-types';
import { Icon } from '../../components/icons';
import { jobTypeGroups } from '../../lib/job-type-labels';
import { EVENT_LABELS, EVENT_OPTIONS, FOLDER_OPTIONS, errorAt, itemErrors, newRule, type FieldErrors, type Folder, type RuleDraft, type WebhookDraft } from './notifications-draft';

const numberOrEmpty = (v: string | number): number | '' => (typeof v === 'number' ? v : v.trim() === '' ? '' : Number.isFinite(Number(v)) ? Number(v) : '');

interface RuleFieldsProps {
  readonly index: number;
  readonly rule: RuleDraft;
  readonly webhooks: readonly WebhookDraft[];
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onChange: (patch: Partial<RuleDraft>) => void;
  readonly onRemove: () => void;
}

function RuleFields({ index, rule: r, webhooks, errors, disabled, onChange, onRemove }: RuleFieldsProps) {
  const channelsLabel = useId();
  const path = `rules.${index}`;
  const name = `Rule ${index + 1}`;
  const others = itemErrors(errors, path);
  const hookOptions = webhooks.map((w) => ({ value: w.id, label: w.name.trim() || w.id }));
  // a webhook the rule names that the list no longer has still shows (the server names it)
  for (const id of r.webhooks) if (!hookOptions.some((o) => o.value === id)) hookOptions.push({ value: id, label: `${id} (unknown)` });
  return (
    <Paper withBorder radius="sm" p="sm" component="fieldset" aria-label={name} style={{ minWidth: 0, margin: 0 }}>
      <Stack gap="xs">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            label="When"
            data={EVENT_OPTIONS}
            value={r.event}
            onChange={(v) => v && onChange({ event: v as NotificationKind })}
            allowDeselect={false}
            disabled={disabled}
            error={errorAt(errors, `${path}.event`)}
            w={230}
          />
          <Switch label="On" checked={r.enabled} onChange={(e) => onChange({ enabled: e.currentTarget.checked })} disabled={disabled} error={errorAt(errors, `${path}.enabled`)} mb={8} />
          <Text size="xs" c="dimmed" mb={10} style={{ flex: '1 1 80px' }}>
            id {r.id}
          </Text>
          <ActionIcon variant="subtle" color="red" aria-label={`Remove rule ${index + 1} (${EVENT_LABELS[r.event]})`} onClick={onRemove} disabled={disabled} mb={6}>
            <Icon name="cancel" size={16} />
          </ActionIcon>
        </Group>
        {others.map((m) => (
          <Input.Error key={m}>{m}</Input.Error>
        ))}
        {r.event === 'job.failed' && (
          <MultiSelect
            label="Only these job types"
            placeholder={r.jobTypes.length === 0 ? 'Every job type' : undefined}
            data={jobTypeGroups()}
            value={[...r.jobTypes]}
            onChange={(v) => onChange({ jobTypes: v as JobType[] })}
            searchable
            clearable
            disabled={disabled}
            error={errorAt(errors, `${path}.jobTypes`)}
          />
        )}
        {r.event === 'disk.low' && (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <Select
              label="Folder"
              data={FOLDER_OPTIONS}
              value={r.folder}
              onChange={(v) => v && onChange({ folder: v as Folder })}
              allowDeselect={false}
              disabled={disabled}
              error={errorAt(errors, `${path}.folder`)}
            />
            <NumberInput
              label="Below GB free"
              min={0}
              decimalScale={2}
              value={r.minFreeGb}
              onChange={(v) => onChange({ minFreeGb: numberOrEmpty(v) })}
              disabled={disabled}
              error={errorAt(errors, `${path}.minFreeGb`)}
            />
            <NumberInput
              label="Below % free"
              min={0}
              max={100}
              decimalScale={1}
              value={r.minFreePercent}
              onChange={(v) => onChange({ minFreePercent: numberOrEmpty(v) })}
              disabled={disabled}
              error={errorAt(errors, `${path}.minFreePercent`)}
            />
          </SimpleGrid>
        )}
        <Group gap="md" align="flex-start" wrap="wrap">
          <Stack gap={6} mt={4}>
            <Text size="sm" fw={500} id={channelsLabel}>
              Channels
            </Text>
            <Group gap="md" role="group" aria-labelledby={channelsLabel}>
              <Checkbox label="Desktop" checked={r.desktop} onChange={(e) => onChange({ desktop: e.currentTarget.checked })} disabled={disabled} />
              <Checkbox label="Browser" checked={r.browser} onChange={(e) => onChange({ browser: e.currentTarget.checked })} disabled={disabled} />
            </Group>
          </Stack>
          <MultiSelect
            label="Webhooks"
            placeholder={r.webhooks.length === 0 ? (webhooks.length === 0 ? 'Add a webhook below' : 'None') : undefined}
            data={hookOptions}
            value={[...r.webhooks]}
            onChange={(v) => onChange({ webhooks: v })}
            disabled={disabled}
            error={errorAt(errors, `${path}.channels`)}
            style={{ flex: '1 1 200px', minWidth: 0 }}
          />
          <NumberInput
            label="At most one per (min)"
            placeholder="no limit"
            min={1}
            max={10_080}
            allowDecimal={false}
            value={r.throttleMinutes}
            onChange={(v) => onChange({ throttleMinutes: numberOrEmpty(v) })}
            disabled={disabled}
            error={errorAt(errors, `${path}.throttleMinutes`)}
            w={170}
          />
        </Group>
      </Stack>
    </Paper>
  );
}

interface RulesEditorProps {
  readonly rules: readonly RuleDraft[];
  readonly webhooks: readonly WebhookDraft[];
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onChange: (rules: RuleDraft[]) => void;
}

export function RulesEditor({ rules, webhooks, errors, disabled, onChange }: RulesEditorProps) {
  return (
    <Stack gap="sm">
      {rules.length === 0 && (
        <Text size="sm" c="dimmed">
          No rules: nothing is notified.
        </Text>
      )}
      {rules.map((r, i) => (
        <RuleFields
          key={r.key}
          index={i}
          rule={r}
          webhooks={webhooks}
          errors={errors}
          disabled={disabled}
          onChange={(patch) => onChange(rules.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
          onRemove={() => onChange(rules.filter((_, j) => j !== i))}
        />
      ))}
      <Group>
        <Button size="xs" variant="light" leftSection={<Icon name="plus" size={14} />} onClick={() => onChange([...rules, newRule(rules)])} disabled={disabled}>
          Add rule
        </Button>
      </Group>
    </Stack>
  );
}
