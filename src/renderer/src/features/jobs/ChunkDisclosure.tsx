/**
 * A segmented encode's chunk count under its progress (#20), with its parts behind a disclosure:
 * opened, the chunk and audio jobs are read once (GET /api/media/jobs/:id/children) and listed
 * with their status and progress. The parent stays the one row of the table.
 */
import { Anchor, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import { useStores } from '../../stores/stores-context';

function partLabel(part: Job): string {
  const p = part.params as { index?: number; total?: number };
  return part.type === 'encode_audio' ? 'audio' : `chunk ${(p.index ?? 0) + 1}/${p.total ?? '?'}`;
}

export function ChunkDisclosure({ job }: { readonly job: Job }) {
  const { client } = useStores();
  const [parts, setParts] = useState<readonly Job[] | null>(null);
  const [open, setOpen] = useState(false);
  if (!job.chunks) return null;
  const { total, done, running, failed } = job.chunks;
  const toggle = () => {
    setOpen(!open);
    if (!open) {
      client
        .call('getJobChildren', { id: job.id })
        .then((r) => setParts(r.data))
        .catch(() => setParts([]));
    }
  };
  return (
    <Stack gap={0} onClick={(e) => e.stopPropagation()}>
      <Anchor component="button" type="button" size="xs" c="dimmed" onClick={toggle} aria-expanded={open} aria-label={`Chunks of job ${job.id}`}>
        {`${open ? '▾' : '▸'} ${done}/${total} chunks${running > 0 ? `, ${running} running` : ''}${failed > 0 ? `, ${failed} failed` : ''}`}
      </Anchor>
      {open &&
        (parts === null ? (
          <Text size="xs" c="dimmed">
            Loading…
          </Text>
        ) : (
          parts.map((p) => (
            <Text key={p.id} size="xs" c={p.status === 'failed' ? 'red' : 'dimmed'} ff="monospace">
              {`${partLabel(p)} ${p.status}${p.status === 'running' ? ` ${p.progress}%` : ''}${p.nodeId ? ` on ${p.nodeId}` : ''}`}
            </Text>
          ))
        ))}
    </Stack>
  );
}
