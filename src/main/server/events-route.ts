/**
 * Server-sent events at /api/media/events: job created/updated/progress/log and stats changes,
 * numbered so a client resumes with Last-Event-ID (header, or `lastEventId` in the query for
 * clients that cannot set headers). Access control happens before (bearer header or ticket, read role).
 */
import type { FastifyInstance } from 'fastify';
import type { EventJournal } from './event-journal';

const HEARTBEAT_MS = 15_000;
/** A client this far behind is disconnected; it reconnects with Last-Event-ID and catches up. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

function lastSeenId(header: string | string[] | undefined, query: unknown, fallback: number): number {
  const fromQuery = (query as Record<string, string | undefined>).lastEventId;
  const raw = (Array.isArray(header) ? header[0] : header) ?? fromQuery;
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function registerEventsRoute(app: FastifyInstance, journal: EventJournal): void {
  const open = new Set<() => void>();
  // preClose, not onClose: the server waits for open connections before onClose runs, and an
  // event stream never ends by itself, so a SIGTERM would otherwise hang with the port closed
  app.addHook('preClose', async () => {
    for (const close of open) close();
  });

  app.get('/api/media/events', { config: { access: 'read', eventTicket: true }, exposeHeadRoute: false }, (request, reply) => {
    const lastSeen = lastSeenId(request.headers['last-event-id'], request.query, journal.lastId);
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');
    const backlog = journal.since(lastSeen);
    if (!backlog.complete) raw.write(`event: reset\ndata: ${JSON.stringify({ reason: 'events were missed; reload the state' })}\n\n`);
    for (const entry of backlog.entries) raw.write(entry.frame);

    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(close);
      raw.end();
    };
    const unsubscribe = journal.subscribe((entry) => {
      if (raw.writableLength > MAX_BUFFERED_BYTES) return close();
      // the entry's frame is serialised once and the same bytes go to every client
      raw.write(entry.frame);
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    open.add(close);
    request.raw.on('close', close);
  });
}
