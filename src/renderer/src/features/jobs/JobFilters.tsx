/** Status, type and resource filters of the Jobs page (server-side, via listJobs). */
import { Button, Group, Select } from '@mantine/core';
import { JOB_TYPES, type JobType } from '../../../../shared/domain/job-types';
import { JOB_STATUSES, RESOURCE_CATEGORIES, type JobStatus, type ResourceCategory } from '../../../../shared/domain/statuses';
import { CATEGORY_LABELS, STATUS_LABELS } from '../../lib/job-presentation';
import { useAppStore } from '../../stores/stores-context';

const STATUS_OPTIONS = JOB_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));
const TYPE_OPTIONS = JOB_TYPES.map((t) => ({ value: t, label: t }));
const RESOURCE_OPTIONS = RESOURCE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));

export function JobFilters() {
  const filters = useAppStore('jobs', (s) => s.filters);
  const setFilters = useAppStore('jobs', (s) => s.setFilters);
  const any = filters.status !== null || filters.type !== null || filters.resourceCategory !== null;
  return (
    <Group gap="sm" align="flex-end">
      <Select
        label="Status"
        placeholder="All"
        data={STATUS_OPTIONS}
        value={filters.status}
        onChange={(v) => setFilters({ status: (v as JobStatus | null) ?? null })}
        clearable
        w={160}
      />
      <Select
        label="Type"
        placeholder="All"
        data={TYPE_OPTIONS}
        value={filters.type}
        onChange={(v) => setFilters({ type: (v as JobType | null) ?? null })}
        clearable
        searchable
        w={210}
        styles={{ option: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <Select
        label="Resource"
        placeholder="All"
        data={RESOURCE_OPTIONS}
        value={filters.resourceCategory}
        onChange={(v) => setFilters({ resourceCategory: (v as ResourceCategory | null) ?? null })}
        clearable
        w={160}
      />
      {any && (
        <Button variant="subtle" onClick={() => setFilters({ status: null, type: null, resourceCategory: null })}>
          Clear filters
        </Button>
      )}
    </Group>
  );
}
