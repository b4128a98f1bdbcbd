/**
 * Capacity at a glance: per resource category, the slots in use against the limit (summed over the
 * online nodes of a fleet) as a gauge, and the VRAM the category's live jobs reserve against the
 * budget; then one row per GPU of this node (GpuRow: the live jobs placed there, VRAM reserved /
 * used by others / free, NVENC sessions, why it takes no jobs).
 */
import { Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { GaugeChart } from '@mantine/charts';
import type { Fleet } from '../../../../shared/contracts/fleet';
import type { Job, QueueState, Stats } from '../../../../shared/contracts/job';
import type { SystemInfo } from '../../../../shared/contracts/system';
import { RESOURCE_CATEGORIES, type ResourceCategory } from '../../../../shared/domain/statuses';
import { GpuRow } from '../../components/GpuRow';
import { formatMegabytes } from '../../lib/format';
import { CATEGORY_COLORS, CATEGORY_LABELS } from '../../lib/job-presentation';

export interface CapacityGaugesProps {
  readonly stats: Stats | null;
  readonly queue: QueueState | null;
  readonly fleet: Fleet | null;
  readonly live: readonly Job[];
  readonly gpus: SystemInfo['gpus'] | null;
}

function limitOf(category: ResourceCategory, queue: QueueState | null, fleet: Fleet | null): number {
  const online = fleet?.nodes.filter((n) => n.state === 'online') ?? [];
  if (online.length > 0) return online.reduce((sum, n) => sum + (n.limits[category] ?? 0), 0);
  return queue?.limits[category] ?? 0;
}

/** Live jobs placed on this node's GPU `index` (a fleet's other nodes have GPUs with the same indexes). */
function jobsOn(index: number, live: readonly Job[], fleet: Fleet | null): number {
  const self = fleet?.nodeId ?? null;
  return live.filter((j) => j.gpuIndex === index && (self === null || j.nodeId === null || j.nodeId === self)).length;
}

export function CapacityGauges({ stats, queue, fleet, live, gpus }: CapacityGaugesProps) {
  const budget = stats?.totalVramAvailable ?? queue?.vramBudgetMb ?? null;
  return (
    <Card component="section" withBorder radius="md" padding="md" aria-label="Capacity">
      <Title order={3} size="h5" mb="xs">
        Slots and VRAM
      </Title>
      <SimpleGrid cols={3} spacing="xs">
        {RESOURCE_CATEGORIES.map((category) => {
          // a suspended job holds its slot like a running one
          const used = live.filter((j) => j.resourceCategory === category).length;
          const running = Math.max(used, stats?.runningByCategory[category] ?? 0);
          const limit = limitOf(category, queue, fleet);
          const vram = live.filter((j) => j.resourceCategory === category).reduce((sum, j) => sum + j.vramRequired, 0);
          const paused = queue?.pausedCategories.includes(category) ?? false;
          return (
            <Stack key={category} gap={2} align="center" aria-label={`${CATEGORY_LABELS[category]}: ${running} of ${limit} slots in use`}>
              <GaugeChart value={limit > 0 ? Math.min(running, limit) : 0} max={Math.max(1, limit)} size={110} thickness={10} filledColor={CATEGORY_COLORS[category]} label={`${running}/${limit}`} roundCaps />
              <Text size="sm" fw={500}>
                {CATEGORY_LABELS[category]}
                {paused ? ' (paused)' : ''}
              </Text>
              <Text size="xs" c="dimmed">
                {category === 'cpu' ? 'no VRAM' : budget ? `${formatMegabytes(vram)} VRAM` : 'software (no VRAM budget)'}
              </Text>
            </Stack>
          );
        })}
      </SimpleGrid>
      <Stack gap={6} mt="sm">
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            VRAM reserved
          </Text>
          <Text size="sm">{budget ? `${formatMegabytes(stats?.totalVramUsed ?? 0)} of ${formatMegabytes(budget)}` : 'no budget (no GPU, none declared)'}</Text>
        </Group>
        {budget ? <Progress value={Math.min(100, ((stats?.totalVramUsed ?? 0) / budget) * 100)} color="grape" aria-label="VRAM reserved of the budget" /> : null}
        {(gpus ?? []).map((gpu) => (
          <GpuRow key={gpu.index} gpu={gpu} jobs={jobsOn(gpu.index, live, fleet)} compact />
        ))}
      </Stack>
    </Card>
  );
}
