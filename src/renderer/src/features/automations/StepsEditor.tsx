/**
 * The steps of a pipeline, one card each: its id, job type, the step it comes after and on which
 * outcome (success, failure, always), its params and an optional `if`. Together they form a small
 * graph; the server checks it (unknown step, cycle, placeholders) and its errors show on the card
 * and field they name (`steps.2.after.step`).
 */
import { ActionIcon, Badge, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import type { PipelineStep, StepOutcome } from '../../../../shared/domain/pipeline';
import type { JobType } from '../../../../shared/domain/job-types';
import { Icon } from '../../components/icons';
import { jobTypeGroups } from '../../lib/job-type-labels';
import { ConditionBuilder } from './ConditionBuilder';
import { ParamsEditor } from './ParamsEditor';
import { addStep, errorAt, errorsUnder, OUTCOME_LABELS, PLACEHOLDERS, removeStep, updateStep, type FieldErrors } from './pipeline-draft';

const JOB_TYPE_GROUPS = jobTypeGroups();
const START = '__start__';

/** The server's errors about a step's params, by param name ('' for the params as a whole). */
function paramErrors(errors: FieldErrors, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of errorsUnder(errors, prefix)) {
    const key = path.slice(prefix.length + 1).split('.')[0] ?? '';
    if (!(key in out)) out[key] = message;
  }
  return out;
}

const optionalInt = (v: number | string): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

interface StepCardProps {
  readonly step: PipelineStep;
  readonly index: number;
  readonly steps: readonly PipelineStep[];
  readonly errors: FieldErrors;
  readonly onChange: (step: PipelineStep) => void;
  readonly onRemove: () => void;
}

function StepCard({ step, index, steps, errors, onChange, onRemove }: StepCardProps) {
  const path = `steps.${index}`;
  const label = `Step ${step.id || index + 1}`;
  const others = steps.filter((s, i) => i !== index && s.id !== '');
  const set = (patch: Partial<PipelineStep>) => onChange({ ...step, ...patch });
  const without = (key: 'after' | 'if' | 'priority' | 'maxRetries') => {
    const copy: Record<string, unknown> = { ...step };
    delete copy[key];
    return copy as PipelineStep;
  };
  const hasErrors = errorsUnder(errors, path).length > 0;

  return (
    <Card withBorder radius="md" padding="sm" role="group" aria-label={label} style={hasErrors ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap={6} wrap="nowrap" miw={0}>
            <Badge variant="light" radius="sm">
              {index + 1}
            </Badge>
            <Text fw={600} size="sm" truncate>
              {step.id || 'unnamed step'}
            </Text>
            {step.after && (
              <Text size="xs" c="dimmed" truncate>
                after {step.after.step} · {OUTCOME_LABELS[step.after.on]}
              </Text>
            )}
          </Group>
          <Tooltip label="Remove this step (the steps after it move up to its place in the chain)">
            <ActionIcon variant="subtle" color="red" aria-label={`Remove step ${step.id || index + 1}`} onClick={onRemove}>
              <Icon name="cancel" size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing="xs">
          <TextInput label="Step id" value={step.id} onChange={(e) => set({ id: e.currentTarget.value })} error={errorAt(errors, `${path}.id`)} ff="monospace" />
          <Select
            label="Job type"
            data={JOB_TYPE_GROUPS}
            value={step.type}
            allowDeselect={false}
            maxDropdownHeight={320}
            onChange={(v) => v && set({ type: v as JobType })}
            error={errorAt(errors, `${path}.type`)}
          />
          <Select
            label="Runs after"
            data={[{ value: START, label: 'the start of the run' }, ...others.map((s) => ({ value: s.id, label: `${s.id} (${s.type})` }))]}
            value={step.after?.step ?? START}
            allowDeselect={false}
            onChange={(v) => onChange(!v || v === START ? without('after') : { ...step, after: { step: v, on: step.after?.on ?? 'success' } })}
            error={errorAt(errors, `${path}.after.step`)}
          />
          <Select
            label="When that step"
            data={(Object.keys(OUTCOME_LABELS) as StepOutcome[]).map((o) => ({ value: o, label: o === 'always' ? 'ends either way' : o === 'success' ? 'succeeds' : 'fails' }))}
            value={step.after?.on ?? 'success'}
            disabled={!step.after}
            allowDeselect={false}
            onChange={(v) => step.after && v && set({ after: { step: step.after.step, on: v as StepOutcome } })}
            error={errorAt(errors, `${path}.after.on`)}
          />
          <NumberInput
            label="Priority"
            placeholder="default (5)"
            min={1}
            max={10}
            allowDecimal={false}
            value={step.priority ?? ''}
            onChange={(v) => onChange(optionalInt(v) === undefined ? without('priority') : { ...step, priority: optionalInt(v)! })}
            error={errorAt(errors, `${path}.priority`)}
          />
          <NumberInput
            label="Max retries"
            placeholder="default"
            min={0}
            max={20}
            allowDecimal={false}
            value={step.maxRetries ?? ''}
            onChange={(v) => onChange(optionalInt(v) === undefined ? without('maxRetries') : { ...step, maxRetries: optionalInt(v)! })}
            error={errorAt(errors, `${path}.maxRetries`)}
          />
        </SimpleGrid>
        <ParamsEditor type={step.type} params={step.params ?? {}} onChange={(params) => set({ params })} errors={paramErrors(errors, `${path}.params`)} stepLabel={label} />
        <Switch
          label="Only if… (checked on the video when the step is reached; skipped otherwise)"
          checked={step.if !== undefined}
          onChange={(e) => onChange(e.currentTarget.checked ? { ...step, if: { all: [] } } : without('if'))}
        />
        {step.if && <ConditionBuilder group={step.if} onChange={(g) => set({ if: g })} path={`${path}.if`} errors={errors} label={`${label} condition`} emptyText="No rules yet: the step always runs." />}
        {errorsUnder(errors, path)
          .filter(([p]) => !/^steps\.\d+\.(id|type|after|priority|maxRetries|params|if)(\.|$)/.test(p))
          .map(([p, m]) => (
            <Text key={p} size="xs" c="red">
              {m}
            </Text>
          ))}
      </Stack>
    </Card>
  );
}

export interface StepsEditorProps {
  readonly steps: readonly PipelineStep[];
  readonly onChange: (steps: PipelineStep[]) => void;
  readonly errors: FieldErrors;
}

export function StepsEditor({ steps, onChange, errors }: StepsEditorProps) {
  const own = Object.entries(errors).find(([p]) => p === 'steps')?.[1];
  return (
    <Stack gap="sm">
      <Text size="xs" c="dimmed">
        Each step is a job. Params may use placeholders: {PLACEHOLDERS.join(', ')}, and {'{{steps.<id>.outputVideoId}}'} of an earlier step.
      </Text>
      {steps.map((step, i) => (
        <StepCard key={i} step={step} index={i} steps={steps} errors={errors} onChange={(next) => onChange(updateStep(steps, i, next))} onRemove={() => onChange(removeStep(steps, i))} />
      ))}
      {own && (
        <Text size="sm" c="red">
          {own}
        </Text>
      )}
      <Group>
        <Button variant="light" size="xs" leftSection={<Icon name="plus" size={14} />} onClick={() => onChange(addStep(steps))}>
          Add step
        </Button>
      </Group>
    </Stack>
  );
}
