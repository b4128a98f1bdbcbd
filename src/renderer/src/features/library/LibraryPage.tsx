/**
 * The Library page: videos with thumbnails, tags and media facts, search and filters, server-side
 * pagination, and row actions that create a job and open it on the Jobs page. "Scan inbox" stays
 * here: the scan's progress shows above the table and the videos it finds appear as it goes.
 */
import { Button, Checkbox, Group, Pagination, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { Video } from '../../../../shared/contracts/video';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { EmptyView, ErrorState, LoadingState } from '../../components/StateViews';
import { isForbidden } from '../../lib/access';
import { hasLibraryFilters } from '../../stores/library-store';
import { useAppStore, useStores } from '../../stores/stores-context';
import { showToast } from '../../stores/toast-store';
import type { LibraryAction } from './library-actions';
import { LibraryActionDialog } from './LibraryActionDialog';
import { LibraryFilters } from './LibraryFilters';
import { ScanStatus } from './ScanStatus';
import { LIBRARY_COLUMNS as C, VideoRow } from './VideoRow';
import { useLibraryUrl } from './library-url';
import type { RouteQuery } from '../../stores/navigation-store';
import { groupUnderSources } from './library-bulk';
import { LibraryBulkActions } from './LibraryBulkActions';
import { useOutputSources } from './use-output-sources';

export interface LibraryPageProps {
  readonly onJobCreated: (jobId: string) => void;
  /** Search, filters and page in the URL (library-url.ts); absent: not kept anywhere. */
  readonly query?: RouteQuery;
  readonly onQueryChange?: (query: RouteQuery) => void;
}

export function LibraryPage({ onJobCreated, query, onQueryChange }: LibraryPageProps) {
  const { library, client } = useStores();
  const videos = useAppStore('library', (s) => s.videos);
  const pagination = useAppStore('library', (s) => s.pagination);
  const loading = useAppStore('library', (s) => s.loading);
  const error = useAppStore('library', (s) => s.error);
  const filters = useAppStore('library', (s) => s.filters);
  const page = useAppStore('library', (s) => s.page);
  const limit = useAppStore('library', (s) => s.limit);
  const [request, setRequest] = useState<{ action: LibraryAction; video: Video } | null>(null);
  const [scanning, setScanning] = useState(false);
  const scan = useAppStore('library', (s) => s.scan);

  useLibraryUrl(library, query, onQueryChange);

  // multi-select over the page shown: a new page, search or filter starts with nothing selected
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setSelectedIds(new Set()), [page, filters]);
  const toggle = useCallback((id: string) => setSelectedIds((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id]))), []);
  const selected = videos.filter((v) => selectedIds.has(v.id));
  const allSelected = videos.length > 0 && selected.length === videos.length;
  const sources = useOutputSources(videos);
  const rows = groupUnderSources(videos, new Map([...sources].flatMap(([id, s]) => (s.videoId ? [[id, s.videoId] as const] : []))));

  const onAction = useCallback((action: LibraryAction, video: Video) => setRequest({ action, video }), []);
  const onPickTag = useCallback((tag: string) => library.getState().setFilters({ tag }), [library]);

  const scanInbox = async () => {
    setScanning(true);
    try {
      const job = await client.call('createJob', { type: 'scan', params: { directoryType: 'inbox' } });
      // stay: the scan's status and its arrivals show on this page
      library.getState().trackScan(job, 'inbox');
    } catch (e) {
      // a 403 is told by the session already (the role changed since it was read)
      if (!isForbidden(e)) showToast({ color: 'red', title: 'Could not start a scan', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setScanning(false);
    }
  };

  const filtered = hasLibraryFilters(filters);

  let body;
  if (pagination === null) {
    body = error ? <ErrorState title="Could not load the library" message={error} onRetry={() => void library.getState().load()} /> : <LoadingState label="Loading the library…" />;
  } else {
    body = (
      <>
        {error && <ErrorState title="Could not refresh the library" message={error} onRetry={() => void library.getState().load()} />}
        {/* fixed layout: the title column takes what the others leave; columns yield on narrow screens */}
        <Table highlightOnHover verticalSpacing={6} horizontalSpacing="xs" layout="fixed" aria-label="Library videos" aria-busy={loading}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={C.select.w}>
                <Checkbox
                  size="xs"
                  aria-label="Select all videos on this page"
                  checked={allSelected}
                  indeterminate={selected.length > 0 && !allSelected}
                  onChange={() => setSelectedIds(allSelected ? new Set() : new Set(videos.map((v) => v.id)))}
                />
              </Table.Th>
              <Table.Th w={C.thumbnail.w}>Thumbnail</Table.Th>
              <Table.Th>Title / file</Table.Th>
              <Table.Th w={C.duration.w}>Duration</Table.Th>
              <Table.Th w={C.resolution.w} visibleFrom={C.resolution.from}>
                Resolution
              </Table.Th>
              <Table.Th w={C.codec.w} visibleFrom={C.codec.from}>
                Codec
              </Table.Th>
              <Table.Th w={C.orientation.w} visibleFrom={C.orientation.from}>
                Orientation
              </Table.Th>
              <Table.Th w={C.size.w} visibleFrom={C.size.from}>
                Size
              </Table.Th>
              <Table.Th w={C.directory.w}>Directory</Table.Th>
              <Table.Th w={C.valid.w}>Valid</Table.Th>
              <Table.Th w={C.actions.w}>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ video: v, nested }) => {
              const source = sources.get(v.id);
              return (
                <VideoRow
                  key={v.id}
                  video={v}
                  onAction={onAction}
                  onPickTag={onPickTag}
                  selected={selectedIds.has(v.id)}
                  onToggle={toggle}
                  nested={nested}
                  sourceNote={source ? `Output of ${source.title} (${source.jobType})` : null}
                />
              );
            })}
          </Table.Tbody>
        </Table>
        {videos.length === 0 &&
          (filtered ? (
            <EmptyView title="No video matches" description="Change the search or the filters." />
          ) : (
            <EmptyView icon="library" title="The library is empty" description="Put video files in the library's inbox folder, then scan it.">
              <Guarded operation="createJob">
                <Button onClick={() => void scanInbox()} loading={scanning} leftSection={<Icon name="scan" size={16} />}>
                  Scan the inbox
                </Button>
              </Guarded>
            </EmptyView>
          ))}
        <Group justify="space-between" gap="sm">
          <Text size="sm" c="dimmed">
            {pagination.total === 0 ? 'No videos' : `${(page - 1) * limit + 1}–${Math.min(page * limit, pagination.total)} of ${pagination.total} videos`}
          </Text>
          <Pagination total={pagination.totalPages} value={page} onChange={(p) => library.getState().setPage(p)} size="sm" getControlProps={(c) => ({ 'aria-label': `${c} page` })} getItemProps={(n) => ({ 'aria-label': `Page ${n}` })} />
        </Group>
      </>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Library</Title>
        <Guarded operation="createJob">
          <Button variant="default" leftSection={<Icon name="scan" size={16} />} onClick={() => void scanInbox()} loading={scanning}>
            Scan inbox
          </Button>
        </Guarded>
      </Group>
      <ScanStatus scan={scan} onOpenJob={onJobCreated} onDismiss={() => library.getState().dismissScan()} />
      <LibraryFilters />
      <LibraryBulkActions selected={selected} onClear={() => setSelectedIds(new Set())} />
      {body}
      <LibraryActionDialog
        request={request}
        onClose={() => setRequest(null)}
        onCreated={(jobId) => {
          setRequest(null);
          onJobCreated(jobId);
        }}
      />
    </Stack>
  );
}
