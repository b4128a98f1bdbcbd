/**
 * The dry run: the pipeline evaluated over the whole library without creating jobs, one row per
 * video — would run (with the steps whose `if` holds now) or skipped and why (a condition and what
 * the video has, missing, its own output, processed already). A would-run row can be run at once.
 */
import { Badge, Button, Checkbox, Group, Pagination, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { DryRun } from '../../../../shared/contracts/pipeline';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { EmptyView, ErrorState, LoadingState } from '../../components/StateViews';
import type { AutomationsStore } from '../../stores/automations-store';
import { showToast } from '../../stores/toast-store';

const PAGE_SIZE = 25;

const SKIP_LABELS: Readonly<Record<DryRun['skipped'][number]['kind'], string>> = {
  condition: 'condition',
  missing: 'missing',
  own_output: 'own output',
  processed: 'processed already',
  unreadable: 'unreadable',
};

type Row = { readonly videoId: string; readonly path: string } & ({ readonly verdict: 'run'; readonly steps: readonly string[] } | { readonly verdict: 'skip'; readonly kind: DryRun['skipped'][number]['kind']; readonly reason: string });

function rowsOf(result: DryRun): Row[] {
  const rows: Row[] = [...result.wouldRun.map((r) => ({ ...r, verdict: 'run' as const })), ...result.skipped.map((s) => ({ ...s, verdict: 'skip' as const }))];
  return rows.sort((a, b) => a.path.localeCompare(b.path));
}

export interface DryRunPanelProps {
  readonly store: AutomationsStore;
  readonly pipelineId: string;
  /** After a run was started from a row: show the run history. */
  readonly onRunStarted: () => void;
}

export function DryRunPanel({ store, pipelineId, onRunStarted }: DryRunPanelProps) {
  const state = useStore(store, (s) => s.dryRuns[pipelineId]);
  const [force, setForce] = useState(false);
  const [filter, setFilter] = useState<'all' | 'run' | 'skip'>('all');
  const [page, setPage] = useState(1);
  const [starting, setStarting] = useState<string | null>(null);
  const rows = useMemo(() => (state?.status === 'done' ? rowsOf(state.result) : []), [state]);
  const shown = rows.filter((r) => filter === 'all' || r.verdict === filter);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pages);

  const runOne = async (row: Row) => {
    setStarting(row.videoId);
    const outcome = await store.getState().run(pipelineId, { videoIds: [row.videoId], force: state?.status === 'done' ? state.force : force });
    setStarting(null);
    if (outcome.kind === 'saved') {
      const skipped = outcome.value.skipped[0];
      if (outcome.value.started.length > 0) {
        showToast({ color: 'green', title: 'Run started', message: row.path });
        onRunStarted();
      } else showToast({ color: 'yellow', title: 'Nothing started', message: skipped ? skipped.reason : row.path });
    } else if (outcome.kind !== 'failed' || !outcome.forbidden) {
      showToast({ color: 'red', title: 'Could not start the run', message: outcome.message });
    }
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Checkbox label="Force (ignore the loop breaker: content processed already, the pipeline's own outputs)" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} size="xs" />
        <Guarded operation="dryRunPipeline">
          <Button size="xs" variant="light" leftSection={<Icon name="search" size={14} />} loading={state?.status === 'running'} onClick={() => void store.getState().dryRun(pipelineId, force)}>
            {state ? 'Dry run again' : 'Dry run'}
          </Button>
        </Guarded>
      </Group>
      {!state && <EmptyView icon="search" title="No dry run yet" description="A dry run says, for every library video, whether this pipeline would run on it or why not — without creating any job." />}
      {state?.status === 'running' && <LoadingState label="Evaluating the library…" />}
      {state?.status === 'error' && <ErrorState title="The dry run failed" message={state.message} onRetry={() => void store.getState().dryRun(pipelineId, force)} />}
      {state?.status === 'done' && (
        <>
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Text size="sm" aria-live="polite">
              {state.result.evaluated} videos evaluated in {Math.round(state.result.tookMs)} ms: <b>{state.result.wouldRun.length} would run</b>, {state.result.skipped.length} skipped
              {state.force ? ' (forced)' : ''}.
            </Text>
            <SegmentedControl
              size="xs"
              aria-label="Show"
              value={filter}
              onChange={(v) => {
                setFilter(v as typeof filter);
                setPage(1);
              }}
              data={[
                { value: 'all', label: `All (${rows.length})` },
                { value: 'run', label: `Would run (${state.result.wouldRun.length})` },
                { value: 'skip', label: `Skipped (${state.result.skipped.length})` },
              ]}
            />
          </Group>
          <Table verticalSpacing={4} aria-label="Dry run" layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="36%">Video</Table.Th>
                <Table.Th w={120}>Verdict</Table.Th>
                <Table.Th>Steps / why</Table.Th>
                <Table.Th w={76} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE).map((row) => (
                <Table.Tr key={row.videoId} data-video-id={row.videoId} data-verdict={row.verdict}>
                  <Table.Td>
                    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {row.path}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {row.verdict === 'run' ? (
                      <Badge color="green" variant="light">
                        Would run
                      </Badge>
                    ) : (
                      <Stack gap={2} align="flex-start">
                        <Badge color="gray" variant="light">
                          Skipped
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {SKIP_LABELS[row.kind]}
                        </Text>
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                      {row.verdict === 'run' ? (row.steps.length > 0 ? row.steps.join(' → ') : 'no step applies now') : row.reason}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {row.verdict === 'run' && (
                      <Guarded operation="runPipeline" label={`Run the pipeline on ${row.path} now`} openDelay={400}>
                        <Button size="compact-xs" variant="light" loading={starting === row.videoId} aria-label={`Run on ${row.path}`} onClick={() => void runOne(row)}>
                          Run
                        </Button>
                      </Guarded>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {shown.length === 0 && <Text size="sm" c="dimmed">No video in this list.</Text>}
          {pages > 1 && <Pagination size="sm" total={pages} value={current} onChange={setPage} getItemProps={(n) => ({ 'aria-label': `Dry run page ${n}` })} />}
        </>
      )}
    </Stack>
  );
}
