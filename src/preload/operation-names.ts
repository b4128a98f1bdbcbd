/**
 * The operation names the preload exposes, checked against the operations table at compile time
 * (a missing or unknown name fails type-checking; a test compares it with OPERATION_NAMES).
 * The sandboxed preload cannot require npm packages, and importing the table itself would bundle
 * zod and every schema into it; only the names are needed here.
 */
import type { OperationName } from '../shared/contracts/operations';

const NAMES = {
  listJobs: true,
  getThroughput: true,
  getStats: true,
  getJob: true,
  getJobLog: true,
  getJobConsole: true,
  getJobChildren: true,
  createJob: true,
  createReencodeJob: true,
  retryJob: true,
  cancelJob: true,
  pauseJob: true,
  resumeJob: true,
  setJobPriority: true,
  getQueueState: true,
  getSystemInfo: true,
  pauseQueue: true,
  resumeQueue: true,
  listVideos: true,
  getVideo: true,
  getVideoThumbnail: true,
  listScenes: true,
  getJobSegments: true,
  listNodes: true,
  listPipelines: true,
  createPipeline: true,
  getPipeline: true,
  updatePipeline: true,
  deletePipeline: true,
  dryRunPipeline: true,
  runPipeline: true,
  listPipelineRuns: true,
  getPipelineRun: true,
  listPipelineTemplates: true,
  getSession: true,
  drainQueue: true,
  getSchedules: true,
  setSchedules: true,
  getWatchSettings: true,
  setWatchSettings: true,
  getJobResult: true,
  getSavings: true,
  getVideoTranscodes: true,
  restoreVideo: true,
  getNotifications: true,
  setNotifications: true,
  testNotification: true,
  listNotificationDeliveries: true,
  getSettings: true,
  setSettings: true,
  exportSettings: true,
  importSettings: true,
} as const satisfies Record<OperationName, true>;

export const PRELOAD_OPERATION_NAMES = Object.keys(NAMES) as OperationName[];
