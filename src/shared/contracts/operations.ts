/**
 * THE operations table: every operation the runtime offers, with its input and output schema and
 * its HTTP method and path. The REST server, the IPC bridge, the preload API and the UI client
 * are all generated from this table, so a new operation is added here once.
 *
 * Inputs are flat objects: for HTTP, path parameters, the query string and the JSON body are
 * merged into one object before validation.
 */
import { z } from 'zod';
import * as analysis from './analysis';
import * as job from './job';
import * as video from './video';
import { systemInfoSchema } from './system';
import { fleetSchema } from './fleet';
import { callerSchema, type Role } from './access';

export interface OperationDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly summary: string;
  /** The least role a caller needs (read: look, operate: act on jobs and the queue, admin: manage). */
  readonly access: Role;
  /** Creates something: answered with 201 over HTTP (200 otherwise). */
  readonly creates?: true;
}

function op<I extends z.ZodType, O extends z.ZodType>(def: OperationDefinition<I, O>): OperationDefinition<I, O> {
  return def;
}

const noInput = z.strictObject({});

export const OPERATIONS = {
  listJobs: op({ access: 'read', method: 'GET', path: '/api/media/jobs', input: job.listJobsQuerySchema, output: job.jobListSchema, summary: 'List jobs (newest first) with filters and pagination' }),
  getStats: op({ access: 'read', method: 'GET', path: '/api/media/jobs/stats', input: noInput, output: job.statsSchema, summary: 'Queue statistics' }),
  getJob: op({ access: 'read', method: 'GET', path: '/api/media/jobs/:id', input: job.jobIdInputSchema, output: job.jobDetailSchema, summary: 'One job with its log' }),
  getJobLog: op({ access: 'read', method: 'GET', path: '/api/media/jobs/:id/log', input: job.jobLogQuerySchema, output: job.jobLogSchema, summary: 'Read a job log incrementally' }),
  getJobConsole: op({ access: 'read', method: 'GET', path: '/api/media/jobs/:id/console', input: job.jobIdInputSchema, output: job.jobConsoleSchema, summary: 'The live console of a running job' }),
  createJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs', input: job.createJobInputSchema, output: job.createJobOutputSchema, creates: true, summary: 'Create a job' }),
  createReencodeJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/reencode', input: job.reencodeJobInputSchema, output: job.jobSchema, creates: true, summary: "Create a reencode_streaming job for a library video (the spec's shortcut; targetBitrate is a ceiling in kbit/s) and answer the created job; 404 NOT_FOUND for an unknown video" }),
  retryJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/:id/retry', input: job.jobIdInputSchema, output: job.jobTransitionOutputSchema, summary: 'Retry a failed or cancelled job: always allowed, whatever its retryCount (maxRetries limits automatic retries only). It adds 1 to retryCount, which automatic retries share: a job is retried automatically only while retryCount < maxRetries, so a manual retry uses up one automatic retry, and a job that had used them all gets this one attempt with no automatic retry after it' }),
  cancelJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/:id/cancel', input: job.jobIdInputSchema, output: job.jobTransitionOutputSchema, summary: 'Cancel a job in any non-final state' }),
  pauseJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/:id/pause', input: job.jobIdInputSchema, output: job.jobTransitionOutputSchema, summary: 'Pause a waiting job' }),
  resumeJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/:id/resume', input: job.jobIdInputSchema, output: job.jobTransitionOutputSchema, summary: 'Resume a paused job' }),
  setJobPriority: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/:id/priority', input: job.setPriorityInputSchema, output: job.jobSchema, summary: 'Change the priority of a waiting or paused job' }),
  getSystemInfo: op({ access: 'read', method: 'GET', path: '/api/media/system', input: noInput, output: systemInfoSchema, summary: 'GPUs and VRAM, CPU, slots per category, tools and encoders of this node' }),
  getQueueState: op({ access: 'read', method: 'GET', path: '/api/media/queue', input: noInput, output: job.queueStateSchema, summary: 'Queue pause state, limits and VRAM budget' }),
  pauseQueue: op({ access: 'operate', method: 'POST', path: '/api/media/queue/pause', input: job.queuePauseInputSchema, output: job.queueStateSchema, summary: 'Pause the whole queue or one category (running jobs go on)' }),
  listVideos: op({ access: 'read', method: 'GET', path: '/api/media/videos', input: video.listVideosQuerySchema, output: video.videoListSchema, summary: 'List library videos (newest first) with search, filters and pagination' }),
  getVideo: op({ access: 'read', method: 'GET', path: '/api/media/videos/:id', input: video.videoIdInputSchema, output: video.videoSchema, summary: 'One library video' }),
  getVideoThumbnail: op({ access: 'read', method: 'GET', path: '/api/media/videos/:id/thumbnail', input: video.videoIdInputSchema, output: video.videoThumbnailSchema, summary: "A video's thumbnail as a data: URL (404 when it has none)" }),
  listScenes: op({ access: 'read', method: 'GET', path: '/api/media/videos/:id/scenes', input: video.videoIdInputSchema, output: analysis.videoScenesSchema, summary: "A video's scenes from its last scene_extract (empty when never analysed)" }),
  getJobSegments: op({ access: 'read', method: 'GET', path: '/api/media/jobs/:id/segments', input: job.jobIdInputSchema, output: analysis.jobSegmentsSchema, summary: 'The segments a digest, highlight or clip job chose (404 when it stored none)' }),
  listNodes: op({ access: 'read', method: 'GET', path: '/api/fleet/nodes', input: noInput, output: fleetSchema, summary: 'The nodes sharing this queue (one when embedded): limits, GPUs, VRAM budget, heartbeat and what each runs' }),
  resumeQueue: op({ access: 'operate', method: 'POST', path: '/api/media/queue/resume', input: job.queuePauseInputSchema, output: job.queueStateSchema, summary: 'Resume the whole queue or one category' }),
  getSession: op({ access: 'read', method: 'GET', path: '/api/auth/session', input: noInput, output: callerSchema, summary: 'Who the caller is: the name and role of the token (the desktop window is admin)' }),
} as const;

export type Operations = typeof OPERATIONS;
export type OperationName = keyof Operations;
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = z.infer<Operations[N]['output']>;

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];
