/** Each GPU (name, VRAM used/total, utilisation, temperature), or the "no GPU" state. */
import { Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { SystemInfo } from '../../../../shared/contracts/system';
import { Icon } from '../../components/icons';
import { EmptyView } from '../../components/StateViews';
import { formatMegabytes } from '../../lib/format';

const tempColor = (c: number) => (c >= 85 ? 'red' : c >= 70 ? 'orange' : 'green');

export function GpuPanel({ gpus }: { readonly gpus: SystemInfo['gpus'] }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Group gap="xs" mb="sm">
        <Icon name="gpu" />
        <Title order={4}>GPUs</Title>
      </Group>
      {gpus.length === 0 ? (
        <EmptyView icon="gpu" title="No GPU detected" description="GPU jobs still run, with software encoders, and reserve no VRAM. Set MEDIA_TOTAL_VRAM_MB to declare a budget." />
      ) : (
        <SimpleGrid cols={{ base: 1, md: gpus.length > 1 ? 2 : 1 }}>
          {gpus.map((gpu) => {
            const usedPct = gpu.totalMb > 0 ? (gpu.usedMb / gpu.totalMb) * 100 : 0;
            return (
              <Stack key={gpu.index} gap={6} aria-label={`GPU ${gpu.index}`}>
                <Group justify="space-between">
                  <Text fw={600}>
                    #{gpu.index} {gpu.name}
                  </Text>
                  {gpu.temperatureC !== null && (
                    <Text size="sm" c={tempColor(gpu.temperatureC)} fw={500}>
                      {gpu.temperatureC} °C
                    </Text>
                  )}
                </Group>
                <Group justify="space-between">
                  <Text size="xs" c="dimmed">
                    VRAM
                  </Text>
                  <Text size="xs">
                    {formatMegabytes(gpu.usedMb)} of {formatMegabytes(gpu.totalMb)}
                  </Text>
                </Group>
                <Progress value={usedPct} color={usedPct > 90 ? 'red' : 'violet'} aria-label={`VRAM used ${Math.round(usedPct)}%`} />
                <Group justify="space-between">
                  <Text size="xs" c="dimmed">
                    Utilisation
                  </Text>
                  <Text size="xs">{gpu.utilizationPercent === null ? '—' : `${gpu.utilizationPercent}%`}</Text>
                </Group>
                <Progress value={gpu.utilizationPercent ?? 0} color="yellow" aria-label={`GPU utilisation ${gpu.utilizationPercent ?? 0}%`} />
              </Stack>
            );
          })}
        </SimpleGrid>
      )}
    </Card>
  );
}
