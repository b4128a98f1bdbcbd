/**
 * Filters of the Jobs page, all server-side (listJobs): a search by file name (the input's or an
 * output's title or path, or a job id; debounced), status, type (named with its label), resource,
 * and a creation-date range (days, inclusive). They wrap onto more lines on narrow screens.
 */
import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { JobType } from '../../../../shared/domain/job-types';
import { JOB_STATUSES, RESOURCE_CATEGORIES, type JobStatus, type ResourceCategory } from '../../../../shared/domain/statuses';
import { Icon } from '../../components/icons';
import { CATEGORY_LABELS, STATUS_LABELS } from '../../lib/job-presentation';
import { jobTypeGroups } from '../../lib/job-type-labels';
import { hasJobFilters, NO_JOB_FILTERS } from '../../stores/jobs-store';
import { useAppStore } from '../../stores/stores-context';

const STATUS_OPTIONS = JOB_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));
const TYPE_OPTIONS = jobTypeGroups();
const RESOURCE_OPTIONS = RESOURCE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));

export function JobFilters() {
  const filters = useAppStore('jobs', (s) => s.filters);
  const setFilters = useAppStore('jobs', (s) => s.setFilters);
  const [search, setSearch] = useState(filters.search);
  const applySearch = useDebouncedCallback((value: string) => setFilters({ search: value }), 300);
  // a search set elsewhere (the URL, Clear filters) shows in the input
  useEffect(() => {
    setSearch((current) => (current.trim() === filters.search.trim() ? current : filters.search));
  }, [filters.search]);

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label="Job filters">
      <TextInput
        label="File"
        placeholder="File name, path or job id"
        leftSection={<Icon name="search" size={14} />}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          applySearch(e.currentTarget.value);
        }}
        w={220}
      />
      <Select label="Status" placeholder="All" data={STATUS_OPTIONS} value={filters.status} onChange={(v) => setFilters({ status: (v as JobStatus | null) ?? null })} clearable w={140} />
      <Select
        label="Type"
        placeholder="All"
        data={TYPE_OPTIONS}
        value={filters.type}
        onChange={(v) => setFilters({ type: (v as JobType | null) ?? null })}
        clearable
        searchable
        openOnFocus={false}
        w={230}
        comboboxProps={{ width: 340, position: 'bottom-start' }}
      />
      <Select
        label="Resource"
        placeholder="All"
        data={RESOURCE_OPTIONS}
        value={filters.resourceCategory}
        onChange={(v) => setFilters({ resourceCategory: (v as ResourceCategory | null) ?? null })}
        clearable
        w={130}
      />
      <TextInput type="date" label="Created from" value={filters.createdFrom ?? ''} max={filters.createdTo ?? undefined} onChange={(e) => setFilters({ createdFrom: e.currentTarget.value || null })} w={150} />
      <TextInput type="date" label="Created to" value={filters.createdTo ?? ''} min={filters.createdFrom ?? undefined} onChange={(e) => setFilters({ createdTo: e.currentTarget.value || null })} w={150} />
      {hasJobFilters(filters) && (
        <Button
          variant="subtle"
          onClick={() => {
            setSearch('');
            setFilters(NO_JOB_FILTERS);
          }}
        >
          Clear filters
        </Button>
      )}
    </Group>
  );
}
