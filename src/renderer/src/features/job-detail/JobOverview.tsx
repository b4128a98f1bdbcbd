/**
 * Facts of one job: the file it reads and the files it wrote (each a link to its library row),
 * the pipeline run and the job it came after (when it is a pipeline step), who created it and
 * when, timings, retries and next retry, waiting reason, queue position, VRAM, node, params.
 */
import { Alert, Anchor, Code, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { JobDetail, JobFile } from '../../../../shared/contracts/job';
import { fileNameOf } from '../../lib/job-subject';
import { formatQuery } from '../../stores/navigation-store';
import { CategoryBadge } from '../../components/CategoryBadge';
import { PriorityTag } from '../../components/PriorityTag';
import { formatDateTime, formatRelative, formatSpan, secondsBetween } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useWaitingReason } from '../jobs/suspended-slots';
import { jobIdToken } from '../../../../shared/domain/job-ids';

function Fact({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/** The library filtered to this file (its row, and any other with the same name). */
const libraryLink = (file: JobFile) => `#/library${formatQuery({ q: fileNameOf(file.path) })}`;

function FileLink({ file }: { readonly file: JobFile }) {
  return (
    <Stack gap={0} miw={0}>
      <Anchor href={libraryLink(file)} size="sm" fw={500} truncate title={`Show ${file.path} in the library`}>
        {file.title || fileNameOf(file.path)}
      </Anchor>
      <Text size="xs" c="dimmed" ff="monospace" truncate title={file.path}>
        {file.path}
      </Text>
    </Stack>
  );
}

function Files({ job }: { readonly job: JobDetail }) {
  const outputs = job.outputs ?? [];
  if (job.input === undefined && job.outputs === undefined) return null;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      <Fact label="Input">{job.input ? <FileLink file={job.input} /> : '—'}</Fact>
      <Fact label={outputs.length > 1 ? `Outputs (${outputs.length})` : 'Output'}>
        {outputs.length === 0 ? (
          <Text size="sm" c="dimmed" component="span">
            {job.status === 'completed' ? 'No library file' : 'None yet'}
          </Text>
        ) : (
          <Stack gap={4}>
            {outputs.map((file) => (
              <FileLink key={file.videoId} file={file} />
            ))}
          </Stack>
        )}
      </Fact>
    </SimpleGrid>
  );
}

export function JobOverview({ job }: { readonly job: JobDetail }) {
  const waiting = job.status === 'pending' || job.status === 'queued' || job.status === 'paused';
  const now = useNow(job.status === 'running' || job.retryAfter !== null);
  const runFor = secondsBetween(job.startedAt, job.completedAt, now);
  const waitedFor = secondsBetween(job.createdAt, job.startedAt, now);
  const waitingReason = useWaitingReason(job.waitingReason);
  return (
    <Stack gap="md">
      {job.waitingReason && waiting && (
        <Alert color="blue" variant="light" title="Why it is waiting">
          {waitingReason}
        </Alert>
      )}
      {job.lastError && (
        <Alert color="red" variant="light" title={job.status === 'failed' ? 'Failure' : 'Last error'}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {job.lastError}
          </Text>
        </Alert>
      )}
      <Files job={job} />
      {(job.pipelineRunId || job.parentJobId) && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {job.pipelineRunId && (
            <Fact label="Pipeline run">
              <Text size="sm" ff="monospace" component="span" title="A step of this pipeline run">
                {job.pipelineRunId}
              </Text>
            </Fact>
          )}
          {job.parentJobId && (
            <Fact label="After job">
              <Anchor href={`#/jobs/${encodeURIComponent(job.parentJobId)}`} size="sm" ff="monospace">
                {jobIdToken(job.parentJobId)}
              </Anchor>
            </Fact>
          )}
        </SimpleGrid>
      )}
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" verticalSpacing="sm">
        <Fact label="Priority">
          <PriorityTag priority={job.priority} />
        </Fact>
        <Fact label="Resource">
          <CategoryBadge category={job.resourceCategory} />
        </Fact>
        <Fact label="VRAM needed">{job.vramRequired > 0 ? `${job.vramRequired} MB` : 'none'}</Fact>
        <Fact label="Queue position">{job.queuePosition !== null ? `#${job.queuePosition}` : '—'}</Fact>
        <Fact label="Retries">
          {job.retryCount} of {job.maxRetries}
        </Fact>
        <Fact label="Next retry">{job.retryAfter ? `${formatDateTime(job.retryAfter)} (${formatRelative(job.retryAfter, now)})` : '—'}</Fact>
        <Fact label="Created">
          {formatDateTime(job.createdAt)}
          {job.createdBy !== null && (
            <Text size="xs" c="dimmed">
              Created by {job.createdBy}
            </Text>
          )}
        </Fact>
        <Fact label="Started">{formatDateTime(job.startedAt)}</Fact>
        <Fact label="Completed">{formatDateTime(job.completedAt)}</Fact>
        <Fact label="Waited">{job.startedAt ? formatSpan(waitedFor) : '—'}</Fact>
        <Fact label={job.completedAt ? 'Ran for' : 'Running for'}>{job.startedAt ? formatSpan(runFor) : '—'}</Fact>
        <Fact label="Node">{job.nodeId ?? '—'}</Fact>
      </SimpleGrid>
      <div>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
          Parameters
        </Text>
        <Code block aria-label="Job parameters">
          {JSON.stringify(job.params, null, 2)}
        </Code>
      </div>
      <Text size="xs" c="dimmed" ff="monospace">
        {job.id}
      </Text>
    </Stack>
  );
}
