/**
 * The batched form of the event stream, for clients that open it with `batch=3` (the web UI and the
 * bench's SSE clients), `batch=2` or `batch=1` (earlier forms, below). Within the entries of one
 * flush, every run of two or more consecutive `job.created` entries becomes ONE frame:
 *
 *   id: <the run's last id>\nevent: job.created.batch\ndata: <the run's jobs>\n\n
 *
 * `data` holds each job in the short form of a `job.created` frame (shared/contracts/event-frames.ts):
 *   - `batch=3`: `{shared, count, columns}`, the fields all jobs of the run share once and every
 *     other field as a column of values (created-batch-columns.ts), or `{shared, jobs}` for a run
 *     whose jobs have different fields;
 *   - `batch=2`: `{shared, jobs}`, the shared fields once and each job's own fields (CreatedBatch);
 *   - `batch=1`: the bare array of the short jobs.
 * A run of one stays a plain `job.created` frame (its cached bytes, the same a non-batching client
 * gets), and every other event keeps its own frame and its place. Why: with 200 clients each create
 * was 200 frames to parse on the clients' side, ~1 µs+ each whatever the size; a burst of creates
 * now costs each client one frame per flush, and (`batch=3`) ~29 bytes a job.
 *
 * Resuming stays exact: the batch's id is its last event's id, so Last-Event-ID after it replays
 * from the next event (nothing in the run twice, nothing after it skipped).
 */
import { columnizeCreatedBatch } from '../../shared/contracts/created-batch-columns';
import { CREATED_BATCH_EVENT, splitCreatedBatch } from '../../shared/contracts/event-frames';
import type { JournalEntry } from './event-journal';

/**
 * The forms of `data` a batch frame has: `columns` ({shared, count, columns}, `batch=3`, the web
 * UI's), `shared` ({shared, jobs}, `batch=2`) and `array` (a bare array of short jobs, `batch=1`);
 * the earlier forms stay for clients opened before the later ones existed, such as a browser tab
 * left open across an upgrade.
 */
export type BatchForm = 'array' | 'shared' | 'columns';

/** The batch's `data` in `form`: JSON.stringify of what shared/contracts builds (tested against it). */
function batchData(run: readonly JournalEntry[], form: BatchForm): string {
  if (form === 'array') return `[${run.map((entry) => entry.createdJson).join(',')}]`;
  const split = splitCreatedBatch(run.map((entry) => entry.createdJob));
  return JSON.stringify(form === 'shared' ? split : columnizeCreatedBatch(split));
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
