/** The savings' totals (net saved, gross, files replaced, ledger rows) and the rows per outcome. */
import { Badge, Card, Group, SimpleGrid, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { TRANSCODE_OUTCOMES, type Savings } from '../../../../shared/contracts/transcode';
import { exactBytes, formatSaved, OUTCOME_LOOK } from './outcomes';

type Totals = Savings['total'];

function Stat({ label, value, hint, bytes }: { readonly label: string; readonly value: ReactNode; readonly hint: string; readonly bytes?: number }) {
  return (
    <Card withBorder radius="md" padding="sm" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} lh={1.3} data-bytes={bytes} title={bytes === undefined ? undefined : exactBytes(bytes)} style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Text>
      <Text size="xs" c="dimmed" lineClamp={2}>
        {hint}
      </Text>
    </Card>
  );
}

export function ledgerRows(total: Totals): number {
  return Object.values(total.outcomes).reduce<number>((n, count) => n + (count ?? 0), 0);
}

export function SavingsTotals({ total }: { readonly total: Totals }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
      <Stat label="Total saved" value={formatSaved(total.bytesSaved)} bytes={total.bytesSaved} hint="Net: replacements less what restores gave back" />
      <Stat label="Saved by replacements" value={formatSaved(total.grossBytesSaved)} bytes={total.grossBytesSaved} hint="Before any restore" />
      <Stat label="Files replaced" value={total.filesReplaced} hint="Net of restores" />
      <Stat label="Ledger rows" value={ledgerRows(total)} hint="Every transcode, re-encode and restore" />
    </SimpleGrid>
  );
}

/** One badge per outcome, zeros included, so the same place always says the same thing. */
export function OutcomeCounts({ outcomes, title = 'Outcomes' }: { readonly outcomes: Totals['outcomes']; readonly title?: string }) {
  return (
    <Card withBorder radius="md" padding="sm" component="section" aria-label={title}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      <Group gap="xs" role="list" aria-label="Ledger rows by outcome">
        {TRANSCODE_OUTCOMES.map((outcome) => {
          const look = OUTCOME_LOOK[outcome];
          const count = outcomes[outcome] ?? 0;
          return (
            <Tooltip key={outcome} label={look.hint} multiline maw={280} openDelay={300}>
              <Badge role="listitem" size="lg" variant={count > 0 ? 'light' : 'outline'} color={count > 0 ? look.color : 'gray'} tt="none" aria-label={`${look.label}: ${count}`}>
                {look.label}: {count}
              </Badge>
            </Tooltip>
          );
        })}
      </Group>
    </Card>
  );
}
