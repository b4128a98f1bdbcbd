/**
 * One GPU as a row (System page and dashboard, #18): index and name, the jobs placed on it, VRAM
 * as a stacked bar (reserved by our jobs, held by other programs, free) against its total, NVENC
 * sessions against the cap, and — when it takes no new jobs — why. `compact` leaves out
 * utilisation and temperature (the dashboard's gauges card).
 */
import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { gpuJobsText, gpuSessionsFull, gpuSessionsText, gpuVram, gpuVramText, type GpuInfo } from '../lib/gpu-presentation';

const tempColor = (c: number) => (c >= 85 ? 'red' : c >= 70 ? 'orange' : 'green');

export interface GpuRowProps {
  readonly gpu: GpuInfo;
  /** Jobs running there, when the caller knows better than the last telemetry (the dashboard's live jobs). */
  readonly jobs?: number | null;
  readonly compact?: boolean;
}

export function GpuRow({ gpu, jobs, compact = false }: GpuRowProps) {
  const vram = gpuVram(gpu);
  const jobsText = gpuJobsText(jobs ?? gpu.jobsRunning);
  const sessions = gpuSessionsText(gpu);
  return (
    <Stack gap={4} role="group" aria-label={`GPU ${gpu.index}`} data-gpu-index={gpu.index}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text fw={600} size={compact ? 'sm' : undefined} truncate title={gpu.name}>
          #{gpu.index} {gpu.name}
        </Text>
        <Group gap={6} wrap="nowrap">
          {gpu.blocked ? (
            <Badge color="red" variant="light" size="sm" tt="none">
              takes no jobs
            </Badge>
          ) : null}
          {jobsText && (
            <Badge color="grape" variant="light" size="sm" tt="none" aria-label={`Jobs on GPU ${gpu.index}`}>
              {jobsText}
            </Badge>
          )}
          {!compact && gpu.temperatureC !== null && (
            <Text size="sm" c={tempColor(gpu.temperatureC)} fw={500}>
              {gpu.temperatureC} °C
            </Text>
          )}
        </Group>
      </Group>
      <Text size="xs" c="dimmed" aria-label={`GPU ${gpu.index} VRAM`}>
        {gpuVramText(vram)}
      </Text>
      {vram.reservedMb === null ? (
        <Progress value={vram.usedPct} size={compact ? 'sm' : 'md'} color={vram.usedPct > 90 ? 'red' : 'violet'} aria-label={`GPU ${gpu.index} VRAM used ${Math.round(vram.usedPct)}%`} />
      ) : (
        <Progress.Root size={compact ? 'sm' : 'md'} aria-label={`GPU ${gpu.index} VRAM: ${Math.round(vram.reservedPct)}% reserved, ${Math.round(vram.othersPct)}% used by others`}>
          <Progress.Section value={vram.reservedPct} color="grape" title="Reserved by our jobs" />
          <Progress.Section value={vram.othersPct} color="orange" title="Used by other programs" />
        </Progress.Root>
      )}
      {(sessions || (!compact && gpu.utilizationPercent !== null)) && (
        <Group justify="space-between" gap="xs">
          {sessions ? (
            <Text size="xs" c={gpuSessionsFull(gpu) ? 'red' : 'dimmed'} aria-label={`GPU ${gpu.index} NVENC`}>
              {sessions}
            </Text>
          ) : (
            <span />
          )}
          {!compact && gpu.utilizationPercent !== null && <Text size="xs">{gpu.utilizationPercent}% busy</Text>}
        </Group>
      )}
      {gpu.blocked && (
        <Text size="xs" c="red" aria-label={`Why GPU ${gpu.index} takes no jobs`}>
          {gpu.blocked}
        </Text>
      )}
    </Stack>
  );
}
