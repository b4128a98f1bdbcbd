/**
 * The savings of one grouping (codec, folder, node) as a table with a bar per row: what each saved
 * (net), the files it replaced and its ledger rows, largest saving first (the server's order).
 */
import { Card, Progress, Stack, Table, Text, Title } from '@mantine/core';
import type { Savings } from '../../../../shared/contracts/transcode';
import { ledgerRows } from './SavingsTotals';
import { exactBytes, formatSaved } from './outcomes';

export interface SavingsBreakdownProps {
  readonly title: string;
  /** The first column's header ("Codec", "Folder", "Node"). */
  readonly keyLabel: string;
  readonly groups: Savings['groups'] | undefined;
  /** How a key reads ('' is the library's root for folders). */
  readonly formatKey?: (key: string) => string;
}

export function SavingsBreakdown({ title, keyLabel, groups, formatKey = (k) => k || '—' }: SavingsBreakdownProps) {
  const rows = groups ?? [];
  const max = Math.max(1, ...rows.map((g) => g.bytesSaved));
  return (
    <Card component="section" withBorder radius="md" padding="md" aria-label={title} miw={0}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing in the ledger yet.
        </Text>
      ) : (
        <Table layout="fixed" verticalSpacing={4} horizontalSpacing="xs" aria-label={title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{keyLabel}</Table.Th>
              <Table.Th w="40%">Saved</Table.Th>
              <Table.Th w={64} ta="right">
                Files
              </Table.Th>
              <Table.Th w={56} ta="right">
                Rows
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((g) => {
              const name = formatKey(g.key);
              return (
                <Table.Tr key={g.key} data-key={g.key}>
                  <Table.Td>
                    <Text size="sm" ff="monospace" truncate title={name}>
                      {name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <Text size="sm" fw={500} title={exactBytes(g.bytesSaved)} data-bytes={g.bytesSaved}>
                        {formatSaved(g.bytesSaved)}
                      </Text>
                      <Progress value={(Math.max(0, g.bytesSaved) / max) * 100} size="sm" color="teal" aria-label={`${name}: ${formatSaved(g.bytesSaved)} saved`} />
                    </Stack>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{g.filesReplaced}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{ledgerRows(g)}</Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
