/**
 * The Automations page (`#/automations`, `?pipeline=<id>&tab=runs` for the one opened): the
 * pipelines with their switches, last run and counts, "New from template", the opened pipeline
 * (editor, dry run, run history — live from `pipeline.run.updated`), and the watched folders.
 * Its store lives as long as the session (a dry run is still there on coming back) and follows
 * live events only while the page is shown.
 */
import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { EmptyView, ErrorState, LoadingState } from '../../components/StateViews';
import { automationsStoreFor } from '../../stores/automations-store';
import type { RouteQuery } from '../../stores/navigation-store';
import { useStores } from '../../stores/stores-context';
import { NewFromTemplate } from './NewFromTemplate';
import { PipelineDetail, type DetailTab } from './PipelineDetail';
import { PipelineList } from './PipelineList';
import { WatchFoldersCard } from './WatchFoldersCard';

const TABS: readonly DetailTab[] = ['editor', 'dry-run', 'runs'];
const NO_QUERY: RouteQuery = {};

export interface AutomationsPageProps {
  /** Opens a job's detail (on the Jobs page). */
  readonly onOpenJob: (jobId: string) => void;
  /** The opened pipeline and tab in the URL; absent: kept here only. */
  readonly query?: RouteQuery;
  readonly onQueryChange?: (query: RouteQuery) => void;
}

export function AutomationsPage({ onOpenJob, query = NO_QUERY, onQueryChange }: AutomationsPageProps) {
  const { client } = useStores();
  const [store] = useState(() => automationsStoreFor(client));
  const pipelines = useStore(store, (s) => s.pipelines);
  const loaded = useStore(store, (s) => s.loaded);
  const error = useStore(store, (s) => s.error);
  // without a URL to keep it in, the page keeps the selection itself
  const [local, setLocal] = useState<RouteQuery>(query);
  const current = onQueryChange ? query : local;
  const setQuery = useCallback((next: RouteQuery) => (onQueryChange ? onQueryChange(next) : setLocal(next)), [onQueryChange]);

  useEffect(() => {
    return store.getState().start();
  }, [store]);

  const selected = pipelines.find((p) => p.id === current.pipeline) ?? pipelines[0] ?? null;
  const tab: DetailTab = (TABS as readonly string[]).includes(current.tab ?? '') ? (current.tab as DetailTab) : 'editor';
  const select = (id: string, nextTab: DetailTab = 'editor') => setQuery({ pipeline: id, ...(nextTab === 'editor' ? {} : { tab: nextTab }) });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={2}>
          <Title order={2}>Automations</Title>
          <Text size="sm" c="dimmed">
            Pipelines run jobs by themselves: when a file arrives, on a schedule or after a job — on the videos their rules match.
          </Text>
        </Stack>
        {pipelines.length > 0 && <NewFromTemplate store={store} onCreated={(id) => select(id)} variant="default" />}
      </Group>

      <Card withBorder radius="md" padding="sm" component="section" aria-label="Pipelines">
        {!loaded && error && <ErrorState title="Could not load the pipelines" message={error} onRetry={() => void store.getState().load()} />}
        {!loaded && !error && <LoadingState label="Loading the pipelines…" />}
        {loaded && error && <ErrorState title="Could not refresh the pipelines" message={error} onRetry={() => void store.getState().load()} />}
        {loaded && pipelines.length === 0 && (
          <EmptyView icon="retry" title="No pipelines yet" description="Start from a template — e.g. “Streaming-ready library” makes every new file play in any browser — and adjust it.">
            <NewFromTemplate store={store} onCreated={(id) => select(id)} />
          </EmptyView>
        )}
        {loaded && pipelines.length > 0 && <PipelineList store={store} pipelines={pipelines} selectedId={selected?.id ?? null} onSelect={(id) => select(id)} />}
      </Card>

      {selected && (
        <PipelineDetail
          key={selected.id}
          store={store}
          pipeline={selected}
          tab={tab}
          onTabChange={(next) => select(selected.id, next)}
          onOpenJob={onOpenJob}
          onDeleted={() => setQuery({})}
        />
      )}

      <WatchFoldersCard store={store} />
    </Stack>
  );
}
