/**
 * Live events of the runtime: the one definition shared by the runtime, the IPC bridge, the SSE
 * stream and the UI.
 */
import type { Job, Stats } from './job';

export type MediaEvent =
  | { readonly type: 'job.created'; readonly job: Job }
  | { readonly type: 'job.updated'; readonly job: Job }
  | { readonly type: 'job.progress'; readonly jobId: string; readonly progress: number }
  | { readonly type: 'job.log'; readonly jobId: string; readonly at: string; readonly text: string }
  /** Raw output of the running tool (batched), for a terminal-style viewer. */
  | { readonly type: 'job.console'; readonly jobId: string; readonly text: string }
  | { readonly type: 'stats.changed'; readonly stats: Stats };

export type MediaEventType = MediaEvent['type'];
