/**
 * The Library page's bulk actions: with videos selected, one job per selected video for validate,
 * thumbnails, tags, re-encode, transcode or a move to another library folder (createJob; videos
 * an action cannot take are left out and named). What was created is told in a toast; the
 * selection is cleared once all went through.
 */
import { Button, Group, Menu, Paper, Text } from '@mantine/core';
import { useState } from 'react';
import type { CreateJobInput } from '../../../../shared/contracts/job';
import type { Video } from '../../../../shared/contracts/video';
import { errorMessage } from '../../api/api-error';
import { Guarded, useOperationAccess } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import { isForbidden } from '../../lib/access';
import { useStores } from '../../stores/stores-context';
import { showToast } from '../../stores/toast-store';
import { BULK_ACTIONS, BULK_ORDER, bulkJob, MOVE_TARGETS, moveJob, planBulk, planMove, type BulkAction, type MoveTarget } from './library-bulk';

export interface LibraryBulkActionsProps {
  readonly selected: readonly Video[];
  readonly onClear: () => void;
}

interface Plan {
  readonly jobType: string;
  readonly label: string;
  readonly take: readonly Video[];
  readonly skip: ReadonlyArray<{ video: Video; why: string }>;
  readonly job: (video: Video) => CreateJobInput;
}

export function LibraryBulkActions({ selected, onClear }: LibraryBulkActionsProps) {
  const { client } = useStores();
  const [busy, setBusy] = useState<BulkAction | 'move' | null>(null);
  const canCreate = useOperationAccess('createJob').allowed;
  if (selected.length === 0) return null;

  const run = async (key: BulkAction | 'move', plan: Plan) => {
    const { take, skip } = plan;
    setBusy(key);
    const results = await Promise.allSettled(take.map((video) => client.call('createJob', plan.job(video))));
    setBusy(null);
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ video: take[i]!, error: r.reason as unknown }] : []));
    const created = results.length - failed.length;
    const skipped = skip.map((s) => `${s.video.title || s.video.filename} (${s.why})`);
    if (created > 0) {
      showToast({
        color: failed.length > 0 ? 'yellow' : 'green',
        title: `${created} ${plan.jobType} job${created === 1 ? '' : 's'} created`,
        message: [skipped.length > 0 ? `Left out: ${skipped.join(', ')}.` : '', failed.length > 0 ? `${failed.length} refused.` : '', 'They show on the Jobs page.'].filter(Boolean).join(' '),
      });
    }
    const shown = failed.filter((f) => !isForbidden(f.error)); // a 403 is told by the session already
    if (shown.length > 0) showToast({ color: 'red', title: `${shown.length} ${plan.label.toLowerCase()} job(s) not created`, message: shown.map((f) => `${f.video.title || f.video.filename}: ${errorMessage(f.error)}`).join('; ') });
    if (created === 0 && failed.length === 0) showToast({ color: 'yellow', title: 'No job created', message: `Left out: ${skipped.join(', ')}.` });
    if (failed.length === 0) onClear();
  };

  const runAction = (action: BulkAction) => run(action, { jobType: BULK_ACTIONS[action].jobType, label: BULK_ACTIONS[action].label, ...planBulk(action, selected), job: (v) => bulkJob(action, v) });
  const runMove = (target: MoveTarget) => run('move', { jobType: 'move_to_library', label: `Move to ${target}/`, ...planMove(target, selected), job: (v) => moveJob(target, v) });

  const moveButton = (
    <Button size="xs" variant="default" leftSection={<Icon name="move" size={14} />} loading={busy === 'move'}>
      Move to…
    </Button>
  );

  return (
    <Paper withBorder radius="md" p="xs" component="section" aria-label="Bulk actions">
      <Group gap="xs" justify="space-between" wrap="wrap">
        <Text size="sm" fw={500}>
          {selected.length} selected · one job per video:
        </Text>
        <Group gap="xs" wrap="wrap">
          {BULK_ORDER.map((action) => (
            <Guarded key={action} operation="createJob">
              <Button size="xs" variant="default" leftSection={<Icon name={BULK_ACTIONS[action].icon} size={14} />} loading={busy === action} onClick={() => void runAction(action)}>
                {BULK_ACTIONS[action].label}
              </Button>
            </Guarded>
          ))}
          {canCreate ? (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>{moveButton}</Menu.Target>
              <Menu.Dropdown aria-label="Move the selected videos to">
                <Menu.Label>Move to the folder</Menu.Label>
                {MOVE_TARGETS.map((target) => (
                  <Menu.Item key={target} onClick={() => void runMove(target)}>
                    {target}/
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          ) : (
            // inert, saying why (the role, or the lost connection)
            <Guarded operation="createJob">{moveButton}</Guarded>
          )}
          <Button size="xs" variant="subtle" color="gray" onClick={onClear}>
            Clear selection
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
