/**
 * Confirms a library action (spec: "Confirm job creation"), creates the job, and takes the user to
 * the Jobs page with that job's detail open.
 */
import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Video } from '../../../../shared/contracts/video';
import { errorMessage } from '../../api/api-error';
import { Guarded } from '../../components/Guarded';
import { useStores } from '../../stores/stores-context';
import { jobForAction, LIBRARY_ACTIONS, MOVE_TARGETS, type LibraryAction, type MoveTarget } from './library-actions';

export interface LibraryActionDialogProps {
  readonly request: { readonly action: LibraryAction; readonly video: Video } | null;
  readonly onClose: () => void;
  readonly onCreated: (jobId: string) => void;
}

export function LibraryActionDialog({ request, onClose, onCreated }: LibraryActionDialogProps) {
  return (
    <Modal opened={request !== null} onClose={onClose} title={request ? LIBRARY_ACTIONS[request.action].label : ''} centered>
      {request && <Body key={`${request.action}:${request.video.id}`} action={request.action} video={request.video} onClose={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function Body({ action, video, onClose, onCreated }: { readonly action: LibraryAction; readonly video: Video; readonly onClose: () => void; readonly onCreated: (jobId: string) => void }) {
  const { client } = useStores();
  const [target, setTarget] = useState<MoveTarget>(video.directoryType === 'videos' ? 'playback' : 'videos');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const def = LIBRARY_ACTIONS[action];

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const job = def.operation === 'createReencodeJob' ? await client.call('createReencodeJob', { videoId: video.id }) : await client.call('createJob', jobForAction(action, video, target));
      onCreated(job.id);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Text size="sm">
        Create a <Text span ff="monospace">{def.jobType}</Text> job for <b>{video.title || video.filename}</b>?
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        {video.path}
      </Text>
      {action === 'move' && (
        <Select
          label="Target directory"
          data={MOVE_TARGETS.filter((t) => t !== video.directoryType).map((t) => ({ value: t, label: t }))}
          value={target}
          onChange={(v) => v && setTarget(v as MoveTarget)}
          allowDeselect={false}
        />
      )}
      {error && (
        <Alert color="red" title="The server refused the job" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Guarded operation={def.operation}>
          <Button onClick={() => void create()} loading={busy} data-autofocus>
            Create job
          </Button>
        </Guarded>
      </Group>
    </Stack>
  );
}
