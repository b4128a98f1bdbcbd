/** One row per GPU (GpuRow: jobs, VRAM reserved / used by others / free, NVENC, why it takes no jobs), or the "no GPU" state. */
import { Card, Divider, Group, Stack, Title } from '@mantine/core';
import { Fragment } from 'react';
import type { SystemInfo } from '../../../../shared/contracts/system';
import { GpuRow } from '../../components/GpuRow';
import { Icon } from '../../components/icons';
import { EmptyView } from '../../components/StateViews';

export function GpuPanel({ gpus }: { readonly gpus: SystemInfo['gpus'] }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Group gap="xs" mb="sm">
        <Icon name="gpu" />
        <Title order={4}>{gpus.length > 1 ? `${gpus.length} GPUs` : 'GPUs'}</Title>
      </Group>
      {gpus.length === 0 ? (
        <EmptyView icon="gpu" title="No GPU detected" description="GPU jobs still run, with software encoders, and reserve no VRAM. Set MEDIA_TOTAL_VRAM_MB to declare a budget." />
      ) : (
        <Stack gap="sm" aria-label="GPU rows">
          {gpus.map((gpu, i) => (
            <Fragment key={gpu.index}>
              {i > 0 && <Divider />}
              <GpuRow gpu={gpu} />
            </Fragment>
          ))}
        </Stack>
      )}
    </Card>
  );
}
