/**
 * SSE clients for the `api` section's create benchmark, run as their own process (so reading their
 * events does not stall the event loop that times the creates): opens N event streams on the
 * headless server, each with its own one-time ticket (POST /api/media/events/ticket with the bearer
 * token, then GET /api/media/events?ticket=…&batch=3, as the web UI's EventSource does), and reads
 * every byte of every stream as bytes: SSE frames split at their blank line, counted by event type.
 * Like a browser's EventSource, each client sends `accept-encoding: gzip` and inflates what it reads
 * (its own zlib stream): the server then sends each flush deflated once for all of them
 * (src/main/server/event-stream-gzip.ts). `bytes` counts what the clients read once inflated,
 * `wireBytes` what came over their sockets.
 *
 * How each client reads a job.created (the `reading` argument):
 *   - `json`: every client JSON-parses every frame (UTF-8 decoded), as the web UI does in its own
 *     browser, and takes each job's id from the parsed object (a `job.created.batch` frame, which
 *     carries the fields its jobs share once and the others in columns, expanded as the UI does).
 *   - `checksum`: the clients stand in for browsers on other machines, so they take as little of
 *     the machine's CPUs as they can: client 0 reads as `json` does (the reference); every other
 *     client only checksums its job.created frames' bytes (CRC-32, zlib's native one), which must
 *     equal the reference's: the same bytes, so the same jobs, parsed or not. (One client in ten
 *     parsing, as before, cost the clients' process ~0.25 of a CPU at ~12,000 creates/s: expanding
 *     each job of a batch into a whole job, as the UI does, ~1 µs a job a client.)
 *
 * Exactly once, cheaply: every client checksums the bytes of its job.created and job.created.batch
 * frames, in order, since the last check (CRC-32 and a byte count); a parsing client also folds the
 * ids it parses, in order, into a hash (FNV-1a) and counts them, and client 0 (always a parsing one)
 * keeps the block's ids in a set. On `expect`, client 0's set must be exactly the ids created and
 * its count their number (each once); every parsing client's count and id hash must equal client
 * 0's; and every client's checksum and byte count must equal client 0's: the same frames, so the
 * same jobs in the same order (all get the same journal). Other frames (stats.changed) are left out
 * of the checksum: one sent while the clients are being checked may reach them on either side of it.
 *
 * Protocol: JSON lines. The process prints {"type":"ready",…} once every stream is open and its
 * preamble read. On stdin, {"cmd":"expect","ids":[…]} waits (up to 60 s) until client 0 has counted
 * that many job.created events since the last expect and every client has read as many job.created
 * bytes as client 0, checks them as above and prints {"type":"report",…}; {"cmd":"close"} closes
 * the streams and exits 0.
 *
 *   node --import tsx bench/api-sse-clients.ts <server url> <token> <clients> <json|checksum>
 */
import { request, type IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { createGunzip, crc32 } from 'node:zlib';
import { CREATED_BATCH_EVENT, expandCreatedBatch } from '../src/shared/contracts/event-frames';

const [url, token, countText, readingText = 'json'] = process.argv.slice(2);
const COUNT = Number(countText);
const EXPECT_TIMEOUT_MS = 60_000;
/** Longer than the server's widest flush window (250 ms, events-route.ts MAX_FLUSH_MS). */
const LATE_FRAME_MS = 400;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const FRAME_END = Buffer.from('\n\n');
const EVENT_FIELD = Buffer.from('event: ');
const DATA_FIELD = Buffer.from('data: ');
const COLON = 0x3a;
const NEWLINE = 0x0a;

interface Client {
  readonly parses: boolean;
  /** Client 0 only: the ids of the block. */
  readonly ids: Set<string> | null;
  /** Parsing clients: job.created events since the last expect, a batch frame counting each of its jobs, and the FNV-1a of their ids in order. */
  created: number;
  hash: number;
  /** Every client: CRC-32 and length of the bytes of its job.created and job.created.batch frames since the last expect. */
  crc: number;
  createdBytes: number;
  frames: number;
  /** Bytes read once inflated, and as they came over the socket. */
  bytes: number;
  wireBytes: number;
  parseErrors: number;
  closed: boolean;
  response: IncomingMessage;
}

const byType = new Map<string, number>();
const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

/** Folds `text` and a separator into `hash` (FNV-1a, 32 bits). */
function fold(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return Math.imul(h ^ 0x0a, FNV_PRIME) >>> 0;
}

/** The ids of a job.created or job.created.batch frame's data, parsed and expanded as the UI does; null when it is not one. */
function parsedIds(event: string, data: string): string[] | null {
  if (event === CREATED_BATCH_EVENT) {
    const jobs = expandCreatedBatch(JSON.parse(data));
    return jobs.length >= 2 && jobs.every((job) => typeof job.id === 'string' && job.type !== undefined) ? jobs.map((job) => job.id) : null;
  }
  const parsed = JSON.parse(data) as { type?: string; job?: { id?: string } };
  if (parsed.type !== event) return null;
  if (event !== 'job.created') return [];
  return typeof parsed.job?.id === 'string' ? [parsed.job.id] : null;
}

/** The value of a frame's `name: ` line (up to its newline), or null. */
function field(frame: Buffer, name: Buffer, encoding: 'latin1' | 'utf8'): string | null {
  const at = frame.indexOf(name);
  if (at < 0 || (at > 0 && frame[at - 1] !== NEWLINE)) return null;
  const end = frame.indexOf(NEWLINE, at);
  return frame.toString(encoding, at + name.length, end < 0 ? frame.length : end);
}

/** One SSE frame (lines up to a blank line), as bytes; comments (`: keep-alive`) are skipped. */
function onFrame(client: Client, frame: Buffer): void {
  if (frame[0] === COLON) return;
  const event = field(frame, EVENT_FIELD, 'latin1') ?? 'message';
  client.frames += 1;
  byType.set(event, (byType.get(event) ?? 0) + 1);
  const created = event === 'job.created' || event === CREATED_BATCH_EVENT;
  if (created) {
    client.crc = crc32(frame, client.crc);
    client.createdBytes += frame.length;
  }
  if (!client.parses) return;
  try {
    const ids = parsedIds(event, field(frame, DATA_FIELD, 'utf8') ?? '');
    if (ids === null) return void (client.parseErrors += 1);
    for (const id of ids) {
      client.hash = fold(client.hash, id);
      client.ids?.add(id);
    }
    client.created += ids.length;
  } catch {
    client.parseErrors += 1;
  }
}

function open(ticketValue: string, index: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const headers = { accept: 'text/event-stream', 'accept-encoding': 'gzip' };
    const req = request(`${url}/api/media/events?ticket=${encodeURIComponent(ticketValue)}&batch=3`, { agent: false, headers }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream answered ${res.statusCode}`));
      const parses = readingText === 'json' || index === 0;
      const client: Client = { parses, ids: index === 0 ? new Set() : null, created: 0, hash: FNV_OFFSET, crc: 0, createdBytes: 0, frames: 0, bytes: 0, wireBytes: 0, parseErrors: 0, closed: false, response: res };
      let rest: Buffer | null = null;
      let ready = false;
      res.on('data', (chunk: Buffer) => void (client.wireBytes += chunk.length));
      const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      body.on('error', () => (client.closed = true));
      body.on('data', (chunk: Buffer) => {
        client.bytes += chunk.length;
        // look for a frame's end only in what is new (and the one byte before it)
        const from = rest === null ? 0 : rest.length - 1;
        const buffer = rest === null ? chunk : Buffer.concat([rest, chunk]);
        let start = 0;
        let end = buffer.indexOf(FRAME_END, from);
        while (end >= 0) {
          const frame = buffer.subarray(start, end);
          if (!ready && frame.toString('latin1', 0, 6) === 'retry:') {
            ready = true;
            resolve(client);
          } else onFrame(client, frame);
          start = end + FRAME_END.length;
          end = buffer.indexOf(FRAME_END, start);
        }
        rest = start < buffer.length ? buffer.subarray(start) : null;
      });
      res.on('close', () => (client.closed = true));
      res.on('error', () => (client.closed = true));
    });
    req.on('error', reject);
    req.end();
  });
}

async function ticket(): Promise<string> {
  const res = await fetch(`${url}/api/media/events/ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { ticket?: string };
  if (!res.ok || !body.ticket) throw new Error(`ticket: ${res.status} ${JSON.stringify(body)}`);
  return body.ticket;
}

/** Waits until every client has counted `expected` job.created events (or the time is up), then checks them exactly once each. */
async function check(clients: readonly Client[], ids: readonly string[]) {
  const t0 = performance.now();
  const reference = clients[0]!;
  const waiting = () =>
    (reference.created < ids.length && !reference.closed) || clients.some((c) => !c.closed && (c.createdBytes < reference.createdBytes || (c.parses && c.created < ids.length)));
  while (waiting() && performance.now() - t0 < EXPECT_TIMEOUT_MS) await new Promise((resolve) => setTimeout(resolve, 50));
  // a duplicate would come in a later flush: wait longer than the server's widest window before judging
  await new Promise((resolve) => setTimeout(resolve, LATE_FRAME_MS));
  const referenceExact = reference.created === ids.length && reference.ids!.size === ids.length && ids.every((id) => reference.ids!.has(id));
  const same = (c: Client) => c.crc === reference.crc && c.createdBytes === reference.createdBytes && (!c.parses || (c.created === reference.created && c.hash === reference.hash));
  const complete = referenceExact ? clients.filter(same).length : 0;
  // a client that read the same bytes as client 0 got the same job.created events
  const created = clients.map((c) => (c.parses ? c.created : same(c) ? reference.created : -1));
  const frames = clients.map((c) => c.frames);
  const report = {
    type: 'report',
    clients: clients.length,
    reading: readingText,
    parsing: clients.filter((c) => c.parses).length,
    complete,
    referenceExact,
    closed: clients.filter((c) => c.closed).length,
    expected: ids.length,
    frames: { min: Math.min(...frames), max: Math.max(...frames), total: frames.reduce((a, b) => a + b, 0) },
    createdEvents: { min: Math.min(...created), max: Math.max(...created) },
    bytes: clients.reduce((a, c) => a + c.bytes, 0),
    wireBytes: clients.reduce((a, c) => a + c.wireBytes, 0),
    parseErrors: clients.reduce((a, c) => a + c.parseErrors, 0),
    byType: Object.fromEntries(byType),
    waitedMs: Math.round(performance.now() - t0),
  };
  // the next block starts counting afresh
  for (const c of clients) {
    c.created = 0;
    c.hash = FNV_OFFSET;
    c.crc = 0;
    c.createdBytes = 0;
    c.ids?.clear();
  }
  return report;
}

async function main(): Promise<void> {
  if (!url || !token || !Number.isInteger(COUNT) || COUNT <= 0 || (readingText !== 'json' && readingText !== 'checksum')) {
    throw new Error('usage: api-sse-clients.ts <url> <token> <clients> <json|checksum>');
  }
  const clients: Client[] = [];
  for (let i = 0; i < COUNT; i++) clients.push(await open(await ticket(), i));
  send({ type: 'ready', clients: clients.length });

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const message = JSON.parse(line) as { cmd: 'expect'; ids: string[] } | { cmd: 'close' };
    if (message.cmd === 'close') break;
    send(await check(clients, message.ids));
  }
  for (const c of clients) c.response.destroy();
  lines.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`api-sse-clients: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
