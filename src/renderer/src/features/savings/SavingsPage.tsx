/**
 * The Savings page (issue #17): the space library transcoding saved, as the server sums it from its
 * savings ledger (never a stored counter): the totals, the rows per outcome, saved per day, and per
 * codec, folder and node. It follows live events while shown: a transcode or re-encode that ends
 * re-reads it.
 */
import { Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Icon } from '../../components/icons';
import { EmptyView, ErrorState, LoadingState } from '../../components/StateViews';
import { SavedPerDayChart } from './SavedPerDayChart';
import { SavingsBreakdown } from './SavingsBreakdown';
import { ledgerRows, OutcomeCounts, SavingsTotals } from './SavingsTotals';
import { useRetainSavings, useSavings, useSavingsStore } from './use-savings';

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function SavingsPage() {
  useRetainSavings(true);
  const store = useSavingsStore();
  const byGroup = useSavings((s) => s.byGroup);
  const loaded = useSavings((s) => s.loaded);
  const loading = useSavings((s) => s.loading);
  const error = useSavings((s) => s.error);
  const updatedAt = useSavings((s) => s.updatedAt);
  const total = byGroup.day?.total ?? byGroup.codec?.total ?? null;
  const reload = () => void store.getState().load();

  let body;
  if (!total) {
    body = error ? <ErrorState title="Could not read the savings" message={error} onRetry={reload} /> : <LoadingState label="Reading the savings ledger…" />;
  } else {
    body = (
      <>
        {error && <ErrorState title="Could not refresh the savings" message={error} onRetry={reload} />}
        <SavingsTotals total={total} />
        {ledgerRows(total) === 0 && (
          <EmptyView
            icon="encode"
            title="Nothing transcoded yet"
            description="Every transcode and re-encode writes a row to the savings ledger when it ends; a transcode in replace mode saves space once its checks pass."
          />
        )}
        <OutcomeCounts outcomes={total.outcomes} />
        <SavedPerDayChart groups={byGroup.day?.groups ?? []} />
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <SavingsBreakdown title="By codec" keyLabel="Output codec" groups={byGroup.codec?.groups} />
          <SavingsBreakdown title="By node" keyLabel="Node" groups={byGroup.node?.groups} />
        </SimpleGrid>
        <SavingsBreakdown title="By folder" keyLabel="Folder" groups={byGroup.folder?.groups} formatKey={(k) => k || '(library root)'} />
      </>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" gap="xs">
        <Title order={2}>Savings</Title>
        <Group gap="xs" wrap="nowrap">
          {loaded && updatedAt !== null && (
            <Text size="xs" c="dimmed" visibleFrom="xs">
              Updated {timeOnly.format(new Date(updatedAt))}
            </Text>
          )}
          {/* a read: every role may (no Guarded, whose data-operation marks actions) */}
          <Button variant="default" size="sm" leftSection={<Icon name="retry" size={16} />} onClick={reload} loading={loading && loaded}>
            Refresh
          </Button>
        </Group>
      </Group>
      {body}
    </Stack>
  );
}
