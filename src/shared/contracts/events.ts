/**
 * Live events of the runtime: the one definition shared by the runtime, the IPC bridge, the SSE
 * stream and the UI.
 */
import type { Job, QueueState, Stats } from './job';
import type { PipelineRun } from './pipeline';
import type { Notification } from './notifications';

export type MediaEvent =
  | { readonly type: 'job.created'; readonly job: Job }
  | { readonly type: 'job.updated'; readonly job: Job }
  | { readonly type: 'job.progress'; readonly jobId: string; readonly progress: number }
  | { readonly type: 'job.log'; readonly jobId: string; readonly at: string; readonly text: string }
  /** Raw output of the running tool (batched), for a terminal-style viewer. */
  | { readonly type: 'job.console'; readonly jobId: string; readonly text: string }
  | { readonly type: 'stats.changed'; readonly stats: Stats }
  /** A pipeline run started, moved on (a step started or ended) or ended; from the node that did it. */
  | { readonly type: 'pipeline.run.updated'; readonly run: PipelineRun }
  /** The queue's state changed by itself or through another caller: a drain began, drained or ended. */
  | { readonly type: 'queue.updated'; readonly queue: QueueState }
  /** A notification rule fired (or a test): `notification.channels` says whether the desktop app and the browser show it. */
  | { readonly type: 'notification'; readonly notification: Notification };

export type MediaEventType = MediaEvent['type'];
