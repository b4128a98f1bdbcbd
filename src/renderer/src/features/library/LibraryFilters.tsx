/** Search (title or filename, debounced), tag (debounced) and the directory, orientation, validity and missing filters. */
import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { ORIENTATIONS, VIDEO_DIRECTORIES, type Orientation, type VideoDirectory } from '../../../../shared/domain/library';
import { Icon } from '../../components/icons';
import { hasLibraryFilters, NO_LIBRARY_FILTERS } from '../../stores/library-store';
import { useAppStore } from '../../stores/stores-context';

const triState = (v: string | null): boolean | null => (v === 'true' ? true : v === 'false' ? false : null);
const fromTri = (v: boolean | null): string | null => (v === null ? null : String(v));

export function LibraryFilters() {
  const filters = useAppStore('library', (s) => s.filters);
  const setFilters = useAppStore('library', (s) => s.setFilters);
  const [search, setSearch] = useState(filters.search);
  const applySearch = useDebouncedCallback((value: string) => setFilters({ search: value }), 300);
  const [tag, setTag] = useState(filters.tag);
  const applyTag = useDebouncedCallback((value: string) => setFilters({ tag: value.trim() }), 300);
  const any = hasLibraryFilters(filters);

  // a search set elsewhere (the URL, a job's file link) shows in the input
  useEffect(() => {
    setSearch((current) => (current.trim() === filters.search.trim() ? current : filters.search));
  }, [filters.search]);
  // a tag picked elsewhere (a row's tag badge) shows in the input
  useEffect(() => {
    setTag((current) => (current.trim() === filters.tag ? current : filters.tag));
  }, [filters.tag]);

  return (
    <Group gap="sm" align="flex-end">
      <TextInput
        label="Search"
        placeholder="Title or filename"
        leftSection={<Icon name="search" size={14} />}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          applySearch(e.currentTarget.value);
        }}
        w={240}
      />
      <TextInput
        label="Tag"
        placeholder="e.g. person, portrait"
        leftSection={<Icon name="search" size={14} />}
        value={tag}
        onChange={(e) => {
          setTag(e.currentTarget.value);
          applyTag(e.currentTarget.value);
        }}
        w={170}
      />
      <Select label="Directory" placeholder="All" data={[...VIDEO_DIRECTORIES]} value={filters.directoryType} onChange={(v) => setFilters({ directoryType: (v as VideoDirectory | null) ?? null })} clearable w={150} />
      <Select label="Orientation" placeholder="All" data={[...ORIENTATIONS]} value={filters.orientation} onChange={(v) => setFilters({ orientation: (v as Orientation | null) ?? null })} clearable w={140} />
      <Select
        label="Validity"
        placeholder="All"
        data={[
          { value: 'true', label: 'Valid' },
          { value: 'false', label: 'Invalid' },
        ]}
        value={fromTri(filters.valid)}
        onChange={(v) => setFilters({ valid: triState(v) })}
        clearable
        w={120}
      />
      <Select
        label="On disk"
        placeholder="All"
        data={[
          { value: 'false', label: 'Present' },
          { value: 'true', label: 'Missing' },
        ]}
        value={fromTri(filters.missing)}
        onChange={(v) => setFilters({ missing: triState(v) })}
        clearable
        w={120}
      />
      {any && (
        <Button
          variant="subtle"
          onClick={() => {
            setSearch('');
            setTag('');
            setFilters(NO_LIBRARY_FILTERS);
          }}
        >
          Clear filters
        </Button>
      )}
    </Group>
  );
}
