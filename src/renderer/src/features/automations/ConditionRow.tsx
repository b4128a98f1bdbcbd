/**
 * One rule of the rule builder: field, operator and a value input that fits both (a text, a list
 * of texts, a number, a [min, max] pair, yes/no, an orientation, a tag with a minimum confidence).
 */
import { ActionIcon, Autocomplete, Group, MultiSelect, NumberInput, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import type { ConditionLeaf } from '../../../../shared/domain/pipeline-conditions';
import { Icon } from '../../components/icons';
import { FIELD_GROUPS, isListOp, kindOf, OP_LABELS, opsOf, TEXT_SUGGESTIONS, withField, withOp, type Field } from './condition-fields';

const ORIENTATION_DATA = ['landscape', 'portrait', 'square'];
const YES_NO = [
  { value: 'true', label: 'yes' },
  { value: 'false', label: 'no' },
];

export interface ConditionRowProps {
  readonly leaf: ConditionLeaf;
  readonly label: string;
  readonly error?: string;
  readonly onChange: (leaf: ConditionLeaf) => void;
  readonly onRemove: () => void;
}

const num = (v: number | string, fallback = 0) => (typeof v === 'number' ? v : Number.isFinite(Number(v)) && v !== '' ? Number(v) : fallback);

function ValueInput({ leaf, onChange }: { readonly leaf: ConditionLeaf; readonly onChange: (leaf: ConditionLeaf) => void }) {
  const kind = kindOf(leaf.field);
  const set = (value: unknown) => onChange({ ...leaf, value } as ConditionLeaf);
  const common = { 'aria-label': 'Value', size: 'xs' as const, style: { flex: '1 1 160px', minWidth: 120 } };
  if (kind === 'number') {
    if (leaf.op === 'between') {
      const [min, max] = Array.isArray(leaf.value) ? (leaf.value as [number, number]) : [0, 0];
      return (
        <Group gap={4} wrap="nowrap" style={common.style}>
          <NumberInput size="xs" aria-label="Minimum" value={min} onChange={(v) => set([num(v), max])} style={{ flex: 1 }} />
          <Text size="xs">and</Text>
          <NumberInput size="xs" aria-label="Maximum" value={max} onChange={(v) => set([min, num(v)])} style={{ flex: 1 }} />
        </Group>
      );
    }
    return <NumberInput {...common} value={leaf.value as number} onChange={(v) => set(num(v))} />;
  }
  if (kind === 'boolean') return <Select {...common} data={YES_NO} value={String(leaf.value)} allowDeselect={false} onChange={(v) => set(v === 'true')} />;
  if (kind === 'orientation') {
    return isListOp(leaf.op) ? (
      <MultiSelect {...common} data={ORIENTATION_DATA} value={leaf.value as string[]} onChange={set} />
    ) : (
      <Select {...common} data={ORIENTATION_DATA} value={leaf.value as string} allowDeselect={false} onChange={(v) => v && set(v)} />
    );
  }
  if (kind === 'tag' && leaf.field === 'tag') {
    return (
      <Group gap={4} wrap="nowrap" style={common.style}>
        <TextInput size="xs" aria-label="Value" placeholder="person" value={leaf.value} onChange={(e) => set(e.currentTarget.value)} style={{ flex: 2 }} />
        <NumberInput
          size="xs"
          aria-label="Minimum confidence"
          placeholder="min. confidence"
          min={0}
          max={1}
          step={0.05}
          decimalScale={2}
          value={leaf.minConfidence ?? ''}
          onChange={(v) => {
            const { minConfidence: _old, ...rest } = leaf;
            onChange(v === '' ? rest : { ...rest, minConfidence: num(v) });
          }}
          style={{ flex: 1 }}
        />
      </Group>
    );
  }
  const suggestions = [...(TEXT_SUGGESTIONS[leaf.field as Field] ?? [])];
  if (isListOp(leaf.op)) return <TagsInput {...common} data={suggestions} value={leaf.value as string[]} onChange={set} placeholder="Enter to add" />;
  if (suggestions.length > 0) return <Autocomplete {...common} data={suggestions} value={leaf.value as string} onChange={set} />;
  return <TextInput {...common} placeholder={kind === 'name' ? '*.mkv (glob: * and ?)' : kind === 'folder' ? 'inbox/holidays' : undefined} value={leaf.value as string} onChange={(e) => set(e.currentTarget.value)} />;
}

export function ConditionRow({ leaf, label, error, onChange, onRemove }: ConditionRowProps) {
  return (
    <Stack gap={2} role="group" aria-label={label}>
      <Group gap={6} wrap="wrap" align="center">
        <Select
          size="xs"
          aria-label="Field"
          data={FIELD_GROUPS}
          value={leaf.field}
          allowDeselect={false}
          maxDropdownHeight={320}
          onChange={(v) => v && onChange(withField(leaf, v as Field))}
          style={{ flex: '0 1 190px', minWidth: 140 }}
        />
        <Select
          size="xs"
          aria-label="Operator"
          data={opsOf(leaf.field).map((op) => ({ value: op, label: OP_LABELS[op] ?? op }))}
          value={leaf.op}
          allowDeselect={false}
          onChange={(v) => v && onChange(withOp(leaf, v))}
          style={{ flex: '0 0 120px' }}
        />
        <ValueInput leaf={leaf} onChange={onChange} />
        <ActionIcon variant="subtle" color="gray" aria-label={`Remove ${label.toLowerCase()}`} onClick={onRemove}>
          <Icon name="cancel" size={14} />
        </ActionIcon>
      </Group>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}
