/** A job just created, every field at its initial value: the fixture of the event-frame tests. */
import type { Job } from '../job';

export const newScanJob: Job = {
  id: '00000000-0000-4000-8000-000000000001',
  type: 'scan',
  status: 'pending',
  params: { directoryType: 'videos', skipExisting: true },
  progress: 0,
  priority: 5,
  queuePosition: null,
  waitingReason: null,
  resourceCategory: 'cpu',
  vramRequired: 0,
  createdAt: '2026-02-13T10:30:15.000Z',
  startedAt: null,
  completedAt: null,
  retryCount: 0,
  maxRetries: 3,
  retryAfter: null,
  lastError: null,
  nodeId: null,
  createdBy: 'ci',
  pipelineRunId: null,
  parentJobId: null,
  cancelling: false,
};
