/**
 * Server-sent events at /api/media/events: job created/updated/progress/log and stats changes,
 * numbered so a client resumes with Last-Event-ID (header, or `lastEventId` in the query for
 * clients that cannot set headers). Access control happens before (bearer header or ticket, read role).
 *
 * Delivery is batched (EventBroadcaster): the events of a short window (FLUSH_MS, 50 ms, widened
 * past 40 clients to keep the socket writes within WRITES_PER_SECOND, at most MAX_FLUSH_MS; sooner
 * when events are sparse: an event after a quiet spell goes out at the next turn of the event
 * loop) are joined into one buffer written once per client, with superseded `stats.changed` and
 * per-job `job.progress` frames left out. A live event so reaches a client at most one window later
 * than it would one by one; job.created/updated/log frames are never left out, and ids still
 * increase, so Last-Event-ID resumes where the client stopped.
 *
 * `batch=3` (query; `0` or absent: off, anything else: 400 VALIDATION_FAILED) asks for batched
 * frames: runs of consecutive job.created events of a flush (and of the backlog) arrive as one
 * `job.created.batch` frame whose data is {shared, count, columns} (event-batch-frames.ts);
 * `batch=2` and `batch=1` get the earlier forms of that frame, {shared, jobs} and a bare array of
 * jobs (clients written before the later forms). Clients without it get one frame per event.
 *
 * A client that reads slower than events arrive is cut off once MAX_BUFFERED_BYTES wait for it (as sent: compressed for a gzip client):
 * it gets a final `event: lagging` frame, the stream ends, and it reconnects with Last-Event-ID
 * (EventSource does so by itself) to catch up from the journal. A client that does not even take
 * that is destroyed after CUT_OFF_GRACE_MS, so what waits for it is freed.
 *
 * A client whose Accept-Encoding takes gzip (every browser's EventSource does) gets the stream
 * gzip-encoded, each flush deflated once for all such clients (event-stream-gzip.ts): ~13 bytes a
 * created job a client instead of ~31 in a burst.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../shared/contracts/errors';
import { BacklogFrames } from './backlog-frames';
import type { BatchForm } from './event-batch-frames';
import { EventBroadcaster, type EventJournal } from './event-journal';
import { acceptsGzip, GzipEventStream } from './event-stream-gzip';
import { sendError } from './http-errors';

const HEARTBEAT_MS = 15_000;
/** A client this far behind is disconnected; it reconnects with Last-Event-ID and catches up. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** How long a cut-off client has to take its last bytes before its connection is destroyed. */
const CUT_OFF_GRACE_MS = 30_000;
/** The batching window of live events (see above). */
const FLUSH_MS = 50;
/**
 * What the fan-out may write per second under a burst: past 40 clients the window widens so that
 * clients × flushes stays within it (100 clients: 125 ms) up to MAX_FLUSH_MS (200 clients); past
 * that the window stays at MAX_FLUSH_MS, so live views never lag more, and the writes grow again.
 * Each write costs the server more than its bytes (a syscall, chunk framing, a loopback segment,
 * a reader woken): 200 sockets written 4 times a second with nothing in them cost a node process
 * 6.5 ms of CPU a second, with 100 kB each 20 ms (measured on loopback); 800 writes a second
 * instead of 2,000 saves about 1 % of a CPU under a burst, for at most 250 ms more lag. The bench
 * (`api.events.fanout_cost.shared_cores`, 200 clients, ~14,000 creates/s) moved from 0.853 and
 * 0.819 to 0.863 and 0.870: within its noise, in the same direction.
 */
const WRITES_PER_SECOND = 800;
const MAX_FLUSH_MS = 250;

const LAGGING_FRAME = Buffer.from(`event: lagging\ndata: ${JSON.stringify({ reason: 'the client fell too far behind; reconnect with Last-Event-ID to catch up' })}\n\n`);
const RESET_FRAME = Buffer.from(`event: reset\ndata: ${JSON.stringify({ reason: 'events were missed; reload the state' })}\n\n`);
const RETRY_PREAMBLE = Buffer.from('retry: 2000\n\n');
const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');

/** What the route writes to one client: its bytes as they are, or gzip-encoded (the same calls). */
interface EventSink {
  send(bytes: Buffer): void;
  end(last?: Buffer): void;
}

function eventSink(raw: FastifyReply['raw'], gzip: boolean): EventSink {
  if (!gzip) return { send: (bytes) => void raw.write(bytes), end: (last) => void (last ? raw.end(last) : raw.end()) };
  const stream = new GzipEventStream({ write: (bytes) => void raw.write(bytes), end: (bytes) => void raw.end(bytes) });
  stream.header();
  return stream;
}

function lastSeenId(header: string | string[] | undefined, query: unknown, fallback: number): number {
  const fromQuery = (query as Record<string, string | undefined>).lastEventId;
  const raw = (Array.isArray(header) ? header[0] : header) ?? fromQuery;
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** The batch form each value of the `batch` query parameter asks for; `0` (or none): one frame per event. */
const BATCH_FORMS: Readonly<Record<string, BatchForm | null>> = { '0': null, '1': 'array', '2': 'shared', '3': 'columns' };
/** The values `batch` takes (the OpenAPI document's enum, the 400's message). */
export const BATCH_VALUES: readonly string[] = Object.keys(BATCH_FORMS);

/** The `batch` query parameter: its batch form, null (one frame per event) for `0` or none, undefined for anything else. */
function batchParam(query: unknown): BatchForm | null | undefined {
  const raw = (query as Record<string, unknown> | undefined)?.batch;
  if (raw === undefined) return null;
  return typeof raw === 'string' && Object.hasOwn(BATCH_FORMS, raw) ? BATCH_FORMS[raw] : undefined;
}

function badBatch(reply: FastifyReply): FastifyReply {
  return sendError(reply, new AppError('VALIDATION_FAILED', `The query parameter batch must be ${BATCH_VALUES.slice(0, -1).join(', ')} or ${BATCH_VALUES.at(-1)}.`, { field: 'batch' }));
}

/** The event stream's timings and limits, for tests (the defaults above otherwise). */
export interface EventStreamOptions {
  readonly flushMs?: number;
  readonly writesPerSecond?: number;
  readonly maxBufferedBytes?: number;
  readonly heartbeatMs?: number;
}

export function registerEventsRoute(app: FastifyInstance, journal: EventJournal, options: EventStreamOptions = {}): void {
  const broadcaster = new EventBroadcaster(journal, { flushMs: options.flushMs ?? FLUSH_MS, writesPerSecond: options.writesPerSecond ?? WRITES_PER_SECOND, maxFlushMs: MAX_FLUSH_MS });
  const maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  const backlogs = new BacklogFrames();
  const open = new Set<() => void>();
  // preClose, not onClose: the server waits for open connections before onClose runs, and an
  // event stream never ends by itself, so a SIGTERM would otherwise hang with the port closed
  app.addHook('preClose', async () => {
    broadcaster.flush();
    for (const close of open) close();
    broadcaster.close();
  });

  app.get('/api/media/events', { config: { access: 'read', eventTicket: true }, exposeHeadRoute: false }, (request, reply) => {
    const batch = batchParam(request.query);
    if (batch === undefined) return badBatch(reply);
    const lastSeen = lastSeenId(request.headers['last-event-id'], request.query, journal.lastId);
    const raw = reply.raw;
    const gzip = acceptsGzip(request.headers['accept-encoding']);
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    const sink = eventSink(raw, gzip);
    sink.send(RETRY_PREAMBLE);

    let closed = false;
    const close = (lagging = false) => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      remove();
      open.delete(close);
      if (!lagging) return sink.end();
      sink.end(LAGGING_FRAME);
      // bytes still waiting for a client that stopped reading are freed after a grace period
      if (!raw.writableFinished) setTimeout(() => raw.destroy(), CUT_OFF_GRACE_MS).unref();
    };
    const { backlog, complete, remove } = broadcaster.add(lastSeen, (bytes) => {
      if (raw.writableLength > maxBuffered) return close(true);
      // the same buffer (the frames of one flush, each serialised once) goes to every client; deflated once for all gzip clients
      sink.send(bytes);
    }, { batch });
    if (!complete) sink.send(RESET_FRAME);
    // clients coming back together share one backlog buffer, and so one deflate of it
    if (backlog.length > 0) sink.send(backlogs.bytesOf(backlog, batch));
    const heartbeat = setInterval(() => sink.send(KEEP_ALIVE), options.heartbeatMs ?? HEARTBEAT_MS);
    open.add(close);
    request.raw.on('close', () => close());
  });
}
