/**
 * How fast a running job goes, in one short line: ffmpeg's speed and frame rate (from its live
 * console, when this node runs it) and the time left (from speed and the input's duration, else
 * from the progress so far). Nothing for a job that is not running.
 */
import { Text } from '@mantine/core';
import type { Job } from '../../../shared/contracts/job';
import { estimateEta } from '../lib/ffmpeg-status';
import { formatSpan } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useAppStore } from '../stores/stores-context';

export function useRunRate(job: Pick<Job, 'id' | 'status' | 'progress' | 'startedAt' | 'input'>) {
  const running = job.status === 'running';
  const status = useAppStore('rates', (s) => (running ? s.rates[job.id] : undefined)) ?? null;
  const now = useNow(running, 2000);
  const eta = running ? estimateEta({ progress: job.progress, startedAt: job.startedAt, now, status, durationSeconds: job.input?.durationSeconds ?? null }) : null;
  return { running, fps: status?.fps ?? null, speed: status?.speed ?? null, eta };
}

/** `compact`: speed and time left only (the frame rate goes in the tooltip), for narrow cells. */
export function RunRate({ job, compact = false }: { readonly job: Pick<Job, 'id' | 'status' | 'progress' | 'startedAt' | 'input'>; readonly compact?: boolean }) {
  const { running, fps, speed, eta } = useRunRate(job);
  if (!running) return null;
  const fpsText = fps !== null ? `${Math.round(fps)} fps` : null;
  const parts = [speed !== null ? `${speed.toFixed(2)}×` : null, compact ? null : fpsText, eta !== null ? `ETA ${formatSpan(eta)}` : null].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <Text size="xs" c="dimmed" ff="monospace" style={{ whiteSpace: 'nowrap' }} aria-label="Speed and time left" title={[...parts, fpsText].filter(Boolean).join(' · ')} truncate>
      {parts.join(' · ')}
    </Text>
  );
}
