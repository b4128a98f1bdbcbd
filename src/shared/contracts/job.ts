/**
 * Boundary shapes of jobs, as the spec's REST API shows them (camelCase, ISO timestamps).
 * Types come from these schemas; nothing else defines a job's public shape.
 */
import { z } from 'zod';
import { uuidOf } from '../domain/id-schemas';
import { reencodeStreamingParams } from '../domain/job-params';
import { JOB_TYPES } from '../domain/job-types';
import { JOB_STATUSES, MAX_PRIORITY, MIN_PRIORITY, RESOURCE_CATEGORIES } from '../domain/statuses';
import { drainStateSchema } from './queue-control';

export const jobId = uuidOf('job');
export const jobTypeSchema = z.enum(JOB_TYPES);
export const jobStatusSchema = z.enum(JOB_STATUSES);
export const resourceCategorySchema = z.enum(RESOURCE_CATEGORIES);
export const prioritySchema = z
  .number()
  .int()
  .min(MIN_PRIORITY, `priority must be between ${MIN_PRIORITY} (highest) and ${MAX_PRIORITY}`)
  .max(MAX_PRIORITY, `priority must be between ${MIN_PRIORITY} (highest) and ${MAX_PRIORITY}`);

const isoTimestamp = z.string().nullable();

/** A library video a job reads or wrote, as the jobs table and the job detail name it. */
export const jobFileSchema = z.object({ videoId: z.string(), title: z.string(), path: z.string(), durationSeconds: z.number().nullable() });
export type JobFile = z.infer<typeof jobFileSchema>;

export const jobSchema = z.object({
  id: jobId,
  type: jobTypeSchema,
  status: jobStatusSchema,
  params: z.record(z.string(), z.unknown()),
  progress: z.number().int().min(0).max(100),
  priority: z.number().int(),
  queuePosition: z.number().int().nullable(),
  waitingReason: z.string().nullable(),
  resourceCategory: resourceCategorySchema,
  vramRequired: z.number().int(),
  createdAt: z.string(),
  startedAt: isoTimestamp,
  completedAt: isoTimestamp,
  retryCount: z.number().int(),
  maxRetries: z.number().int(),
  retryAfter: isoTimestamp,
  lastError: z.string().nullable(),
  nodeId: z.string().nullable(),
  /** The name of the API token (or 'desktop') that created the job; null for jobs from before it was recorded. */
  createdBy: z.string().nullable(),
  /** The pipeline run this job is a step of (GET /api/media/pipeline-runs/:id); null for a job created on its own. */
  pipelineRunId: z.string().nullable(),
  /** The job of the step this one came after in its pipeline run; null for a run's first steps and for other jobs. */
  parentJobId: z.string().nullable(),
  /**
   * A cancel was asked for while the job ran (or was suspended): its status stays running (or
   * suspended) until its tool has exited and its partial files are removed, then it becomes cancelled.
   */
  cancelling: z.boolean(),
  /** Not in the spec: the GPU the job's attempt was placed on (nodes with a per-GPU inventory); absent otherwise. */
  gpuIndex: z.number().int().nullable().optional(),
  gpuUuid: z.string().nullable().optional(),
  /**
   * Not in the spec: the job's input video (params.videoId, else the first of params.videoIds), null
   * when it reads none or the video is gone; and the library videos it wrote (sourceJobId). Filled by
   * listJobs and getJob in one batched read per page; absent from live events (keep what was read).
   */
  input: jobFileSchema.nullable().optional(),
  outputs: z.array(jobFileSchema).optional(),
  /**
   * Not in the spec: a segmented encode's parent (#20) once it has queued its parts: the chunk jobs
   * (its audio job not counted), how many are done and running; `progress` and `etaSeconds` are then
   * aggregated over the chunks, weighted by their durations. Absent for other jobs.
   */
  chunks: z.object({ total: z.number().int(), done: z.number().int(), running: z.number().int(), failed: z.number().int(), etaSeconds: z.number().nullable() }).optional(),
});
export type Job = z.infer<typeof jobSchema>;

/** GET /api/media/jobs/:id/children: the chunk and audio jobs of a segmented encode, oldest first (empty for other jobs). */
export const jobChildrenSchema = z.object({ parentId: z.string(), data: z.array(jobSchema) });

export const jobDetailSchema = jobSchema.extend({ log: z.string() });
export type JobDetail = z.infer<typeof jobDetailSchema>;

export const createJobInputSchema = z.strictObject({
  type: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
  priority: prioritySchema.default(5),
  /** Accepted for compatibility with the spec; must match the type's category when given. */
  resourceCategory: resourceCategorySchema.optional(),
  /** May raise the type's default VRAM need, never lower it. */
  vramRequired: z.number().int().min(0).optional(),
  maxRetries: z.number().int().min(0).max(20).optional(),
});
export type CreateJobInput = z.input<typeof createJobInputSchema>;

/**
 * The spec's re-encode shortcut (`POST /api/media/jobs/reencode`): the fields and defaults of
 * reencode_streaming's params (targetBitrate 2000 kbit/s as a ceiling, preset medium, crf 23),
 * plus the job's priority.
 */
export const reencodeJobInputSchema = reencodeStreamingParams
  .pick({ videoId: true, targetBitrate: true, preset: true, crf: true })
  .extend({ priority: prioritySchema.default(5) });

export const createJobOutputSchema = jobSchema.pick({
  id: true,
  type: true,
  status: true,
  progress: true,
  createdAt: true,
});

export const listJobsQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  status: jobStatusSchema.optional(),
  type: jobTypeSchema.optional(),
  resourceCategory: resourceCategorySchema.optional(),
  /** Not in the spec: jobs whose input or output video's title, file name or path contains this (case-insensitive), or whose id starts with it. */
  search: z.string().trim().min(1).max(200).optional(),
  /** Not in the spec: jobs created at or after / before this instant (ISO 8601). */
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  /** Not in the spec: `true` lists the chunk and audio jobs of segmented encodes too (hidden by default: their parent is the one job; GET /api/media/jobs/:id/children lists them). */
  includeChildren: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export type ListJobsQuery = z.infer<typeof listJobsQuerySchema>;

export const paginationSchema = z.object({
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  totalPages: z.number().int(),
});

export const jobListSchema = z.object({ data: z.array(jobSchema), pagination: paginationSchema });
export type JobList = z.infer<typeof jobListSchema>;

export const jobIdInputSchema = z.strictObject({ id: jobId });

export const setPriorityInputSchema = z.strictObject({ id: jobId, priority: prioritySchema });

export const jobTransitionOutputSchema = jobSchema.pick({ id: true, status: true }).extend({
  /** Cancel of a running (or suspended) job: true, with the status unchanged until the job is cancelled. */
  cancelling: z.boolean().optional(),
  retryCount: z.number().int().optional(),
  retryAfter: isoTimestamp.optional(),
  log: z.string().optional(),
});

export const jobLogQuerySchema = z.strictObject({
  id: jobId,
  /** Return lines whose number is greater than this (0 = from the start). */
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const jobLogLineSchema = z.object({ line: z.number().int(), at: z.string(), text: z.string() });
export type JobLogLine = z.infer<typeof jobLogLineSchema>;

export const jobLogSchema = z.object({
  jobId: jobId,
  lines: z.array(jobLogLineSchema),
  /** Lines dropped from the middle of the log to keep it bounded (head and tail are kept). */
  dropped: z.number().int(),
  /** Pass as `after` to read only newer lines. */
  nextAfter: z.number().int(),
});
export type JobLog = z.infer<typeof jobLogSchema>;

export const jobConsoleSchema = z.object({
  jobId: jobId,
  /** False when the job is not running in this process (then the log is what there is). */
  running: z.boolean(),
  /** The tool's console as a terminal would show it (status-line redraws collapsed), oldest first. */
  lines: z.array(z.string()),
  droppedLines: z.number().int(),
  /**
   * Not in the spec: the same console as text to feed a terminal emulator (CRLF line ends, and a
   * trailing CR when the tool's last status line waits to be redrawn), so the live chunks that follow
   * land where the tool's cursor is. Absent when the job is not running here.
   */
  replay: z.string().optional(),
});
export type JobConsole = z.infer<typeof jobConsoleSchema>;

export const statsSchema = z.object({
  pending: z.number().int(),
  queued: z.number().int(),
  running: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  paused: z.number().int(),
  /** Not in the spec: running jobs a pause suspended (their process stopped, their slot and VRAM still held). */
  suspended: z.number().int(),
  /** VRAM reserved by the running (and suspended) jobs of every node (MB): fleet-wide, like every count here. */
  totalVramUsed: z.number().int(),
  /**
   * Sum of the VRAM budgets of the online nodes (MB): fleet-wide, like totalVramUsed (embedded:
   * this machine's). Null when no online node has a GPU or a declared budget (GPU jobs run in software).
   */
  totalVramAvailable: z.number().int().nullable(),
  /** Mean run time of completed jobs, in seconds. */
  averageProcessingTime: z.number(),
  jobsByType: z.record(z.string(), z.number().int()),
  /** Not in the spec: running jobs per resource category (for metrics and the system page). */
  runningByCategory: z.record(resourceCategorySchema, z.number().int()),
  /** Not in the spec: what these numbers cover: the whole queue (every node sharing it; embedded, a fleet of one). */
  scope: z.literal('fleet'),
  /**
   * Not in the spec: each node's share, at its last heartbeat (so it can lag the exact fleet-wide
   * totals above by up to a heartbeat): its VRAM budget (null: none), the VRAM its running jobs
   * reserve, and its running attempts per resource category.
   */
  /** Not in the spec: the queue's drain (see queueStateSchema). */
  drain: drainStateSchema.optional(),
  nodes: z.array(z.object({
    id: z.string(),
    state: z.enum(['online', 'offline', 'stopped']),
    vramBudgetMb: z.number().int().nullable(),
    vramReservedMb: z.number().int(),
    running: z.record(resourceCategorySchema, z.number().int()),
  })),
});
export type Stats = z.infer<typeof statsSchema>;

export const queueStateSchema = z.object({
  paused: z.boolean(),
  pausedCategories: z.array(resourceCategorySchema),
  limits: z.record(resourceCategorySchema, z.number().int()),
  vramBudgetMb: z.number().int().nullable(),
  /** Not in the spec: the drain (POST /api/media/queue/drain): off, draining or drained. */
  drain: drainStateSchema.optional(),
  /** Not in the spec: categories closed for new starts on this node (outside a time window, GPU held), with why. */
  closedCategories: z.partialRecord(resourceCategorySchema, z.string()).optional(),
});
export type QueueState = z.infer<typeof queueStateSchema>;

export const queuePauseInputSchema = z.strictObject({ category: resourceCategorySchema.optional() });

export const throughputQuerySchema = z.strictObject({
  /** How many whole hours back from the current one (1–168). */
  hours: z.coerce.number().int().min(1).max(168).default(24),
});

/** Not in the spec: jobs that ended per hour (completed, failed), oldest hour first, the current hour last. */
export const throughputSchema = z.object({
  hours: z.array(z.object({ hourStart: z.string(), completed: z.number().int(), failed: z.number().int() })),
});
export type Throughput = z.infer<typeof throughputSchema>;
