/**
 * SSE clients for the `api` section's create benchmark, run as their own process (so reading their
 * events does not stall the event loop that times the creates): opens N event streams on the
 * headless server, each with its own one-time ticket (POST /api/media/events/ticket with the bearer
 * token, then GET /api/media/events?ticket=…&batch=2, as the web UI's EventSource does), and reads
 * every byte of every stream: SSE framing split, frames counted by event type, every job.created
 * counted (a `job.created.batch` frame, which carries the fields its jobs share once and each job's
 * own fields, counts each of its jobs).
 *
 * How each client reads a job.created (the `reading` argument):
 *   - `json`: every client JSON-parses every frame, as the web UI does in its own browser.
 *   - `scan`: the clients stand in for browsers on other machines, so they take as little of the
 *     server's two cores as they can: each finds its jobs' ids in the frame's text (every job object
 *     of a batch starts with `{"id":"`) without parsing it. One client in PARSE_EVERY still
 *     JSON-parses every frame and fails the run if its parse and its scan of the same frame disagree.
 *
 * Exactly once, cheaply: every client folds the ids it receives, in order, into a hash (FNV-1a) and
 * counts them; client 0 (always a parsing one) also keeps the block's ids in a set. On `expect`, client
 * 0's set must be exactly the ids created and its count their number (each once), and every other
 * client's count and hash must equal client 0's: the same ids in the same order (all get the same
 * journal). 200 sets of every id (the check before) cost the clients' process more than its parsing.
 *
 * Protocol: JSON lines. The process prints {"type":"ready",…} once every stream is open and its
 * preamble read. On stdin, {"cmd":"expect","ids":[…]} waits (up to 60 s) until every client has
 * counted that many job.created events since the last expect, checks them as above and prints
 * {"type":"report",…}; {"cmd":"close"} closes the streams and exits 0.
 *
 *   node --import tsx bench/api-sse-clients.ts <server url> <token> <clients> <json|scan>
 */
import { request, type IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { CREATED_BATCH_EVENT, type CreatedBatch } from '../src/shared/contracts/event-frames';

const [url, token, countText, readingText = 'json'] = process.argv.slice(2);
const COUNT = Number(countText);
const EXPECT_TIMEOUT_MS = 60_000;
/** Longer than the server's widest flush window (250 ms, events-route.ts MAX_FLUSH_MS). */
const LATE_FRAME_MS = 400;
/** With `scan`, one client in this many also JSON-parses every frame and checks its scan against it. */
const PARSE_EVERY = 10;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const JOB_START = '{"id":"';

interface Client {
  readonly parses: boolean;
  /** Client 0 only: the ids of the block. */
  readonly ids: Set<string> | null;
  /** job.created events since the last expect, a batch frame counting each of its jobs, and the FNV-1a of their ids in order. */
  created: number;
  hash: number;
  frames: number;
  bytes: number;
  parseErrors: number;
  closed: boolean;
  response: IncomingMessage;
}

const byType = new Map<string, number>();
const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

/** Folds `text[start, end)` and a separator into `hash` (FNV-1a, 32 bits). */
function fold(hash: number, text: string, start: number, end: number): number {
  let h = hash;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return Math.imul(h ^ 0x0a, FNV_PRIME) >>> 0;
}

/** The ids of a batch frame's jobs found in its text, without parsing: their count and hash. */
function scanBatch(data: string, hash: number): { count: number; hash: number } | null {
  let at = data.indexOf('"jobs":[');
  if (at < 0) return null;
  let count = 0;
  while ((at = data.indexOf(JOB_START, at)) >= 0) {
    const start = at + JOB_START.length;
    const end = data.indexOf('"', start);
    if (end < 0) return null;
    hash = fold(hash, data, start, end);
    count += 1;
    at = end;
  }
  return { count, hash };
}

/** Parses a batch frame's data as the UI does: its jobs' count and hash, the ids added to `ids`. */
function parseBatch(data: string, hash: number, ids: Set<string> | null): { count: number; hash: number } | null {
  const parsed = JSON.parse(data) as Partial<CreatedBatch>;
  if (!Array.isArray(parsed.jobs) || typeof parsed.shared?.type !== 'string') return null;
  for (const job of parsed.jobs) {
    if (typeof job.id !== 'string') return null;
    hash = fold(hash, job.id, 0, job.id.length);
    ids?.add(job.id);
  }
  return { count: parsed.jobs.length, hash };
}

/** One SSE frame (lines up to a blank line); comments (`: keep-alive`) and `retry:` are skipped. */
function onFrame(client: Client, frame: string): void {
  let event = 'message';
  let data = '';
  for (const line of frame.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (data === '') return;
  client.frames += 1;
  byType.set(event, (byType.get(event) ?? 0) + 1);
  try {
    if (event === CREATED_BATCH_EVENT) {
      const scanned = client.parses ? null : scanBatch(data, client.hash);
      const read = client.parses ? parseBatch(data, client.hash, client.ids) : scanned;
      // a parsing client in scan mode checks the scan the others rely on, on the same bytes
      const check = client.parses && readingText === 'scan' ? scanBatch(data, client.hash) : read;
      if (!read || !check || check.count !== read.count || check.hash !== read.hash) return void (client.parseErrors += 1);
      client.created += read.count;
      client.hash = read.hash;
    } else if (event === 'job.created' || client.parses) {
      const parsed = JSON.parse(data) as { type?: string; job?: { id?: string } };
      if (parsed.type !== event) return void (client.parseErrors += 1);
      const id = parsed.job?.id;
      if (event !== 'job.created') return;
      if (typeof id !== 'string') return void (client.parseErrors += 1);
      client.created += 1;
      client.hash = fold(client.hash, id, 0, id.length);
      client.ids?.add(id);
    }
  } catch {
    client.parseErrors += 1;
  }
}

function open(ticketValue: string, index: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/media/events?ticket=${encodeURIComponent(ticketValue)}&batch=2`, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      const parses = readingText === 'json' || index % PARSE_EVERY === 0;
      const client: Client = { parses, ids: index === 0 ? new Set() : null, created: 0, hash: FNV_OFFSET, frames: 0, bytes: 0, parseErrors: 0, closed: false, response: res };
      let buffer = '';
      let ready = false;
      res.on('data', (chunk: string) => {
        client.bytes += chunk.length;
        // look for a frame's end only in what is new (and the one character before it)
        let from = Math.max(0, buffer.length - 1);
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n', from)) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          from = 0;
          if (!ready && frame.startsWith('retry:')) {
            ready = true;
            resolve(client);
          } else onFrame(client, frame);
        }
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
  while (clients.some((c) => c.created < ids.length && !c.closed) && performance.now() - t0 < EXPECT_TIMEOUT_MS) await new Promise((resolve) => setTimeout(resolve, 50));
  // a duplicate would come in a later flush: wait longer than the server's widest window before judging
  await new Promise((resolve) => setTimeout(resolve, LATE_FRAME_MS));
  const reference = clients[0]!;
  const referenceExact = reference.created === ids.length && reference.ids!.size === ids.length && ids.every((id) => reference.ids!.has(id));
  const complete = referenceExact ? clients.filter((c) => c.created === reference.created && c.hash === reference.hash).length : 0;
  const created = clients.map((c) => c.created);
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
    parseErrors: clients.reduce((a, c) => a + c.parseErrors, 0),
    byType: Object.fromEntries(byType),
    waitedMs: Math.round(performance.now() - t0),
  };
  // the next block starts counting afresh
  for (const c of clients) {
    c.created = 0;
    c.hash = FNV_OFFSET;
    c.ids?.clear();
  }
  return report;
}

async function main(): Promise<void> {
  if (!url || !token || !Number.isInteger(COUNT) || COUNT <= 0 || (readingText !== 'json' && readingText !== 'scan')) {
    throw new Error('usage: api-sse-clients.ts <url> <token> <clients> <json|scan>');
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
