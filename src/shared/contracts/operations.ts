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
import * as pipeline from './pipeline';
import * as transcode from './transcode';
import { systemInfoSchema } from './system';
import { fleetSchema } from './fleet';
import { callerSchema, type Role } from './access';
import { watchSettingsInputSchema, watchStateSchema } from './watch';
import { scheduleSettingsInputSchema, scheduleStateSchema } from './queue-control';
import * as notifications from './notifications';
import * as settings from './settings';

export interface OperationDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
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
  getThroughput: op({ access: 'read', method: 'GET', path: '/api/media/jobs/throughput', input: job.throughputQuerySchema, output: job.throughputSchema, summary: 'Jobs completed and failed per hour over the last `hours` hours (default 24), from their end times; the current hour last' }),
  getStats: op({ access: 'read', method: 'GET', path: '/api/media/jobs/stats', input: noInput, output: job.statsSchema, summary: 'Queue statistics' }),
  getJob: op({ access: 'read', method: 'GET', path: '/api/media/jobs/:id', input: job.jobIdInputSchema, output: job.jobDetailSchema, summary: 'One job with its log' }),
  getJobLog: op({ access: 'read', method: 'GET', path: '/api/media/jobs/:id/log', input: job.jobLogQuerySchema, output: job.jobLogSchema, summary: 'Read a job log incrementally' }),
  getJobChildren: op({ access: 'read', method: 'GET', path: '/api/media/jobs/:id/children', input: job.jobIdInputSchema, output: job.jobChildrenSchema, summary: 'The chunk and audio jobs of a segmented transcode (segments mode, oldest first); the job list hides them unless `includeChildren=true`. 404 for an unknown job' }),
  getJobConsole: op({ access: 'read', method: 'GET', path: '/api/media/jobs/:id/console', input: job.jobIdInputSchema, output: job.jobConsoleSchema, summary: 'The live console of a running job' }),
  createJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs', input: job.createJobInputSchema, output: job.createJobOutputSchema, creates: true, summary: 'Create a job' }),
  createReencodeJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/reencode', input: job.reencodeJobInputSchema, output: job.jobSchema, creates: true, summary: "Create a reencode_streaming job for a library video (the spec's shortcut; targetBitrate is a ceiling in kbit/s) and answer the created job; 404 NOT_FOUND for an unknown video" }),
  retryJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/:id/retry', input: job.jobIdInputSchema, output: job.jobTransitionOutputSchema, summary: 'Retry a failed or cancelled job: always allowed, whatever its retryCount (maxRetries limits automatic retries only). It adds 1 to retryCount, which automatic retries share: a job is retried automatically only while retryCount < maxRetries, so a manual retry uses up one automatic retry, and a job that had used them all gets this one attempt with no automatic retry after it' }),
  cancelJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/:id/cancel', input: job.jobIdInputSchema, output: job.jobTransitionOutputSchema, summary: 'Cancel a job in any non-final state' }),
  pauseJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/:id/pause', input: job.jobIdInputSchema, output: job.jobTransitionOutputSchema, summary: 'Pause a waiting job (→ paused), or suspend a running one (→ suspended: its process stopped, its slot and VRAM kept; through the node that runs it)' }),
  resumeJob: op({ access: 'operate', method: 'POST', path: '/api/media/jobs/:id/resume', input: job.jobIdInputSchema, output: job.jobTransitionOutputSchema, summary: 'Resume a paused job (→ pending) or a suspended one (→ running, its process continued; through the node that runs it)' }),
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
  drainQueue: op({ access: 'operate', method: 'POST', path: '/api/media/queue/drain', input: noInput, output: job.queueStateSchema, summary: 'Drain the queue: nothing new starts on any node, running jobs finish; `drain.state` goes draining → drained (with a queue.updated event) once no job runs. POST /api/media/queue/resume ends it' }),
  getSchedules: op({ access: 'read', method: 'GET', path: '/api/media/schedules', input: noInput, output: scheduleStateSchema, summary: 'Time windows per category (local time) and the GPU yield: the settings, and whether each category is open on this node now' }),
  setSchedules: op({ access: 'admin', method: 'PUT', path: '/api/media/schedules', input: scheduleSettingsInputSchema, output: scheduleStateSchema, summary: 'Change the time windows (`windows` replaces the list), their time zone or the GPU yield; stored for every node and applied at once. 400 VALIDATION_FAILED names the field' }),
  getWatchSettings: op({ access: 'read', method: 'GET', path: '/api/media/watch', input: noInput, output: watchStateSchema, summary: 'Watched folders: the settings (stored, or the MEDIA_WATCH* defaults) and what this node watches now' }),
  setWatchSettings: op({ access: 'admin', method: 'PUT', path: '/api/media/watch', input: watchSettingsInputSchema, output: watchStateSchema, summary: 'Change the watched folders (fields left out keep their values); stored for every node and applied at once. A folder outside the library is refused (400 VALIDATION_FAILED)' }),
  getJobResult: op({ access: 'read', method: 'GET', path: '/api/media/jobs/:id/result', input: job.jobIdInputSchema, output: transcode.jobResultSchema, summary: 'What a transcode or re-encode job did: outcome (replaced, copied, kept_original, skipped, failed), the reason, sizes, codecs, encoder and the checks passed (404 before it wrote one)' }),
  getSavings: op({ access: 'read', method: 'GET', path: '/api/media/savings', input: transcode.savingsQuerySchema, output: transcode.savingsSchema, summary: 'Space saved by transcoding, computed from the savings ledger (every transcode and re-encode writes a row), grouped by day, codec, folder or node' }),
  getVideoTranscodes: op({ access: 'read', method: 'GET', path: '/api/media/videos/:id/transcodes', input: video.videoIdInputSchema, output: transcode.videoTranscodesSchema, summary: "A video's replace/restore history and its quarantined original (while it can be restored)" }),
  restoreVideo: op({ access: 'operate', method: 'POST', path: '/api/media/videos/:id/restore', input: video.videoIdInputSchema, output: transcode.restoreOutputSchema, summary: 'Put the original a replace moved to .quarantine/ back under its name (within MEDIA_QUARANTINE_DAYS); the video keeps its id. 404 when nothing is quarantined, 409 INVALID_TRANSITION when its name is taken or a swap is in progress' }),
  listPipelines: op({ access: 'read', method: 'GET', path: '/api/media/pipelines', input: noInput, output: pipeline.pipelineListSchema, summary: 'The pipelines (trigger, conditions, steps), by name, with their run counts and last run' }),
  createPipeline: op({ access: 'admin', method: 'POST', path: '/api/media/pipelines', input: pipeline.createPipelineInputSchema, output: pipeline.pipelineSchema, creates: true, summary: 'Create a pipeline from a whole document, or from a built-in `template` with the fields given overriding it; 400 VALIDATION_FAILED names the step and field, 409 NAME_TAKEN' }),
  getPipeline: op({ access: 'read', method: 'GET', path: '/api/media/pipelines/:id', input: pipeline.pipelineIdInputSchema, output: pipeline.pipelineSchema, summary: 'One pipeline' }),
  updatePipeline: op({ access: 'admin', method: 'PUT', path: '/api/media/pipelines/:id', input: pipeline.updatePipelineInputSchema, output: pipeline.pipelineSchema, summary: 'Replace a pipeline\'s document and enabled switch; `version` must be the one read (409 VERSION_CONFLICT when it was changed meanwhile). Runs in progress go on with the version they started with' }),
  deletePipeline: op({ access: 'admin', method: 'DELETE', path: '/api/media/pipelines/:id', input: pipeline.pipelineIdInputSchema, output: pipeline.deletePipelineOutputSchema, summary: 'Delete a pipeline (its runs stay in the history; runs in progress go on to their end)' }),
  dryRunPipeline: op({ access: 'operate', method: 'POST', path: '/api/media/pipelines/:id/dry-run', input: pipeline.pipelineRunInputSchema, output: pipeline.dryRunSchema, summary: 'Evaluate the pipeline over the library (or `videoIds`) without creating jobs: what would run, and why each other video is skipped' }),
  runPipeline: op({ access: 'operate', method: 'POST', path: '/api/media/pipelines/:id/run', input: pipeline.pipelineRunInputSchema, output: pipeline.runPipelineOutputSchema, summary: 'Run the pipeline now over the library (or `videoIds`): one run per matching video; content it processed already is skipped unless `force`' }),
  listPipelineRuns: op({ access: 'read', method: 'GET', path: '/api/media/pipelines/:id/runs', input: pipeline.pipelineRunListInputSchema, output: pipeline.pipelineRunListSchema, summary: "A pipeline's runs, newest first, with their steps and jobs" }),
  getPipelineRun: op({ access: 'read', method: 'GET', path: '/api/media/pipeline-runs/:id', input: pipeline.pipelineRunIdInputSchema, output: pipeline.pipelineRunSchema, summary: 'One pipeline run: its video, steps, jobs and timings' }),
  listPipelineTemplates: op({ access: 'read', method: 'GET', path: '/api/media/pipeline-templates', input: noInput, output: pipeline.pipelineTemplateListSchema, summary: 'The built-in pipeline templates (create one with POST /api/media/pipelines {template})' }),
  getNotifications: op({ access: 'read', method: 'GET', path: '/api/media/notifications', input: noInput, output: notifications.notificationSettingsViewSchema, summary: 'Notification rules (job failed, pipeline run failed, queue drained, disk space low, node offline; channels desktop, browser, webhooks; throttle) and webhooks. Webhook secrets are never returned: `secretSet` says whether one is set' }),
  setNotifications: op({ access: 'admin', method: 'PUT', path: '/api/media/notifications', input: notifications.notificationSettingsInputSchema, output: notifications.notificationSettingsViewSchema, summary: 'Replace the notification rules and webhooks (http/https URLs only); a webhook without `secret` keeps its stored secret, `secret: null` removes it. Stored for every node and applied at once. 400 VALIDATION_FAILED names the field' }),
  testNotification: op({ access: 'operate', method: 'POST', path: '/api/media/notifications/test', input: notifications.testNotificationInputSchema, output: notifications.testNotificationOutputSchema, summary: 'Send a test notification to one channel: desktop or browser (a `notification` event), or a webhook (`webhookId`: one try, its delivery answered)' }),
  listNotificationDeliveries: op({ access: 'read', method: 'GET', path: '/api/media/notifications/deliveries', input: notifications.deliveriesQuerySchema, output: notifications.deliveryListSchema, summary: 'The last webhook tries of every node (newest first; the newest 1,000 are kept, in the database): outcome delivered, retrying or failed, HTTP status, error, the node that made it' }),
  getSettings: op({ access: 'read', method: 'GET', path: '/api/media/settings', input: noInput, output: settings.settingsStateSchema, summary: 'Runtime settings in force on this node (slots per category, VRAM headroom, retention days, hang timeout), with the fields an environment variable locks (field → variable)' }),
  setSettings: op({ access: 'admin', method: 'PUT', path: '/api/media/settings', input: settings.runtimeSettingsInputSchema, output: settings.settingsStateSchema, summary: 'Change runtime settings (fields left out keep their values); stored for every node and applied at once, without a restart. 400 VALIDATION_FAILED names the field; 409 SETTING_LOCKED for a field an environment variable sets' }),
  exportSettings: op({ access: 'read', method: 'GET', path: '/api/media/settings/export', input: noInput, output: settings.settingsExportSchema, summary: 'One JSON document with the runtime settings, watched folders, time windows, notification rules and webhooks (without their secrets) and pipelines, for POST /api/media/settings/import' }),
  importSettings: op({ access: 'admin', method: 'POST', path: '/api/media/settings/import', input: settings.settingsExportSchema, output: settings.settingsImportResultSchema, summary: 'Apply an exported settings document: all of it is validated first (400 VALIDATION_FAILED names the field); pipelines are created or updated by name; fields an environment variable locks here are skipped and listed' }),
  getSession: op({ access: 'read', method: 'GET', path: '/api/auth/session', input: noInput, output: callerSchema, summary: 'Who the caller is: the name and role of the token (the desktop window is admin)' }),
} as const;

export type Operations = typeof OPERATIONS;
export type OperationName = keyof Operations;
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = z.infer<Operations[N]['output']>;

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];
