/**
 * A video's tags (from tag_generation) as small badges under its name, most confident first; each
 * one filters the library by that tag. They come with the page (listVideos), or per row (getVideo)
 * when a tagging job has just changed them. Nothing shows while loading, for a video without tags, or when the fetch fails (the row
 * stays usable; the tag filter still works on the server).
 */
import { Badge, Box, Group, Tooltip, UnstyledButton } from '@mantine/core';
import { useEffect } from 'react';
import { useAppStore, useStores } from '../../stores/stores-context';

const SHOWN = 5;

function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

export function VideoTags({ videoId, onPick }: { readonly videoId: string; readonly onPick: (tag: string) => void }) {
  const { library } = useStores();
  const state = useAppStore('library', (s) => s.tags[videoId]);

  useEffect(() => {
    if (!state) library.getState().loadTags(videoId);
  }, [state, videoId, library]);

  if (state?.status !== 'ready' || state.tags.length === 0) return null;
  const shown = state.tags.slice(0, SHOWN);
  const rest = state.tags.slice(SHOWN);
  return (
    <Group gap={4} mt={4} wrap="wrap" role="list" aria-label="Tags">
      {shown.map((t) => (
        <Box key={t.tag} role="listitem">
          <UnstyledButton onClick={() => onPick(t.tag)} aria-label={`Tag ${t.tag} (${percent(t.confidence)} confidence): show videos with it`} title={`${t.tag}: ${percent(t.confidence)} confidence. Click to show videos with this tag.`}>
            <Badge size="xs" variant="light" color="indigo" tt="none" style={{ cursor: 'pointer' }}>
              {t.tag}
            </Badge>
          </UnstyledButton>
        </Box>
      ))}
      {rest.length > 0 && (
        <Tooltip label={rest.map((t) => `${t.tag} (${percent(t.confidence)})`).join(', ')} multiline maw={280} openDelay={200}>
          <Badge size="xs" variant="outline" color="gray" tt="none" role="listitem" aria-label={`${rest.length} more tags: ${rest.map((t) => t.tag).join(', ')}`}>
            +{rest.length}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
