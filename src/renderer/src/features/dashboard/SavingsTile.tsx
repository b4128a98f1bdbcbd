/**
 * Space saved at a glance (#19 item 1): the ledger's net total, what today (UTC) and the last 30
 * days saved, and a way to the Savings page. The ledger groups by UTC day, so "today" is the UTC
 * day so far, not a rolling 24 hours.
 */
import { Anchor, Card, Group, Text, Title } from '@mantine/core';
import type { Savings } from '../../../../shared/contracts/transcode';
import { exactBytes, formatSaved } from '../savings/outcomes';

const DAY_MS = 86_400_000;

export interface RecentSavings {
  readonly today: number;
  readonly last30Days: number;
}

/** Sums the day groups (keys YYYY-MM-DD, UTC) of today and of the 30 UTC days ending today. */
export function recentSavings(savings: Savings, now: number): RecentSavings {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const today = day(now);
  const from = day(now - 29 * DAY_MS);
  let todayBytes = 0;
  let last30 = 0;
  if (savings.groupBy !== 'day') return { today: 0, last30Days: 0 };
  for (const g of savings.groups) {
    if (g.key === today) todayBytes += g.bytesSaved;
    if (g.key >= from && g.key <= today) last30 += g.bytesSaved;
  }
  return { today: todayBytes, last30Days: last30 };
}

export interface SavingsTileProps {
  readonly savings: Savings | null;
  readonly now: number;
  readonly onShowSavings?: (() => void) | undefined;
}

export function SavingsTile({ savings, now, onShowSavings }: SavingsTileProps) {
  const recent = savings ? recentSavings(savings, now) : null;
  return (
    <Card component="section" withBorder radius="md" padding="md" aria-label="Space saved">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Title order={3} size="h5">
          Space saved
        </Title>
        {onShowSavings && (
          <Anchor component="button" type="button" size="sm" onClick={onShowSavings}>
            Savings page
          </Anchor>
        )}
      </Group>
      {savings === null || recent === null ? (
        <Text size="sm" c="dimmed">
          Nothing read from the savings ledger yet.
        </Text>
      ) : (
        <>
          <Text fz={26} fw={700} lh={1.3} aria-label="Total saved" title={exactBytes(savings.total.bytesSaved)} style={{ whiteSpace: 'nowrap' }}>
            {formatSaved(savings.total.bytesSaved)}
          </Text>
          <Text size="sm" c="dimmed" aria-label="Saved recently">
            today (UTC) {formatSaved(recent.today)} · last 30 days {formatSaved(recent.last30Days)} · {savings.total.filesReplaced} files replaced
          </Text>
        </>
      )}
    </Card>
  );
}
