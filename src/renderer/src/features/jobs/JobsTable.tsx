/** The jobs table with select-all, loading/empty/error states and server-side pagination. */
import { Box, Button, Checkbox, Group, LoadingOverlay, Pagination, Select, Table, Text } from '@mantine/core';
import { useCallback } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import { Guarded } from '../../components/Guarded';
import { EmptyView, ErrorState, LoadingState } from '../../components/StateViews';
import type { JobAction } from '../../lib/job-presentation';
import { useAppStore, useStores } from '../../stores/stores-context';
import { hasJobFilters } from '../../stores/jobs-store';
import { JOB_COLUMNS, JobRow } from './JobRow';

export interface JobsTableProps {
  readonly activeJobId: string | null;
  readonly onOpen: (job: Job) => void;
  readonly onAction: (action: JobAction, job: Job) => void;
  readonly onCreate: () => void;
}

export function JobsTable({ activeJobId, onOpen, onAction, onCreate }: JobsTableProps) {
  const { jobs: store } = useStores();
  const jobs = useAppStore('jobs', (s) => s.jobs);
  const pagination = useAppStore('jobs', (s) => s.pagination);
  const loading = useAppStore('jobs', (s) => s.loading);
  const error = useAppStore('jobs', (s) => s.error);
  const selected = useAppStore('jobs', (s) => s.selected);
  const filters = useAppStore('jobs', (s) => s.filters);
  const page = useAppStore('jobs', (s) => s.page);
  const limit = useAppStore('jobs', (s) => s.limit);
  const toggle = useCallback((id: string) => store.getState().toggleSelected(id), [store]);

  if (pagination === null) {
    if (error) return <ErrorState title="Could not load the jobs" message={error} onRetry={() => void store.getState().load()} />;
    return <LoadingState label="Loading jobs…" />;
  }

  const filtered = hasJobFilters(filters);
  const allSelected = jobs.length > 0 && jobs.every((j) => selected.has(j.id));
  const someSelected = !allSelected && jobs.some((j) => selected.has(j.id));

  return (
    <>
      {error && <ErrorState title="Could not refresh the jobs" message={error} onRetry={() => void store.getState().load()} />}
      {/* fixed layout: the file column takes what the others leave, so the table never needs a sideways scroll */}
      <Box pos="relative">
        <LoadingOverlay visible={loading && jobs.length === 0} overlayProps={{ blur: 1 }} />
        <Table highlightOnHover verticalSpacing={6} horizontalSpacing="xs" layout="fixed" stickyHeader stickyHeaderOffset={52} aria-label="Jobs" aria-busy={loading}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={JOB_COLUMNS.select.w}>
                <Checkbox
                  aria-label="Select all jobs on this page"
                  checked={allSelected}
                  indeterminate={someSelected}
                  disabled={jobs.length === 0}
                  onChange={() => store.getState().setSelected(allSelected ? [] : jobs.map((j) => j.id))}
                />
              </Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th w={JOB_COLUMNS.type.w} visibleFrom={JOB_COLUMNS.type.from}>
                Type
              </Table.Th>
              <Table.Th w={JOB_COLUMNS.status.w}>Status</Table.Th>
              <Table.Th w={JOB_COLUMNS.progress.w}>Progress</Table.Th>
              <Table.Th w={JOB_COLUMNS.output.w} visibleFrom={JOB_COLUMNS.output.from}>
                Output
              </Table.Th>
              <Table.Th w={JOB_COLUMNS.created.w} visibleFrom={JOB_COLUMNS.created.from}>
                Created
              </Table.Th>
              <Table.Th w={JOB_COLUMNS.actions.w} ta="right">
                Actions
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {jobs.map((job) => (
              <JobRow key={job.id} job={job} selected={selected.has(job.id)} active={job.id === activeJobId} onToggle={toggle} onOpen={onOpen} onAction={onAction} />
            ))}
          </Table.Tbody>
        </Table>
      </Box>
      {jobs.length === 0 &&
        (filtered ? (
          <EmptyView title="No jobs match these filters" description="Change or clear the filters to see other jobs." />
        ) : (
          <EmptyView icon="jobs" title="No jobs yet" description="Create a job here, or start one from the Library page.">
            <Guarded operation="createJob">
              <Button onClick={onCreate}>Create job</Button>
            </Guarded>
          </EmptyView>
        ))}
      <Group justify="space-between" mt="sm" gap="sm">
        <Text size="sm" c="dimmed">
          {pagination.total === 0 ? 'No jobs' : `${(page - 1) * limit + 1}–${Math.min(page * limit, pagination.total)} of ${pagination.total} jobs`}
        </Text>
        <Group gap="sm">
          <Select
            aria-label="Jobs per page"
            data={['10', '25', '50', '100']}
            value={String(limit)}
            onChange={(v) => v && store.getState().setLimit(Number(v))}
            w={80}
            size="xs"
            allowDeselect={false}
          />
          <Pagination total={pagination.totalPages} value={page} onChange={(p) => store.getState().setPage(p)} size="sm" getControlProps={(c) => ({ 'aria-label': `${c} page` })} getItemProps={(n) => ({ 'aria-label': `Page ${n}` })} />
        </Group>
      </Group>
    </>
  );
}
