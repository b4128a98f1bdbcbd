/**
 * Yielding the GPU to the person at the machine: on/off, the programs whose running holds GPU
 * jobs, whether another program's use of the encoder does too, hold or suspend, which categories,
 * and how often this node looks.
 */
import { Input, MultiSelect, NumberInput, SegmentedControl, SimpleGrid, Stack, Switch, TagsInput, Text } from '@mantine/core';
import { useId } from 'react';
import type { GpuYieldSettings } from '../../../../shared/contracts/queue-control';
import type { ResourceCategory } from '../../../../shared/domain/statuses';
import { CATEGORY_OPTIONS, errorAt, type FieldErrors } from './schedule-draft';

const ACTIONS: ReadonlyArray<{ value: GpuYieldSettings['action']; label: string }> = [
  { value: 'hold', label: 'Hold (start nothing new)' },
  { value: 'suspend', label: 'Suspend what runs too' },
];

export interface GpuYieldFieldsProps {
  readonly value: GpuYieldSettings;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onChange: (patch: Partial<GpuYieldSettings>) => void;
}

export function GpuYieldFields({ value, errors, disabled, onChange }: GpuYieldFieldsProps) {
  const actionLabel = useId();
  const off = disabled || !value.enabled;
  return (
    <Stack gap="sm">
      <Switch
        label="Yield the GPU while someone uses it"
        description="GPU jobs wait (or are suspended) while one of these programs runs or another program uses the GPU's encoder; they continue when it ends."
        checked={value.enabled}
        onChange={(e) => onChange({ enabled: e.currentTarget.checked })}
        disabled={disabled}
        error={errorAt(errors, 'gpuYield.enabled')}
      />
      <TagsInput
        label="Process names"
        description="As the process table names them (e.g. obs, steam, a game's executable); Enter after each."
        value={value.processNames}
        onChange={(processNames) => onChange({ processNames })}
        disabled={off}
        error={errorAt(errors, 'gpuYield.processNames')}
        maxTags={100}
      />
      <Switch
        label="Also while another program uses the GPU encoder"
        checked={value.watchEncoder}
        onChange={(e) => onChange({ watchEncoder: e.currentTarget.checked })}
        disabled={off}
        error={errorAt(errors, 'gpuYield.watchEncoder')}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500} id={actionLabel}>
          While held
        </Text>
        <SegmentedControl aria-labelledby={actionLabel} value={value.action} onChange={(v) => onChange({ action: v as GpuYieldSettings['action'] })} data={[...ACTIONS]} disabled={off} maw={420} />
        {errorAt(errors, 'gpuYield.action') && <Input.Error>{errorAt(errors, 'gpuYield.action')}</Input.Error>}
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <MultiSelect
          label="Categories held"
          data={CATEGORY_OPTIONS}
          value={[...value.categories]}
          onChange={(categories) => onChange({ categories: categories as ResourceCategory[] })}
          disabled={off}
          error={errorAt(errors, 'gpuYield.categories')}
        />
        <NumberInput
          label="Look every (s)"
          min={1}
          max={600}
          value={value.pollSeconds}
          onChange={(v) => typeof v === 'number' && onChange({ pollSeconds: v })}
          disabled={off}
          error={errorAt(errors, 'gpuYield.pollSeconds')}
        />
      </SimpleGrid>
    </Stack>
  );
}
