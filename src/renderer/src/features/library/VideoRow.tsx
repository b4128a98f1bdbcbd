/** One library video: thumbnail, names and tags, media facts, validity and the actions menu. */
import { ActionIcon, Badge, Checkbox, Group, Menu, Stack, Table, Text, Tooltip } from '@mantine/core';
import { memo, useId } from 'react';
import type { Video } from '../../../../shared/contracts/video';
import { useOperationAccess } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { formatBytes, formatDuration } from '../../lib/format';
import { LIBRARY_ACTIONS, type LibraryAction } from './library-actions';
import { VideoTags } from './VideoTags';
import { VideoThumbnail } from './VideoThumbnail';
import { VideoTranscodeStatus } from '../savings/VideoTranscodeStatus';

function Validity({ video }: { readonly video: Video }) {
  if (video.valid === null) return <Badge color="gray" variant="light">Not probed</Badge>;
  if (video.valid) return <Badge color="green" variant="light">Valid</Badge>;
  return (
    <Stack gap={2}>
      <Badge color="red" variant="light">
        Invalid
      </Badge>
      {video.validationError && (
        <Text size="xs" c="red" lineClamp={2} title={video.validationError}>
          {video.validationError}
        </Text>
      )}
    </Stack>
  );
}

/** Widths (px) and the breakpoint from which each optional column shows (LibraryPage's headers use the same). */
export const LIBRARY_COLUMNS = {
  select: { w: 36 },
  thumbnail: { w: 112 },
  duration: { w: 76 },
  resolution: { w: 100, from: 'lg' },
  codec: { w: 92, from: 'xl' },
  orientation: { w: 96, from: 'xl' },
  size: { w: 80, from: 'lg' },
  directory: { w: 116 },
  valid: { w: 124 },
  actions: { w: 64 },
} as const;

export interface VideoRowProps {
  readonly video: Video;
  readonly onAction: (action: LibraryAction, video: Video) => void;
  /** A tag badge was clicked: filter the library by it. */
  readonly onPickTag: (tag: string) => void;
  /** Multi-select (bulk actions); absent: no checkbox cell. */
  readonly selected?: boolean;
  readonly onToggle?: (id: string) => void;
  /** This video is an output: the title of the video it was made from (and how), shown under its name. */
  readonly sourceNote?: string | null;
  /** Shown right under its source's row, indented. */
  readonly nested?: boolean;
}

export const VideoRow = memo(function VideoRow({ video, onAction, onPickTag, selected, onToggle, sourceNote, nested }: VideoRowProps) {
  const name = video.title || video.filename;
  // every item creates a job: a role that may not says so once, above the items
  const access = useOperationAccess('createJob');
  const accessOf = { createJob: access, createReencodeJob: useOperationAccess('createReencodeJob') };
  const reasonId = useId();
  return (
    <Table.Tr data-video-id={video.id} data-nested={nested ? 'true' : undefined} style={{ opacity: video.missing ? 0.6 : 1 }}>
      {onToggle && (
        <Table.Td>
          <Checkbox size="xs" checked={selected ?? false} onChange={() => onToggle(video.id)} aria-label={`Select ${name}`} />
        </Table.Td>
      )}
      <Table.Td style={nested ? { paddingLeft: 28 } : undefined}>
        <VideoThumbnail videoId={video.id} title={name} hasThumbnail={video.thumbnailPath !== null} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500} truncate title={name}>
          {name}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" truncate title={video.path}>
          {video.path}
        </Text>
        {sourceNote && (
          <Text size="xs" c="dimmed" truncate title={sourceNote}>
            {nested ? '↳ ' : ''}
            {sourceNote}
          </Text>
        )}
        <VideoTags videoId={video.id} onPick={onPickTag} />
        <VideoTranscodeStatus video={video} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {formatDuration(video.durationSeconds)}
        </Text>
      </Table.Td>
      <Table.Td visibleFrom={LIBRARY_COLUMNS.resolution.from}>
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {video.width && video.height ? `${video.width}×${video.height}` : '—'}
        </Text>
        {video.fps !== null && (
          <Text size="xs" c="dimmed">
            {Math.round(video.fps * 100) / 100} fps
          </Text>
        )}
      </Table.Td>
      <Table.Td visibleFrom={LIBRARY_COLUMNS.codec.from}>
        <Text size="sm" ff="monospace">
          {video.videoCodec ?? '—'}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {video.hasAudio === false ? 'no audio' : (video.audioCodec ?? '')}
        </Text>
      </Table.Td>
      <Table.Td visibleFrom={LIBRARY_COLUMNS.orientation.from}>
        <Text size="sm">{video.orientation ?? '—'}</Text>
      </Table.Td>
      <Table.Td visibleFrom={LIBRARY_COLUMNS.size.from}>
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatBytes(video.sizeBytes)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="outline" color="gray" tt="none">
          {video.directoryType}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Validity video={video} />
          {video.missing && (
            <Badge color="orange" variant="filled">
              Missing
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Tooltip label="Actions" openDelay={300}>
              <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${name}`}>
                <Icon name="dots" size={18} />
              </ActionIcon>
            </Tooltip>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>Create a job</Menu.Label>
            {!access.allowed && (
              <Text id={reasonId} size="xs" c="dimmed" px="sm" pb={4} maw={260}>
                {access.reason}
              </Text>
            )}
            {(Object.keys(LIBRARY_ACTIONS) as LibraryAction[]).map((action) => {
              const def = LIBRARY_ACTIONS[action];
              const why = def.unavailable(video);
              const allowed = accessOf[def.operation].allowed;
              return (
                <Menu.Item
                  key={action}
                  leftSection={<Icon name={def.icon} size={14} />}
                  disabled={why !== null || !allowed}
                  title={why ?? undefined}
                  aria-describedby={allowed ? undefined : reasonId}
                  data-operation={def.operation}
                  onClick={() => onAction(action, video)}
                >
                  {def.label}
                </Menu.Item>
              );
            })}
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
});
