/**
 * Picks one or several library videos, searching listVideos by title or filename as the user
 * types (debounced; the server filters, so the dropdown does not filter again). Each option shows
 * the video's thumbnail, duration, size and folder. The dropdown opens on a click or typing, never
 * on focus alone.
 */
import { Group, MultiSelect, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Video } from '../../../../shared/contracts/video';
import { errorMessage } from '../../api/api-error';
import { formatDuration } from '../../lib/format';
import { useStores } from '../../stores/stores-context';
import { VideoThumbnail } from '../library/VideoThumbnail';

export interface VideoPickerProps {
  readonly multiple: boolean;
  readonly value: readonly string[];
  readonly onChange: (ids: string[]) => void;
  readonly maxValues?: number;
  readonly error?: string | undefined;
  readonly description?: string;
}

function labelOf(v: Pick<Video, 'title' | 'filename'>): string {
  return v.title && v.title !== v.filename ? `${v.title} (${v.filename})` : v.filename;
}

const passThrough = ({ options }: { options: unknown[] }) => options as never;

export function VideoPicker({ multiple, value, onChange, maxValues, error, description }: VideoPickerProps) {
  const { client } = useStores();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [found, setFound] = useState<Video[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const known = useRef(new Map<string, Video>());

  const selectedLabel = !multiple && value[0] ? known.current.get(value[0]) : undefined;
  // a single Select shows the chosen label in its search box: that is not a query
  const query = selectedLabel && debounced === labelOf(selectedLabel) ? '' : debounced.trim();

  useEffect(() => {
    let active = true;
    setLoading(true);
    client
      .call('listVideos', { page: 1, limit: 30, valid: 'true', missing: 'false', ...(query ? { search: query } : {}) })
      .then((result) => {
        if (!active) return;
        for (const v of result.data) known.current.set(v.id, v);
        setFound(result.data);
        setLoadError(null);
      })
      .catch((e: unknown) => active && setLoadError(errorMessage(e)))
      .finally(() => active && setLoading(false));
    return () => {
      active = false;
    };
  }, [client, query]);

  const data = useMemo(() => {
    const ids = new Set(found.map((v) => v.id));
    const chosen = value.filter((id) => !ids.has(id)).map((id) => known.current.get(id)).filter((v): v is Video => v !== undefined);
    return [...chosen, ...found].map((v) => ({ value: v.id, label: labelOf(v) }));
  }, [found, value]);

  const renderOption = ({ option }: { option: { value: string; label: string } }) => {
    const v = known.current.get(option.value);
    return (
      <Group wrap="nowrap" w="100%" gap="sm">
        {v && <VideoThumbnail videoId={v.id} title={v.title || v.filename} hasThumbnail={v.thumbnailPath !== null} size="small" />}
        <div style={{ minWidth: 0, flex: 1 }}>
          <Text size="sm" truncate>
            {option.label}
          </Text>
          {v && (
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {formatDuration(v.durationSeconds)} · {v.width && v.height ? `${v.width}×${v.height}` : '?'} · {v.directoryType}
            </Text>
          )}
        </div>
      </Group>
    );
  };

  const common = {
    label: multiple ? 'Videos' : 'Video',
    placeholder: 'Search by title or filename',
    data,
    searchable: true,
    searchValue: search,
    onSearchChange: setSearch,
    filter: passThrough,
    nothingFoundMessage: loading ? 'Searching…' : loadError ? `Could not search: ${loadError}` : 'No valid video matches',
    renderOption,
    error,
    description,
    withAsterisk: true,
    maxDropdownHeight: 300,
    openOnFocus: false,
  };

  return multiple ? (
    <MultiSelect {...common} value={[...value]} onChange={onChange} maxValues={maxValues} hidePickedOptions clearable />
  ) : (
    <Select {...common} value={value[0] ?? null} onChange={(id) => onChange(id ? [id] : [])} clearable />
  );
}
