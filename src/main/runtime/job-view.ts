/** Turns store records into the API's shapes (ISO timestamps, log as text). */
import type { Job } from '../../shared/contracts/job';
import type { JobRecord, StoredLogLine } from '../core/ports';
import { isLiveStatus } from '../../shared/domain/statuses';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A cancel was asked for and the job's attempt has not ended yet (its tool is stopping). */
export function isCancelling(job: JobRecord): boolean {
  return job.cancelRequestedAt !== null && isLiveStatus(job.status);
}

export function toJobView(job: JobRecord, queuePosition: number | null = null): Job {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    params: job.params,
    progress: job.progress,
    priority: job.priority,
    queuePosition,
    waitingReason: job.waitingReason,
    resourceCategory: job.resourceCategory,
    vramRequired: job.vramRequired,
    createdAt: new Date(job.createdAt).toISOString(),
    startedAt: iso(job.startedAt),
    completedAt: iso(job.completedAt),
    retryCount: job.retryCount,
    maxRetries: job.maxRetries,
    retryAfter: iso(job.retryAfter),
    lastError: job.lastError,
    nodeId: job.nodeId,
    createdBy: job.createdBy,
    pipelineRunId: job.pipelineRunId ?? null,
    parentJobId: job.parentJobId ?? null,
    cancelling: isCancelling(job),
    ...(job.gpuIndex !== null && job.gpuIndex !== undefined ? { gpuIndex: job.gpuIndex, gpuUuid: job.gpuUuid ?? null } : {}),
  };
}

/** `[2026-02-13 10:30:15] text` lines; a marker where lines were dropped to keep the log bounded. */
export function renderLog(lines: readonly StoredLogLine[], dropped: number): string {
  const out: string[] = [];
  let previous = 0;
  for (const l of lines) {
    if (l.line > previous + 1 && previous > 0) out.push(`[… ${l.line - previous - 1} lines dropped to keep the log bounded …]`);
    else if (l.line > previous + 1 && previous === 0 && dropped > 0) out.push(`[… ${l.line - 1} lines dropped …]`);
    out.push(`[${formatLogTime(l.at)}] ${l.text}`);
    previous = l.line;
  }
  return out.join('\n');
}

export function formatLogTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}
