/**
 * The batched form of the event stream, for clients that open it with `batch=2` (the web UI and the
 * bench's SSE clients) or `batch=1` (the first form, below). Within the entries of one flush, every run of two or more consecutive
 * `job.created` entries becomes ONE frame:
 *
 *   id: <the run's last id>\nevent: job.created.batch\ndata: {"shared":{…},"jobs":[<job>,<job>,…]}\n\n
 *
 * each job in the short form of a `job.created` frame less the fields all jobs of the run share,
 * which `shared` carries once (shared/contracts/event-frames.ts, CreatedBatch), in order; with
 * `batch=1` `data` is the bare array of the short jobs.
 * A run of one stays a plain `job.created` frame (its cached bytes, the same a non-batching client
 * gets), and every other event keeps its own frame and its place. Why: with 200 clients each create
 * was 200 frames to parse on the clients' side, ~1 µs+ each whatever the size; a burst of creates
 * now costs each client one frame per flush.
 *
 * Resuming stays exact: the batch's id is its last event's id, so Last-Event-ID after it replays
 * from the next event (nothing in the run twice, nothing after it skipped).
 */
import { CREATED_BATCH_EVENT } from '../../shared/contracts/event-frames';
import type { JournalEntry } from './event-journal';

/**
 * The two forms of `data` a batch frame has: `shared` ({shared, jobs}, `batch=2`, the web UI's) and
 * `array` (a bare array of short jobs, `batch=1`: the first form, kept for clients opened before
 * `shared` existed, such as a browser tab left open across an upgrade).
 */
export type BatchForm = 'array' | 'shared';

/** Whether every job has `key` with the JSON of `value` (splitCreatedBatch's rule), comparing by identity first. */
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
 * The batch's `data`: what JSON.stringify of splitCreatedBatch (or of the bare jobs) gives, byte
 * for byte (tested). The shared fields are found by comparing values (identity, then JSON), and
 * each job's own fields are serialised in one JSON.stringify: with 200 clients a burst of creates is
 * built once per flush, but at thousands of creates a second its cost per job is what the server
 * spends on the stream beyond the writes (per-field JSON joined by hand cost ~5 µs a job).
 */
function batchData(run: readonly JournalEntry[], form: BatchForm): string {
  if (form === 'array') return `[${run.map((entry) => entry.createdJson).join(',')}]`;
  const jobs = run.map((entry) => entry.createdJob as Readonly<Record<string, unknown>>);
  const first = jobs[0]!;
  const shared: Record<string, unknown> = {};
  for (const key of Object.keys(first)) if (sharedByAll(jobs, key, first[key])) shared[key] = first[key];
  const own = jobs.map((job) => {
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(job)) if (!Object.hasOwn(shared, key)) fields[key] = job[key];
    return JSON.stringify(fields);
  });
  return `{"shared":${JSON.stringify(shared)},"jobs":[${own.join(',')}]}`;
}

function batchFrame(run: readonly JournalEntry[], form: BatchForm): Buffer {
  const data = batchData(run, form);
  return Buffer.from(`id: ${run[run.length - 1]!.id}\nevent: ${CREATED_BATCH_EVENT}\ndata: ${data}\n\n`, 'utf8');
}

/** The frames of `entries` as one buffer, runs of consecutive `job.created` merged into batch frames of that form. */
export function joinBatchedFrames(entries: readonly JournalEntry[], form: BatchForm = 'shared'): Buffer {
  const parts: Buffer[] = [];
  let length = 0;
  let i = 0;
  while (i < entries.length) {
    let end = i;
    while (end < entries.length && entries[end]!.event.type === 'job.created') end++;
    let part: Buffer;
    if (end - i >= 2) {
      part = batchFrame(entries.slice(i, end), form);
      i = end;
    } else {
      part = entries[i]!.frame;
      i++;
    }
    parts.push(part);
    length += part.length;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
}
