/**
 * The wire form of `job.created` on the event stream (SSE). A job just created has most of its
 * fields at the same initial values (no progress, not started, no error, no node …); its frame
 * leaves those out and readers put them back (expandCreatedJob), so a frame of ~550 bytes becomes
 * ~330. Each create is written to every connected client and parsed by each of them: with 200
 * clients that is what a create costs beyond its insert. Lossless: a field is left out only when
 * it equals its initial value, so expanding gives back exactly the job that was sent. Other
 * events, and the desktop app's IPC, carry whole jobs.
 *
 * A client that opens the stream with `batch=2` also receives `job.created.batch` frames: a run of
 * two or more consecutive `job.created` events of one server flush as ONE frame whose `id` is the
 * id of the run's last event and whose `data` is a CreatedBatch: `shared`, the fields every job of
 * the run has with the same value, once, and `jobs`, each job in the short form above less those
 * fields, in order (expandCreatedBatch gives back the whole jobs). Why: a burst of creates (a
 * pipeline over a folder, a bulk retry) is many jobs of one type, params and priority, so each job
 * then costs a client its id and creation time (~86 bytes) instead of ~290; what every connected
 * client reads per create is what the create costs beyond its insert. `batch=3` (the web UI's)
 * sends the same runs in columns (created-batch-columns.ts, ~29 bytes a job); `batch=1` the bare
 * array of short jobs. expandCreatedBatch reads all three.
 */
import { jobsFromColumns } from './created-batch-columns';
import { isRecord } from './is-record';
import type { Job } from './job';

/** The SSE event name of a batch of `job.created` jobs (only for clients that ask with `batch=1`, `2` or `3`). */
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
  const source = job as unknown as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  // a key loop, not Object.entries: this runs once per create and entries allocated a pair per field
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (!(Object.hasOwn(INITIAL, key) && INITIAL[key] === value)) out[key] = value;
  }
  return out as Partial<Job>;
}

/** A `job.created` frame's job made whole again (the left-out fields at their initial values). */
export function expandCreatedJob(job: Partial<Job>): Job {
  return { ...NEW_JOB_INITIAL_FIELDS, ...job } as Job;
}

/** The `data` of a `job.created.batch` frame: the fields all its jobs share, and each job's own. */
export interface CreatedBatch {
  readonly shared: Partial<Job>;
  readonly jobs: readonly Partial<Job>[];
}

/** Whether every job has `key` with the JSON of `value`, comparing by identity first (most shared fields are the same primitive). */
function sharedByAll(jobs: readonly Readonly<Record<string, unknown>>[], key: string, value: unknown): boolean {
  let json: string | undefined;
  for (const job of jobs) {
    if (!Object.hasOwn(job, key)) return false;
    const other = job[key];
    if (other === value) continue;
    json ??= JSON.stringify(value);
    if (JSON.stringify(other) !== json) return false;
  }
  return true;
}

/**
 * Short jobs (compactCreatedJob) as a CreatedBatch: a field goes to `shared` when every job has it
 * with the same JSON value. Lossless (expandCreatedBatch). Pure. The server builds one per flush
 * of a burst of creates (thousands of jobs a second), hence value comparison before JSON.
 */
export function splitCreatedBatch(jobs: readonly Partial<Job>[]): CreatedBatch {
  const records = jobs as readonly Readonly<Record<string, unknown>>[];
  const first = records[0];
  if (!first || jobs.length < 2) return { shared: {}, jobs };
  const shared: Record<string, unknown> = {};
  for (const key of Object.keys(first)) if (sharedByAll(records, key, first[key])) shared[key] = first[key];
  const own = records.map((job) => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(job)) if (!Object.hasOwn(shared, key)) out[key] = job[key];
    return out as Partial<Job>;
  });
  return { shared: shared as Partial<Job>, jobs: own };
}

/**
 * The whole jobs of a `job.created.batch` frame's parsed `data`, in order; [] for anything that is
 * not a batch. Reads the three forms: {shared, count, columns}, {shared, jobs}, and a bare array
 * (the form before `shared`) as a batch with nothing shared.
 */
export function expandCreatedBatch(data: unknown): Job[] {
  const batch: { shared?: unknown; jobs?: unknown; columns?: unknown } | null = Array.isArray(data) ? { shared: {}, jobs: data } : isRecord(data) ? data : null;
  if (!batch || !isRecord(batch.shared)) return [];
  const shared = batch.shared as Partial<Job>;
  const own = batch.columns !== undefined ? jobsFromColumns(batch) : Array.isArray(batch.jobs) && batch.jobs.every(isRecord) ? (batch.jobs as Partial<Job>[]) : null;
  return own === null ? [] : own.map((job) => ({ ...NEW_JOB_INITIAL_FIELDS, ...shared, ...job }) as Job);
}
