/**
 * A library row's transcode state (getVideoTranscodes): the saving of its last replace, and while
 * the original is in quarantine a "Restore original" action (restoreVideo, operate) behind a
 * confirmation; "Original restored" once it was put back. Nothing for a video never replaced.
 */
import { Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { memo, useEffect, useState } from 'react';
import type { VideoTranscodes } from '../../../../shared/contracts/transcode';
import type { Video } from '../../../../shared/contracts/video';
import { errorMessage } from '../../api/api-error';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { formatBytes, formatDateTime } from '../../lib/format';
import { isForbidden } from '../../lib/access';
import { lastReplaceSaving } from '../../stores/savings-store';
import { showToast } from '../../stores/toast-store';
import { exactBytes, formatPercent, formatSaved } from './outcomes';
import { useRetainSavings, useSavings, useSavingsStore } from './use-savings';

type Quarantined = NonNullable<VideoTranscodes['quarantined']>;

export interface RestoreOriginalDialogProps {
  readonly video: Pick<Video, 'id' | 'title' | 'filename' | 'path' | 'sizeBytes' | 'videoCodec'>;
  readonly quarantined: Quarantined | null;
  readonly onClose: () => void;
}

export function RestoreOriginalDialog({ video, quarantined, onClose }: RestoreOriginalDialogProps) {
  const store = useSavingsStore();
  const restoring = useSavings((s) => s.restoring[video.id] === true);
  const [error, setError] = useState<string | null>(null);
  const name = video.title || video.filename;

  const restore = async () => {
    setError(null);
    try {
      const result = await store.getState().restore(video.id);
      showToast({ color: 'green', title: 'Original restored', message: `${result.path} is back (${formatBytes(result.sizeBytes)}, ${result.videoCodec ?? 'unknown codec'}).` });
      onClose();
    } catch (e) {
      // a 403 is told by the session already (the role changed since it was read)
      if (isForbidden(e)) onClose();
      else setError(errorMessage(e));
    }
  };

  return (
    <Modal opened={quarantined !== null} onClose={onClose} title="Restore the original?" centered>
      {quarantined && (
        <Stack gap="sm">
          <Text size="sm">
            The original of <b>{name}</b> ({formatBytes(quarantined.sizeBytes)}, {quarantined.videoCodec ?? 'unknown codec'}) goes back under{' '}
            <Text span ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>
              {quarantined.originalPath}
            </Text>
            , in place of the transcoded file ({formatBytes(video.sizeBytes)}, {video.videoCodec ?? 'unknown codec'}), which is deleted. The video keeps its id; the saving is given back in the ledger.
          </Text>
          <Text size="xs" c="dimmed">
            Kept in quarantine since {formatDateTime(quarantined.quarantinedAt)}, until {formatDateTime(quarantined.expiresAt)}.
          </Text>
          {error && (
            <Text size="sm" c="red" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Keep the transcoded file
            </Button>
            <Guarded operation="restoreVideo">
              <Button color="orange" loading={restoring} onClick={() => void restore()} leftSection={<Icon name="retry" size={14} />}>
                Restore original
              </Button>
            </Guarded>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** The saving badge and the restore action of one row. */
export const VideoTranscodeStatus = memo(function VideoTranscodeStatus({ video }: { readonly video: Video }) {
  useRetainSavings(false);
  const store = useSavingsStore();
  const entry = useSavings((s) => s.transcodes[video.id]);
  const [confirming, setConfirming] = useState<Quarantined | null>(null);
  const name = video.title || video.filename;

  // read once per row; again when it was forgotten (a transcode of it ended, a restore) or the
  // row changed since (its updatedAt: a replace that happened while no row was shown)
  useEffect(() => {
    store.getState().loadTranscodes(video.id, false, video.updatedAt);
  }, [store, video.id, video.updatedAt, entry]);

  if (entry?.status !== 'ready') return null;
  const { quarantined, history } = entry.data;
  const saving = lastReplaceSaving(entry.data);
  const restored = history[0]?.action === 'restored';
  if (!saving && !quarantined && !restored) return null;

  return (
    <Group gap={6} mt={4} wrap="wrap" aria-label={`Transcoding of ${name}`} role="group">
      {saving && (
        <Badge
          size="sm"
          variant="light"
          color={saving.bytes > 0 ? 'teal' : 'red'}
          tt="none"
          title={`${saving.entry.previousCodec ?? '?'} ${exactBytes(saving.entry.previousSizeBytes ?? 0)} → ${saving.entry.newCodec ?? '?'} ${exactBytes(saving.entry.newSizeBytes ?? 0)}`}
        >
          Saved {formatSaved(saving.bytes)} ({formatPercent(saving.percent)})
        </Badge>
      )}
      {restored && (
        <Badge size="sm" variant="light" color="orange" tt="none">
          Original restored
        </Badge>
      )}
      {quarantined && (
        <Guarded operation="restoreVideo" label={`Original kept until ${formatDateTime(quarantined.expiresAt)}`} openDelay={300}>
          <Button size="compact-xs" variant="light" color="orange" leftSection={<Icon name="retry" size={12} />} aria-label={`Restore original of ${name}`} onClick={() => setConfirming(quarantined)}>
            Restore original
          </Button>
        </Guarded>
      )}
      <RestoreOriginalDialog video={video} quarantined={confirming} onClose={() => setConfirming(null)} />
    </Group>
  );
});
