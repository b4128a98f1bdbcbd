/**
 * The time windows as a form: one block per window (category, the days it opens, start and end as
 * HH:MM, what happens to running jobs at its close), several per category, each error next to the
 * field it names (`windows.2.end`).
 */
import { ActionIcon, Button, Chip, Group, Input, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useId } from 'react';
import type { WindowCloseAction, Weekday } from '../../../../shared/contracts/queue-control';
import type { ResourceCategory } from '../../../../shared/domain/statuses';
import { Icon } from '../../components/icons';
import { CATEGORY_LABELS, CATEGORY_OPTIONS, DAY_LABELS, DAY_ORDER, errorAt, newWindow, type FieldErrors, type WindowDraft } from './schedule-draft';

const CLOSE_OPTIONS: ReadonlyArray<{ value: WindowCloseAction; label: string }> = [
  { value: 'finish', label: 'Finish what runs' },
  { value: 'suspend', label: 'Suspend what runs' },
];

interface WindowFieldsProps {
  readonly index: number;
  readonly window: WindowDraft;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onChange: (patch: Partial<WindowDraft>) => void;
  readonly onRemove: () => void;
}

function WindowFields({ index, window: w, errors, disabled, onChange, onRemove }: WindowFieldsProps) {
  const daysLabel = useId();
  const closeLabel = useId();
  const path = `windows.${index}`;
  const name = `Window ${index + 1}`;
  const daysError = errorAt(errors, `${path}.days`);
  return (
    <Paper withBorder radius="sm" p="sm" component="fieldset" aria-label={name} style={{ minWidth: 0, margin: 0 }}>
      <Stack gap="xs">
        <Group gap="sm" align="flex-start" wrap="wrap">
          <Select
            label="Category"
            data={CATEGORY_OPTIONS}
            value={w.category}
            onChange={(v) => v && onChange({ category: v as ResourceCategory })}
            allowDeselect={false}
            disabled={disabled}
            error={errorAt(errors, `${path}.category`)}
            w={150}
          />
          <TextInput
            label="Opens"
            placeholder="HH:MM"
            value={w.start}
            onChange={(e) => onChange({ start: e.currentTarget.value })}
            disabled={disabled}
            error={errorAt(errors, `${path}.start`)}
            maxLength={5}
            inputMode="numeric"
            w={110}
          />
          <TextInput
            label="Closes"
            placeholder="HH:MM"
            description={w.end <= w.start && /^\d\d:\d\d$/.test(w.end) ? 'the next day' : undefined}
            value={w.end}
            onChange={(e) => onChange({ end: e.currentTarget.value })}
            disabled={disabled}
            error={errorAt(errors, `${path}.end`)}
            maxLength={5}
            inputMode="numeric"
            w={110}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id={closeLabel}>
              At its close
            </Text>
            <SegmentedControl aria-labelledby={closeLabel} size="sm" value={w.atClose} onChange={(v) => onChange({ atClose: v as WindowCloseAction })} data={[...CLOSE_OPTIONS]} disabled={disabled} />
            {errorAt(errors, `${path}.atClose`) && <Input.Error>{errorAt(errors, `${path}.atClose`)}</Input.Error>}
          </Stack>
          <ActionIcon variant="subtle" color="red" aria-label={`Remove window ${index + 1} (${CATEGORY_LABELS[w.category]})`} onClick={onRemove} disabled={disabled} mt={26}>
            <Icon name="cancel" size={16} />
          </ActionIcon>
        </Group>
        <Stack gap={4} role="group" aria-labelledby={daysLabel}>
          <Text size="sm" fw={500} id={daysLabel}>
            Opens on
          </Text>
          <Chip.Group multiple value={[...w.days]} onChange={(days) => onChange({ days: days as Weekday[] })}>
            <Group gap={6} wrap="wrap">
              {DAY_ORDER.map((d) => (
                <Chip key={d} value={d} size="xs" disabled={disabled}>
                  {DAY_LABELS[d]}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          {daysError && <Input.Error>{daysError}</Input.Error>}
        </Stack>
      </Stack>
    </Paper>
  );
}

export interface WindowsFieldsProps {
  readonly windows: readonly WindowDraft[];
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onChange: (windows: readonly WindowDraft[]) => void;
}

export function WindowsFields({ windows, errors, disabled, onChange }: WindowsFieldsProps) {
  return (
    <Stack gap="sm">
      {windows.length === 0 && (
        <Text size="sm" c="dimmed">
          No windows: every category may start jobs at any time.
        </Text>
      )}
      {windows.map((w, i) => (
        <WindowFields
          key={w.key}
          index={i}
          window={w}
          errors={errors}
          disabled={disabled}
          onChange={(patch) => onChange(windows.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
          onRemove={() => onChange(windows.filter((_, j) => j !== i))}
        />
      ))}
      <Group>
        <Button size="xs" variant="light" leftSection={<Icon name="plus" size={14} />} disabled={disabled} onClick={() => onChange([...windows, newWindow()])}>
          Add window
        </Button>
      </Group>
    </Stack>
  );
}
