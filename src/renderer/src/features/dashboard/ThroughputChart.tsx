/** Jobs completed (and failed) per hour over the last 24 hours, as stacked bars, with the totals in words. */
import { BarChart } from '@mantine/charts';
import { Card, Group, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { Throughput } from '../../../../shared/contracts/job';

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function ThroughputChart({ throughput }: { readonly throughput: Throughput | null }) {
  const data = useMemo(
    () => (throughput?.hours ?? []).map((h) => ({ hour: hourLabel.format(new Date(h.hourStart)), Completed: h.completed, Failed: h.failed })),
    [throughput],
  );
  const completed = data.reduce((n, h) => n + h.Completed, 0);
  const failed = data.reduce((n, h) => n + h.Failed, 0);
  return (
    <Card component="section" withBorder radius="md" padding="md" aria-label="Throughput">
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={3} size="h5">
          Completed per hour (24 h)
        </Title>
        <Text size="sm" c="dimmed" aria-label="Jobs ended in the last 24 hours">
          {completed} completed · {failed} failed
        </Text>
      </Group>
      <BarChart
        h={190}
        data={data}
        dataKey="hour"
        type="stacked"
        series={[
          { name: 'Completed', color: 'teal.6' },
          { name: 'Failed', color: 'red.6' },
        ]}
        tickLine="y"
        gridAxis="y"
        withLegend={false}
        xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 24 }}
        yAxisProps={{ allowDecimals: false, width: 32 }}
        aria-label="Jobs completed and failed per hour"
      />
    </Card>
  );
}
