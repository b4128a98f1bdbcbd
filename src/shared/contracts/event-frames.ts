/**
 * The wire form of `job.created` on the event stream (SSE). A job just created has most of its
 * fields at the same initial values (no progress, not started, no error, no node …); its frame
 * leaves those out and readers put them back (expandCreatedJob), so a frame of ~550 bytes becomes
 * ~330. Each create is written to every connected client and parsed by each of them: with 200
 * clients that is what a create costs beyond its insert. Lossless: a field is left out only when
 * it equals its initial value, so expanding gives back exactly the job that was sent. Other
 * events, and the desktop app's IPC, carry whole jobs.
 *
 * A client that opens the stream with `batch=1` (the web UI does) also receives `job.created.batch`
 * frames: a run of two or more consecutive `job.created` events of one server flush as ONE frame
 * whose `data` is the array of their jobs, each in exactly this short form, in order, and whose
 * `id` is the id of the run's last event. Parsing costs each client about the same per frame
 * whatever its size, so under a burst of creates this divides the frames a client reads.
 */
import type { Job } from './job';

/** The SSE event name of a batch of `job.created` jobs (only for clients that ask with `batch=1`). */
export const CREATED_BATCH_EVENT = 'job.created.batch';

/** The fields a `job.created` frame leaves out when they hold these values. */
export const NEW_JOB_INITIAL_FIELDS = {
  progress: 0,
  queuePosition: null,
  waitingReason: null,
  startedAt: null,
  completedAt: null,
  retryCount: 0,
  retryAfter: null,
  lastError: null,
  nodeId: null,
  pipelineRunId: null,
  parentJobId: null,
  cancelling: false,
} as const satisfies Partial<Job>;

const INITIAL: Readonly<Record<string, unknown>> = NEW_JOB_INITIAL_FIELDS;

/** The job as a `job.created` frame carries it: the fields at their initial value left out. */
export function compactCreatedJob(job: Job): Partial<Job> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(job)) {
    if (!(Object.hasOwn(INITIAL, key) && INITIAL[key] === value)) out[key] = value;
  }
  return out as Partial<Job>;
}

/** A `job.created` frame's job made whole again (the left-out fields at their initial values). */
export function expandCreatedJob(job: Partial<Job>): Job {
  return { ...NEW_JOB_INITIAL_FIELDS, ...job } as Job;
}
