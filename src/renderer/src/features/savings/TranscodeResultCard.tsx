/**
 * What a transcode or re-encode did, in the job's detail (getJobResult): the outcome and why, the
 * size and codec before and after with the saving, the encoder, node and time, and each check of
 * the proof before replace with its numbers. Read once the job has ended (again when it ends anew,
 * e.g. after a retry); nothing for other job types.
 */
import { Alert, Badge, Button, Card, Group, List, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import type { Job } from '../../../../shared/contracts/job';
import type { JobResult } from '../../../../shared/contracts/transcode';
import { Icon } from '../../components/icons';
import { ErrorState, LoadingState } from '../../components/StateViews';
import { formatBytes, formatSpan } from '../../lib/format';
import { LEDGER_JOB_TYPES } from '../../stores/savings-store';
import { exactBytes, formatPercent, formatSaved, OUTCOME_LOOK } from './outcomes';
import { useRetainSavings, useSavings, useSavingsStore } from './use-savings';

function Fact({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div role="group" aria-label={label} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function SizeAndCodec({ bytes, codec }: { readonly bytes: number | null; readonly codec: string | null }) {
  return (
    <>
      <Text span fw={600} title={bytes === null ? undefined : exactBytes(bytes)}>
        {formatBytes(bytes)}
      </Text>
      <Text span c="dimmed" ff="monospace" ml={6}>
        {codec ?? '—'}
      </Text>
    </>
  );
}

function Checks({ checks }: { readonly checks: JobResult['checks'] }) {
  if (checks.length === 0) return <Text size="sm" c="dimmed">No checks ran.</Text>;
  const passed = checks.filter((c) => c.passed).length;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        Checks: {passed} of {checks.length} passed
      </Text>
      <List spacing={4} size="sm" aria-label="Checks" center>
        {checks.map((check) => (
          <List.Item
            key={check.name}
            aria-label={`${check.name}: ${check.passed ? 'passed' : 'failed'}`}
            icon={
              <ThemeIcon size={18} radius="xl" color={check.passed ? 'teal' : 'red'} variant="light">
                <Icon name={check.passed ? 'check' : 'cancel'} size={12} />
              </ThemeIcon>
            }
          >
            <Text span size="sm" fw={500}>
              {check.name}
            </Text>
            {check.detail && (
              <Text span size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {' '}
                — {check.detail}
              </Text>
            )}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

export function ResultView({ result }: { readonly result: JobResult }) {
  const look = OUTCOME_LOOK[result.outcome];
  const saved = result.bytesOut === null ? null : result.bytesIn - result.bytesOut;
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Badge color={look.color} variant="light" size="lg" tt="none" title={look.hint}>
          {look.label}
        </Badge>
        {result.mode && (
          <Text size="sm" c="dimmed">
            {result.mode} mode
          </Text>
        )}
      </Group>
      {result.reason && (
        <Alert color={result.outcome === 'failed' ? 'red' : result.outcome === 'kept_original' ? 'yellow' : 'gray'} variant="light" p="xs" title={result.outcome === 'kept_original' ? 'Original kept' : undefined}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {result.reason}
          </Text>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Fact label="Before">
          <SizeAndCodec bytes={result.bytesIn} codec={result.codecIn} />
        </Fact>
        <Fact label="After">
          <SizeAndCodec bytes={result.bytesOut} codec={result.codecOut} />
        </Fact>
        <Fact label="Saved">
          {saved === null ? (
            '—'
          ) : (
            <Text span fw={600} c={saved > 0 ? 'teal' : 'red'} title={exactBytes(saved)}>
              {formatSaved(saved)} ({formatPercent(result.savedPercent)})
            </Text>
          )}
        </Fact>
        <Fact label="Encoder">
          <Text span ff="monospace">
            {result.encoder ?? '—'}
          </Text>
        </Fact>
        <Fact label="Node">
          <Text span ff="monospace" truncate title={result.gpu ? `${result.nodeId} · ${result.gpu}` : result.nodeId}>
            {result.nodeId}
            {result.gpu ? ` · ${result.gpu}` : ''}
          </Text>
        </Fact>
        <Fact label="Wall time">{formatSpan(result.wallMs / 1000)}</Fact>
      </SimpleGrid>
      <Checks checks={result.checks} />
    </Stack>
  );
}

export function TranscodeResultCard({ job }: { readonly job: Pick<Job, 'id' | 'type' | 'status'> }) {
  if (!LEDGER_JOB_TYPES.has(job.type)) return null;
  return <ResultCard job={job} />;
}

function ResultCard({ job }: { readonly job: Pick<Job, 'id' | 'type' | 'status'> }) {
  useRetainSavings(false);
  const store = useSavingsStore();
  const ended = job.status === 'completed' || job.status === 'failed';
  const entry = useSavings((s) => s.results[job.id]);

  // read when it ends, and again when it ends anew (a retry ran it again)
  useEffect(() => {
    if (ended) store.getState().loadResult(job.id, true);
  }, [store, job.id, job.status, ended]);
  // forgotten (the job ended again, events were missed): read again
  useEffect(() => {
    if (ended && entry === undefined) store.getState().loadResult(job.id);
  }, [store, job.id, ended, entry]);

  let body: ReactNode;
  if (!ended) body = <Text size="sm" c="dimmed">The outcome, sizes and checks show here when the job ends.</Text>;
  else if (!entry || entry.status === 'loading') body = <LoadingState label="Reading the result…" />;
  else if (entry.status === 'none') body = <Text size="sm" c="dimmed">This job wrote no result (it ended before it could).</Text>;
  else if (entry.status === 'error') body = <ErrorState title="Could not read the result" message={entry.message} onRetry={() => store.getState().loadResult(job.id, true)} />;
  else body = <ResultView result={entry.data} />;

  return (
    <Card component="section" withBorder radius="md" padding="sm" mb="md" aria-label="Transcode result">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={3} size="h5">
          Result
        </Title>
        {ended && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => store.getState().loadResult(job.id, true)} aria-label="Reload the result">
            Reload
          </Button>
        )}
      </Group>
      {body}
    </Card>
  );
}
