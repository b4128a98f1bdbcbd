/** A pipeline run's status as a badge, in the job statuses' colours (running yellow, completed green …). */
import { Badge } from '@mantine/core';
import type { PipelineRun } from '../../../../shared/contracts/pipeline';

const COLORS: Readonly<Record<PipelineRun['status'], string>> = { running: 'yellow', completed: 'green', failed: 'red', cancelled: 'dark' };
const LABELS: Readonly<Record<PipelineRun['status'], string>> = { running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled' };

export function RunStatusBadge({ status }: { readonly status: PipelineRun['status'] }) {
  return (
    <Badge color={COLORS[status]} variant={status === 'running' ? 'light' : 'filled'} autoContrast size="sm" aria-label={`Run ${LABELS[status].toLowerCase()}`}>
      {LABELS[status]}
    </Badge>
  );
}
