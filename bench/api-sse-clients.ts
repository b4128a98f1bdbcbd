/**
 * SSE clients for the `api` section's create benchmark, run as their own process (so parsing
 * their events does not stall the event loop that times the creates): opens N event streams on
 * the headless server, each with its own one-time ticket (POST /api/media/events/ticket with the
 * bearer token, then GET /api/media/events?ticket=…&batch=2, as the web UI's EventSource does), and
 * reads every frame: SSE framing split, `data:` JSON-parsed, counted by event type, the ids of
 * `job.created` events kept per client. Like the web UI (src/renderer/src/api/event-stream.ts) it
 * asks for batched frames: a `job.created.batch` frame carries the fields its jobs share once and
 * each job's own fields; each job is counted as one job.created received (`createdEvents`; frames
 * stay counted per frame). Like the clients before batches, they parse and count; filling each job's
 * shared fields back in (expandCreatedBatch) is the UI's own work and is not done here.
 *
 * Protocol: JSON lines. The process prints {"type":"ready",…} once every stream is open and its
 * preamble read. On stdin, {"cmd":"expect","ids":[…]} waits (up to 60 s) until every client has
 * seen a job.created for each id and prints {"type":"report",…}; {"cmd":"close"} closes the
 * streams and exits 0.
 *
 *   node --import tsx bench/api-sse-clients.ts <server url> <token> <clients>
 */
import { request, type IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { CREATED_BATCH_EVENT, type CreatedBatch } from '../src/shared/contracts/event-frames';

const [url, token, countText] = process.argv.slice(2);
const COUNT = Number(countText);
const EXPECT_TIMEOUT_MS = 60_000;

interface Client {
  readonly created: Set<string>;
  frames: number;
  /** job.created events received, a batch frame counting each of its jobs. */
  createdEvents: number;
  bytes: number;
  parseErrors: number;
  closed: boolean;
  response: IncomingMessage;
}

const byType = new Map<string, number>();
const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function ticket(): Promise<string> {
  const res = await fetch(`${url}/api/media/events/ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { ticket?: string };
  if (!res.ok || !body.ticket) throw new Error(`ticket: ${res.status} ${JSON.stringify(body)}`);
  return body.ticket;
}

/** Parses one SSE frame (lines up to a blank line); comments (`: keep-alive`) are skipped. */
function onFrame(client: Client, frame: string): void {
  let event = 'message';
  let data = '';
  for (const line of frame.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (data === '') return; // retry:, comments
  client.frames += 1;
  byType.set(event, (byType.get(event) ?? 0) + 1);
  try {
    const parsed = JSON.parse(data) as { type?: string; job?: { id?: string } } & Partial<CreatedBatch>;
    if (event === CREATED_BATCH_EVENT) {
      // each job of the batch is one job.created (the web UI then fills in the shared fields: its
      // own work, on its own machine, left out here as the UI's rendering is)
      if (!Array.isArray(parsed.jobs) || typeof parsed.shared?.type !== 'string') client.parseErrors += 1;
      else
        for (const job of parsed.jobs) {
          client.createdEvents += 1;
          if (typeof job.id === 'string') client.created.add(job.id);
          else client.parseErrors += 1;
        }
    } else if (parsed.type !== event) client.parseErrors += 1;
    else if (event === 'job.created' && parsed.job?.id) {
      client.createdEvents += 1;
      client.created.add(parsed.job.id);
    }
  } catch {
    client.parseErrors += 1;
  }
}

function open(ticketValue: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/media/events?ticket=${encodeURIComponent(ticketValue)}&batch=2`, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      const client: Client = { created: new Set(), frames: 0, createdEvents: 0, bytes: 0, parseErrors: 0, closed: false, response: res };
      let buffer = '';
      let ready = false;
      res.on('data', (chunk: string) => {
        client.bytes += chunk.length;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
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

async function main(): Promise<void> {
  if (!url || !token || !Number.isInteger(COUNT) || COUNT <= 0) throw new Error('usage: api-sse-clients.ts <url> <token> <clients>');
  const clients: Client[] = [];
  for (let i = 0; i < COUNT; i++) clients.push(await open(await ticket()));
  send({ type: 'ready', clients: clients.length });

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const message = JSON.parse(line) as { cmd: 'expect'; ids: string[] } | { cmd: 'close' };
    if (message.cmd === 'close') break;
    const t0 = performance.now();
    const complete = () => clients.filter((c) => message.ids.every((id) => c.created.has(id))).length;
    let done = complete();
    while (done < clients.length && performance.now() - t0 < EXPECT_TIMEOUT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = complete();
    }
    const frames = clients.map((c) => c.frames);
    send({
      type: 'report',
      clients: clients.length,
      complete: done,
      closed: clients.filter((c) => c.closed).length,
      expected: message.ids.length,
      fewestCreatedSeen: Math.min(...clients.map((c) => message.ids.filter((id) => c.created.has(id)).length)),
      frames: { min: Math.min(...frames), max: Math.max(...frames), total: frames.reduce((a, b) => a + b, 0) },
      createdEvents: { min: Math.min(...clients.map((c) => c.createdEvents)), max: Math.max(...clients.map((c) => c.createdEvents)) },
      bytes: clients.reduce((a, c) => a + c.bytes, 0),
      parseErrors: clients.reduce((a, c) => a + c.parseErrors, 0),
      byType: Object.fromEntries(byType),
      waitedMs: Math.round(performance.now() - t0),
    });
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
