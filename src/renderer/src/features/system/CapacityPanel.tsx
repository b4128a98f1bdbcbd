/**
 * Capacity: slots in use per category with pause/resume per category, the VRAM budget against
 * what running jobs reserve, and the CPU's cores and load.
 */
import { Badge, Button, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import type { SystemInfo } from '../../../../shared/contracts/system';
import { RESOURCE_CATEGORIES, type ResourceCategory } from '../../../../shared/domain/statuses';
import { Guarded } from '../../components/Guarded';
import { formatMegabytes } from '../../lib/format';
import { CATEGORY_COLORS, CATEGORY_LABELS } from '../../lib/job-presentation';
import { useAppStore } from '../../stores/stores-context';

export function CapacityPanel({ info, onChanged }: { readonly info: SystemInfo; readonly onChanged: () => void }) {
  const busy = useAppStore('queue', (s) => s.busy);
  const pause = useAppStore('queue', (s) => s.pause);
  const resume = useAppStore('queue', (s) => s.resume);
  const toggle = async (category: ResourceCategory, paused: boolean) => {
    await (paused ? resume(category) : pause(category));
    onChanged();
  };
  const budget = info.vramBudgetMb;
  const reservedPct = budget ? Math.min(100, (info.vramReservedMb / budget) * 100) : 0;
  const [l1 = 0, l5 = 0, l15 = 0] = info.cpu.loadAverage;
  const loadPct = info.cpu.cores > 0 ? Math.min(100, (l1 / info.cpu.cores) * 100) : 0;

  return (
    <Card withBorder radius="md" padding="md">
      <Title order={4} mb="sm">
        Capacity
      </Title>
      <Stack gap="md">
        {RESOURCE_CATEGORIES.map((category) => {
          const slot = info.slots[category] ?? { running: 0, limit: 0 };
          const paused = info.queue.pausedCategories.includes(category);
          const pct = slot.limit > 0 ? (slot.running / slot.limit) * 100 : 0;
          return (
            <Stack key={category} gap={4} aria-label={`${CATEGORY_LABELS[category]} slots`}>
              <Group justify="space-between">
                <Group gap="xs">
                  <Text fw={500}>{CATEGORY_LABELS[category]}</Text>
                  {paused && (
                    <Badge color="orange" variant="light" size="sm">
                      paused
                    </Badge>
                  )}
                </Group>
                <Group gap="sm">
                  <Text size="sm">
                    {slot.running} / {slot.limit} slots
                  </Text>
                  <Guarded operation={paused ? 'resumeQueue' : 'pauseQueue'}>
                    <Button size="compact-xs" variant={paused ? 'light' : 'default'} color={paused ? 'green' : undefined} loading={busy === category} onClick={() => void toggle(category, paused)} aria-label={`${paused ? 'Resume' : 'Pause'} ${CATEGORY_LABELS[category]}`}>
                      {paused ? 'Resume' : 'Pause'}
                    </Button>
                  </Guarded>
                </Group>
              </Group>
              <Progress value={pct} color={CATEGORY_COLORS[category]} size="lg" aria-label={`${CATEGORY_LABELS[category]}: ${slot.running} of ${slot.limit} slots in use`} />
            </Stack>
          );
        })}

        <Stack gap={4}>
          <Group justify="space-between">
            <Text fw={500}>VRAM budget</Text>
            <Text size="sm">{budget === null ? 'none (no GPU, none declared)' : `${formatMegabytes(info.vramReservedMb)} reserved of ${formatMegabytes(budget)}`}</Text>
          </Group>
          {budget !== null && <Progress value={reservedPct} color={reservedPct > 90 ? 'red' : 'grape'} size="lg" aria-label={`VRAM reserved ${Math.round(reservedPct)}%`} />}
        </Stack>

        <Stack gap={4}>
          <Group justify="space-between">
            <Text fw={500}>CPU</Text>
            <Text size="sm">
              {info.cpu.cores} cores · load {l1.toFixed(2)} / {l5.toFixed(2)} / {l15.toFixed(2)}
            </Text>
          </Group>
          <Progress value={loadPct} color={loadPct > 90 ? 'red' : 'cyan'} size="lg" aria-label={`CPU load ${Math.round(loadPct)}% of cores`} />
        </Stack>
      </Stack>
    </Card>
  );
}
