/**
 * The scan the Library page follows (library-store `scan`): running with its progress while the
 * rows it registers appear below, then finished or failed with why; a link to its job for the
 * log, and a close button once it has ended.
 */
import { Anchor, CloseButton, Group, Paper, Progress, Text } from '@mantine/core';
import type { LibraryScan } from '../../stores/library-store';
import { StatusBadge } from '../../components/StatusBadge';

export interface ScanStatusProps {
  readonly scan: LibraryScan | null;
  readonly onOpenJob: (jobId: string) => void;
  readonly onDismiss: () => void;
}

export function ScanStatus({ scan, onOpenJob, onDismiss }: ScanStatusProps) {
  if (!scan) return null;
  const ended = ['completed', 'failed', 'cancelled'].includes(scan.status);
  const title = scan.status === 'completed' ? `Scan of ${scan.directoryType}/ finished` : scan.status === 'failed' ? `Scan of ${scan.directoryType}/ failed` : scan.status === 'cancelled' ? `Scan of ${scan.directoryType}/ cancelled` : `Scanning ${scan.directoryType}/… new videos appear below as they are found`;
  return (
    <Paper withBorder radius="md" p="xs" component="section" aria-label="Scan" data-scan-status={scan.status}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="nowrap" miw={0}>
          <StatusBadge status={scan.status} />
          <Text size="sm" truncate>
            {title}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Anchor component="button" type="button" size="sm" onClick={() => onOpenJob(scan.jobId)}>
            Open job
          </Anchor>
          {ended && <CloseButton size="sm" aria-label="Dismiss the scan status" onClick={onDismiss} />}
        </Group>
      </Group>
      {!ended && <Progress value={scan.progress} size="sm" mt={6} animated={scan.status === 'running'} aria-label={`Scan progress ${Math.round(scan.progress)}%`} />}
      {scan.status === 'failed' && scan.error && (
        <Text size="sm" c="red" mt={4}>
          {scan.error}
        </Text>
      )}
    </Paper>
  );
}
