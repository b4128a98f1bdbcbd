/**
 * The rule builder: a group of rules that must all hold ("all of") or of which one must ("any
 * of"), with groups nested inside (up to the server's depth limit). `path` is where the group sits
 * in the document (`conditions`, `steps.2.if`), so the server's errors show on the rule they name.
 */
import { Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import type { ConditionGroup, ConditionNode } from '../../../../shared/domain/pipeline-conditions';
import { Icon } from '../../components/icons';
import { childrenOfGroup, defaultLeaf, groupOf, isGroupNode, MAX_GROUP_DEPTH, modeOf } from './condition-fields';
import { ConditionRow } from './ConditionRow';
import { errorAt, type FieldErrors } from './pipeline-draft';

export interface ConditionBuilderProps {
  readonly group: ConditionGroup;
  readonly onChange: (group: ConditionGroup) => void;
  readonly path: string;
  readonly errors: FieldErrors;
  /** Shown when the group is empty ("every video"). */
  readonly emptyText?: string;
  readonly label?: string;
  /** Removes this group from its parent (nested groups only). */
  readonly onRemove?: () => void;
  readonly depth?: number;
}

export function ConditionBuilder({ group, onChange, path, errors, emptyText = 'No rules: every video matches.', label = 'Conditions', onRemove, depth = 1 }: ConditionBuilderProps) {
  const mode = modeOf(group);
  const children = childrenOfGroup(group);
  const childPath = (i: number) => `${path}.${mode}.${i}`;
  const setChildren = (next: readonly ConditionNode[]) => onChange(groupOf(mode, next));
  const setChild = (i: number, node: ConditionNode) => setChildren(children.map((c, j) => (j === i ? node : c)));
  const removeChild = (i: number) => setChildren(children.filter((_, j) => j !== i));
  // the group's own error (not one of a rule inside it)
  const own = Object.entries(errors).find(([p]) => p === path || p === `${path}.${mode}`)?.[1];

  return (
    <Paper withBorder={depth > 1} p={depth > 1 ? 'xs' : 0} radius="sm" role="group" aria-label={label}>
      <Stack gap={6}>
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Group gap={6} wrap="nowrap">
            <Text size="xs" c="dimmed">
              Match
            </Text>
            <SegmentedControl
              size="xs"
              aria-label={`${label}: how rules combine`}
              value={mode}
              onChange={(v) => onChange(groupOf(v as 'all' | 'any', children))}
              data={[
                { value: 'all', label: 'all of' },
                { value: 'any', label: 'any of' },
              ]}
            />
          </Group>
          <Group gap={4} wrap="wrap">
            <Button size="compact-xs" variant="light" leftSection={<Icon name="plus" size={12} />} onClick={() => setChildren([...children, defaultLeaf('videoCodec')])}>
              Add rule
            </Button>
            {depth < MAX_GROUP_DEPTH && (
              <Button size="compact-xs" variant="subtle" leftSection={<Icon name="plus" size={12} />} onClick={() => setChildren([...children, { any: [defaultLeaf('videoCodec')] }])}>
                Add group
              </Button>
            )}
            {onRemove && (
              <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove}>
                Remove group
              </Button>
            )}
          </Group>
        </Group>
        {children.length === 0 && (
          <Text size="xs" c="dimmed">
            {emptyText}
          </Text>
        )}
        {children.map((child, i) =>
          isGroupNode(child) ? (
            <ConditionBuilder
              key={i}
              group={child}
              onChange={(g) => setChild(i, g)}
              path={childPath(i)}
              errors={errors}
              label={`${label} › group ${i + 1}`}
              onRemove={() => removeChild(i)}
              depth={depth + 1}
            />
          ) : (
            <ConditionRow key={i} leaf={child} label={`Rule ${i + 1}`} error={errorAt(errors, childPath(i))} onChange={(leaf) => setChild(i, leaf)} onRemove={() => removeChild(i)} />
          ),
        )}
        {own && (
          <Text size="xs" c="red">
            {own}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
