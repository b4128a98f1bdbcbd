/**
 * The pipelines, one row each: the on/off switch (a disabled pipeline's triggers do nothing), its
 * name and trigger, its last run and its run counts. A row opens the pipeline below the list.
 */
import { Badge, Group, Stack, Switch, Table, Text, Tooltip, type SwitchProps } from '@mantine/core';
import { useState } from 'react';
import type { Pipeline } from '../../../../shared/contracts/pipeline';
import { Guarded, useOperationAccess } from '../../components/Guarded';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { showToast } from '../../stores/toast-store';
import type { AutomationsStore } from '../../stores/automations-store';
import { triggerSummary } from './pipeline-draft';
import { RunStatusBadge } from './RunStatusBadge';

export interface PipelineListProps {
  readonly store: AutomationsStore;
  readonly pipelines: readonly Pipeline[];
  readonly selectedId: string | null;
  readonly onSelect: (id: string) => void;
}

/** Guarded hands its control `loading`, which a Switch would pass on to its <input>. */
function SwitchControl({ loading: _loading, ...props }: SwitchProps & { readonly loading?: boolean }) {
  return <Switch {...props} />;
}

function EnabledSwitch({ store, pipeline }: { readonly store: AutomationsStore; readonly pipeline: Pipeline }) {
  const [busy, setBusy] = useState(false);
  // a checkbox's change comes with its click: Guarded's blocked click cannot stop it, this does
  const allowed = useOperationAccess('updatePipeline').allowed;
  const toggle = async (enabled: boolean) => {
    if (!allowed) return;
    setBusy(true);
    const outcome = await store.getState().setEnabled(pipeline, enabled);
    setBusy(false);
    if (outcome.kind === 'conflict') {
      // someone saved it meanwhile: show theirs, and let the user decide again
      await store.getState().reloadPipeline(pipeline.id);
      showToast({ color: 'yellow', title: `“${pipeline.name}” was changed elsewhere`, message: 'It was reloaded; switch it again if you still want to.' });
    } else if (outcome.kind === 'invalid' || (outcome.kind === 'failed' && !outcome.forbidden)) {
      showToast({ color: 'red', title: `Could not switch “${pipeline.name}” ${enabled ? 'on' : 'off'}`, message: outcome.message });
    }
  };
  return (
    <Guarded operation="updatePipeline" label={pipeline.enabled ? 'On: its trigger starts runs. Switch off to pause it.' : 'Off: its trigger does nothing (Run now still works).'} openDelay={500}>
      <SwitchControl aria-label={`Enabled: ${pipeline.name}`} checked={pipeline.enabled} disabled={busy} onChange={(e) => void toggle(e.currentTarget.checked)} onClick={(e) => e.stopPropagation()} />
    </Guarded>
  );
}

function Counts({ runs }: { readonly runs: Pipeline['runs'] }) {
  const parts: Array<[number, string, string]> = [
    [runs.running, 'running', 'yellow'],
    [runs.completed, 'completed', 'green'],
    [runs.failed, 'failed', 'red'],
    [runs.cancelled, 'cancelled', 'gray'],
  ];
  const shown = parts.filter(([n]) => n > 0);
  if (shown.length === 0) return <Text size="xs" c="dimmed">no runs yet</Text>;
  return (
    <Group gap={4} wrap="wrap">
      {shown.map(([n, what, color]) => (
        <Badge key={what} size="sm" variant="light" color={color} aria-label={`${n} ${what}`}>
          {n} {what}
        </Badge>
      ))}
    </Group>
  );
}

export function PipelineList({ store, pipelines, selectedId, onSelect }: PipelineListProps) {
  const now = useNow(true, 30_000);
  return (
    <Table highlightOnHover verticalSpacing={6} aria-label="Pipelines" layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={64}>On</Table.Th>
          <Table.Th>Pipeline</Table.Th>
          <Table.Th w="26%">Last run</Table.Th>
          <Table.Th w="30%">Runs</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {pipelines.map((p) => (
          <Table.Tr
            key={p.id}
            data-pipeline-id={p.id}
            aria-selected={p.id === selectedId}
            bg={p.id === selectedId ? 'var(--mantine-primary-color-light)' : undefined}
            style={{ cursor: 'pointer' }}
            onClick={() => onSelect(p.id)}
          >
            <Table.Td>
              <EnabledSwitch store={store} pipeline={p} />
            </Table.Td>
            <Table.Td>
              <Stack gap={0} miw={0}>
                <Text
                  component="a"
                  href={`#/automations?pipeline=${p.id}`}
                  size="sm"
                  fw={600}
                  truncate
                  onClick={(e) => {
                    e.preventDefault();
                    onSelect(p.id);
                  }}
                >
                  {p.name}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {triggerSummary(p.trigger)} · {p.steps.length} step{p.steps.length === 1 ? '' : 's'} · v{p.version}
                </Text>
              </Stack>
            </Table.Td>
            <Table.Td>
              {p.lastRunStatus ? (
                <Group gap={6} wrap="wrap">
                  <RunStatusBadge status={p.lastRunStatus} />
                  <Tooltip label={formatDateTime(p.lastRunAt)}>
                    <Text size="xs" c="dimmed">
                      {formatRelative(p.lastRunAt, now)}
                    </Text>
                  </Tooltip>
                </Group>
              ) : (
                <Text size="xs" c="dimmed">
                  never
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Counts runs={p.runs} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
