/** Bytes saved per day (UTC, net of restores), as bars, from getSavings?groupBy=day. */
import { BarChart } from '@mantine/charts';
import { Card, Group, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { Savings } from '../../../../shared/contracts/transcode';
import { formatSaved } from './outcomes';

/** The last days shown (the ledger keeps every day; the totals count them all). */
export const CHART_DAYS = 60;

export function SavedPerDayChart({ groups }: { readonly groups: Savings['groups'] }) {
  const data = useMemo(() => groups.slice(-CHART_DAYS).map((g) => ({ day: g.key, Saved: g.bytesSaved, files: g.filesReplaced })), [groups]);
  const sum = data.reduce((n, d) => n + d.Saved, 0);
  return (
    <Card component="section" withBorder radius="md" padding="md" aria-label="Saved per day">
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={3} size="h5">
          Saved per day
        </Title>
        <Text size="sm" c="dimmed">
          {data.length === 0 ? 'No transcodes yet' : `${formatSaved(sum)} over ${data.length} day${data.length === 1 ? '' : 's'} (UTC)`}
        </Text>
      </Group>
      <BarChart
        h={200}
        data={data}
        dataKey="day"
        series={[{ name: 'Saved', color: 'teal.6' }]}
        valueFormatter={formatSaved}
        tickLine="y"
        gridAxis="y"
        withLegend={false}
        maxBarWidth={40}
        xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 24 }}
        yAxisProps={{ width: 64 }}
        aria-label="Bytes saved per day"
      />
    </Card>
  );
}
