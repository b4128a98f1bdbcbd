/**
 * api.create.p95_ms and api.events.fanout_cost: POST /api/media/jobs by 50 concurrent clients on
 * the `api` section's headless server process (its million-job store, queue paused so the jobs
 * stay pending), without and with 200 SSE clients reading the event stream, same server, same run.
 *
 * Each run: a warm-up round (not counted), then A B B A four times, rounds of 50 × 300 creates: A = creates
 * with no event-stream client, B = creates with the 200 SSE clients connected (opened before a
 * warm-up round of their own, not counted, then the first B; closed after the second, in their own
 * process: bench/api-sse-clients.ts, one-time ticket each, batched frames (`batch=3`) as the web UI
 * asks for them). A drift of the machine (load, the store growing) hits both sides alike. Each
 * round: every one of the 50 clients sends ROUND_PER_CLIENT creates one after another (node:http,
 * keep-alive, bearer token), each timed from sending to the parsed JSON body (201 with the job's id);
 * the round's wall time gives its throughput. Before the runs, five warm-up rounds.
 *
 * Three runs, on the same server:
 *   - `apart` (api.events.fanout_cost): the server on one CPU, the create clients and the SSE clients
 *     on the other(s) (bench/cpu-placement.ts), as when the clients are browsers on other machines;
 *     the SSE clients read `checksum`: every client checksums its job.created frames' bytes, and
 *     client 0 also JSON-parses and expands every frame as the UI does; their process at nice 19
 *     (APART_SSE_NICE), so that it does not hold the create clients off the CPU they share.
 *   - `shared` (api.events.fanout_cost.shared_cores): the same clients, every process on every CPU.
 *   - `json` (api.events.fanout_cost.parsing_clients, and api.create.p95_ms, the harder case): every
 *     process on every CPU, every SSE client JSON-parsing and expanding every frame.
 * Checked in all: every create answered 201; after the B rounds every SSE client has received a
 * job.created for every job created in them, exactly once (client 0's ids compared with the creates;
 * every other client's job.created bytes, and a parsing client's ids, equal to client 0's), no stream
 * was dropped, no frame failed to parse.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from './api-server';
import { placeApart } from './cpu-placement';
import { atLeast, atMost, type Metric } from './report';
import { percentile, progress } from './support';

export const CREATE_CLIENTS = 50;
export const SSE_CLIENTS = 200;
const ROUND_PER_CLIENT = 300;
/** A B B A blocks. */
const BLOCKS = 4;
/**
 * The SSE clients' niceness in the run with the server on its own CPU: they share the other CPU with
 * the create clients, and at the same priority each flush (200 sockets readable at once, ~20 ms of
 * their work) held the create clients off the CPU, so the server sat idle waiting for requests: a
 * cost of the two client processes sharing one CPU, not of the server. At nice 19 they read in the
 * create clients' idle time (their sockets hold what waits), as browsers on other machines would.
 */
const APART_SSE_NICE = 19;
/** Rounds of creates before the first counted one. */
const WARMUP_ROUNDS = 5;
const WARMUP_PER_CLIENT = 10;
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CREATE_BODY = JSON.stringify({ type: 'scan', params: { directoryType: 'videos', skipExisting: true } });
const CREATE_BODY_BYTES = Buffer.byteLength(CREATE_BODY);

interface Round {
  readonly ms: number[];
  readonly ids: string[];
  readonly wallMs: number;
  /** CPU the server process used during the round (user + system), ms; null off Linux. */
  readonly serverCpuMs: number | null;
  /** CPU this process (the create clients) used during the round, ms. */
  readonly clientCpuMs: number;
}

/** utime + stime of a process in ms (Linux; clock ticks of 10 ms). */
function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[14 - 3]) + Number(fields[15 - 3])) * 10;
  } catch {
    return null;
  }
}

/**
 * The create clients' connections: node:http with keep-alive, one socket per client. Not fetch: undici's
 * fetch cost this process ~0.16 ms of CPU per create, twice the server's whole create, so the
 * rounds measured the load generator (one core at 100 %) more than the server; node:http costs
 * ~0.03 ms.
 */
const createAgent = new Agent({ keepAlive: true, maxSockets: CREATE_CLIENTS });

/** POST /api/media/jobs with the bearer token; resolves with the status and the parsed body. */
function postCreate(server: ServerProcess, url: URL): Promise<{ status: number; body: { id?: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: '/api/media/jobs', method: 'POST', agent: createAgent, headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', 'content-length': CREATE_BODY_BYTES } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown } });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(CREATE_BODY);
  });
}

async function createRound(server: ServerProcess, perClient: number): Promise<Round> {
  const ms: number[] = [];
  const ids: string[] = [];
  const url = new URL(server.url);
  const cpu0 = processCpuMs(server.pid);
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CREATE_CLIENTS }, async () => {
      for (let i = 0; i < perClient; i++) {
        const s = performance.now();
        const { status, body } = await postCreate(server, url);
        ms.push(performance.now() - s);
        if (status !== 201 || typeof body.id !== 'string') throw new Error(`api: POST /api/media/jobs answered ${status}: ${JSON.stringify(body)}`);
        ids.push(body.id);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const cpu1 = processCpuMs(server.pid);
  const own = process.cpuUsage(own0);
  return { ms, ids, wallMs, serverCpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, clientCpuMs: (own.user + own.system) / 1000 };
}

/** How the SSE clients read a job.created: every frame JSON-parsed (as the UI does), or its bytes checksummed, client 0 parsing (stand-ins for remote browsers; bench/api-sse-clients.ts). */
type Reading = 'json' | 'checksum';

interface SseReport {
  clients: number;
  reading: Reading;
  /** Clients that JSON-parsed every frame. */
  parsing: number;
  /** Clients whose job.created bytes (CRC-32 and length) equal client 0's, and for a parsing client its count and id hash too, when client 0 got exactly the ids created (else 0). */
  complete: number;
  referenceExact: boolean;
  closed: number;
  expected: number;
  frames: { min: number; max: number; total: number };
  createdEvents: { min: number; max: number };
  /** Read by the clients once inflated, and over their sockets (gzip, as browsers ask for it). */
  bytes: number;
  wireBytes: number;
  parseErrors: number;
  byType: Record<string, number>;
  waitedMs: number;
}

/** How a run's SSE clients read (above) and the niceness their process runs at (`nice -n`; 0: as the bench). */
interface SseSetup {
  readonly reading: Reading;
  readonly nice: number;
}

/** The SSE clients' process: resolves once every stream is open. */
async function startSseClients(server: ServerProcess, count: number, setup: SseSetup) {
  const node = [process.execPath, ...(process.env.BENCH_SSE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SSE_CPU_PROF] : []), '--import', 'tsx', 'bench/api-sse-clients.ts', server.url, server.token, String(count), setup.reading];
  // through nice(1), so that every thread of the clients' process has the niceness (nice execs node: the pid is node's)
  const [command, ...args] = setup.nice === 0 ? node : ['nice', '-n', String(setup.nice), ...node];
  const child: ChildProcess = spawn(command!, args, {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const messages = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async <T>(type: string, timeoutMs: number): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`api: the SSE clients sent no ${type} within ${timeoutMs / 1000} s; stderr: ${stderr.join('').slice(-2000)}`)), timeoutMs);
    });
    try {
      const { value, done } = await Promise.race([messages.next(), timeout]);
      if (done) throw new Error(`api: the SSE clients' process ended early; stderr: ${stderr.join('').slice(-2000)}`);
      const message = JSON.parse(value as string) as { type: string };
      if (message.type !== type) throw new Error(`api: the SSE clients sent ${value}, expected ${type}`);
      return message as T;
    } finally {
      clearTimeout(timer);
    }
  };
  await next<{ clients: number }>('ready', 120_000);
  return {
    async expect(ids: readonly string[]): Promise<SseReport> {
      child.stdin!.write(`${JSON.stringify({ cmd: 'expect', ids })}\n`);
      return next<SseReport>('report', 90_000);
    },
    async close(): Promise<void> {
      child.stdin!.write(`${JSON.stringify({ cmd: 'close' })}\n`);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0) throw new Error(`api: the SSE clients' process exited with ${code}; stderr: ${stderr.join('').slice(-2000)}`);
    },
    kill: () => child.kill('SIGKILL'),
    pid: child.pid!,
  };
}

const rate = (rounds: readonly Round[]) => rounds.reduce((n, r) => n + r.ids.length, 0) / (rounds.reduce((t, r) => t + r.wallMs, 0) / 1000);
const clientCpuPerCreate = (rounds: readonly Round[]) => rounds.reduce((t, r) => t + r.clientCpuMs, 0) / rounds.reduce((n, r) => n + r.ids.length, 0);
const cpuPerCreate = (rounds: readonly Round[]) =>
  rounds.some((r) => r.serverCpuMs === null) ? null : rounds.reduce((t, r) => t + r.serverCpuMs!, 0) / rounds.reduce((n, r) => n + r.ids.length, 0);

/** One B block: the SSE clients' process opened, its warm-up round, two counted rounds, every job checked received, closed. */
async function sseBlock(server: ServerProcess, sseClients: number, setup: SseSetup, describe: (name: string, r: Round) => string): Promise<{ rounds: [Round, Round]; report: SseReport; clientsCpuMs: number | null; serverCatchUpCpuMs: number | null }> {
  progress(`api: opening ${sseClients} SSE clients (one ticket each, own process at nice ${setup.nice}, reading ${setup.reading})`);
  const sse = await startSseClients(server, sseClients, setup);
  try {
    // the B side's own warm-up (not counted), as the A side had one: the first round after the
    // clients connect ran the server's batched path and the clients' parsing cold, ~30 % slower
    // than the second B round every time
    const warmB = await createRound(server, WARMUP_PER_CLIENT);
    const clientsCpu0 = processCpuMs(sse.pid);
    const b1 = await createRound(server, ROUND_PER_CLIENT);
    progress(`api: ${describe(`B (${sseClients} SSE clients, ${setup.reading})`, b1)}`);
    const b2 = await createRound(server, ROUND_PER_CLIENT);
    progress(`api: ${describe(`B (${sseClients} SSE clients, ${setup.reading})`, b2)}`);
    // every job created while they were connected, the warm-up's included (exactly once each)
    const serverCpuBeforeCheck = processCpuMs(server.pid);
    const report = await sse.expect([...warmB.ids, ...b1.ids, ...b2.ids]);
    // after the check: the clients' catch-up on what the B rounds sent counts too, and the server's
    // (bytes a slow reader had not taken yet wait in the server and are written later)
    const clientsCpu1 = processCpuMs(sse.pid);
    const serverCpuAfterCheck = processCpuMs(server.pid);
    await sse.close();
    progress(
      `api: SSE clients: ${report.complete}/${report.clients} got all ${report.expected} job.created events exactly once (client 0's ids exact: ${report.referenceExact}; ${report.parsing} parsing every frame); ` +
        `frames per client ${report.frames.min}–${report.frames.max} (${JSON.stringify(report.byType)}), job.created per client ${report.createdEvents.min}–${report.createdEvents.max}, ${(report.bytes / 1e6).toFixed(1)} MB read (${(report.wireBytes / 1e6).toFixed(1)} MB gzip over the sockets), ${report.parseErrors} parse errors, ${report.closed} streams closed`,
    );
    const exact = report.referenceExact && report.complete === report.clients && report.createdEvents.min === report.expected && report.createdEvents.max === report.expected;
    if (!exact || report.closed !== 0 || report.parseErrors !== 0) {
      throw new Error(
        `api: the SSE clients did not all get every job.created exactly once (${report.complete}/${report.clients} complete, client 0 exact: ${report.referenceExact}, ${report.closed} closed, ${report.parseErrors} parse errors, ${report.createdEvents.min}–${report.createdEvents.max} job.created for ${report.expected} creates)`,
      );
    }
    return {
      rounds: [b1, b2],
      report,
      clientsCpuMs: clientsCpu0 === null || clientsCpu1 === null ? null : clientsCpu1 - clientsCpu0,
      serverCatchUpCpuMs: serverCpuBeforeCheck === null || serverCpuAfterCheck === null ? null : serverCpuAfterCheck - serverCpuBeforeCheck,
    };
  } catch (error) {
    sse.kill();
    throw error;
  }
}

interface FanoutRun {
  readonly setup: SseSetup;
  readonly without: Round[];
  readonly withSse: Round[];
  readonly report: SseReport;
  readonly clientsCpuMs: number | null;
  /** The server's CPU from the end of each B pair until its clients were checked, summed. */
  readonly serverCatchUpCpuMs: number | null;
}

/** A B B A, BLOCKS times, with SSE clients set up as `setup`: a drift of the machine hits both sides alike, and one unlucky round decides less. */
async function fanoutRun(server: ServerProcess, sseClients: number, setup: SseSetup, describe: (name: string, r: Round) => string): Promise<FanoutRun> {
  const without: Round[] = [];
  const withSse: Round[] = [];
  const reports: SseReport[] = [];
  let clientsCpuMs: number | null = 0;
  let serverCatchUpCpuMs: number | null = 0;
  // the processes may just have been moved to other CPUs: one round to settle, not counted
  await createRound(server, WARMUP_PER_CLIENT);
  for (let block = 0; block < BLOCKS; block++) {
    const a1 = await createRound(server, ROUND_PER_CLIENT);
    progress(`api: ${describe('A (no SSE client)', a1)}`);
    const b = await sseBlock(server, sseClients, setup, describe);
    withSse.push(...b.rounds);
    reports.push(b.report);
    clientsCpuMs = clientsCpuMs === null || b.clientsCpuMs === null ? null : clientsCpuMs + b.clientsCpuMs;
    serverCatchUpCpuMs = serverCatchUpCpuMs === null || b.serverCatchUpCpuMs === null ? null : serverCatchUpCpuMs + b.serverCatchUpCpuMs;
    const a2 = await createRound(server, ROUND_PER_CLIENT);
    progress(`api: ${describe('A (no SSE client)', a2)}`);
    without.push(a1, a2);
  }
  const report: SseReport = {
    ...reports[0]!,
    expected: reports.reduce((n, r) => n + r.expected, 0),
    bytes: reports.reduce((n, r) => n + r.bytes, 0),
    wireBytes: reports.reduce((n, r) => n + r.wireBytes, 0),
    waitedMs: Math.max(...reports.map((r) => r.waitedMs)),
    frames: { min: Math.min(...reports.map((r) => r.frames.min)), max: Math.max(...reports.map((r) => r.frames.max)), total: reports.reduce((n, r) => n + r.frames.total, 0) },
  };
  return { setup, without, withSse, report, clientsCpuMs, serverCatchUpCpuMs };
}

const READINGS: Record<Reading, string> = {
  checksum: 'standing in for browsers on other machines, every client reads every byte and checksums (CRC-32) its job.created frames; client 0 also JSON-parses and expands every frame as the web UI does, and its ids must be exactly the created ones; every other checksum must equal client 0\'s',
  json: 'every client JSON-parses and expands every frame, as the web UI does',
};

/** The fanout ratio of one run and what explains it. */
function fanoutNote(run: FanoutRun, sseClients: number, how: string): string {
  const { without, withSse, report, clientsCpuMs, serverCatchUpCpuMs } = run;
  const bCpu = cpuPerCreate(withSse);
  // the server's catch-up after the B pairs counts on the B side (with its idle ticks: a little against us)
  const cpuWith = bCpu === null || serverCatchUpCpuMs === null ? null : bCpu + serverCatchUpCpuMs / withSse.reduce((n, r) => n + r.ids.length, 0);
  const cpuWithout = cpuPerCreate(without);
  const bWallS = withSse.reduce((t, r) => t + r.wallMs, 0) / 1000;
  const order: Round[] = [];
  for (let i = 0; i < BLOCKS; i++) order.push(without[2 * i]!, withSse[2 * i]!, withSse[2 * i + 1]!, without[2 * i + 1]!);
  return (
    `creates/s with ${sseClients} SSE clients (${rate(withSse).toFixed(0)}) / without (${rate(without).toFixed(0)}), same server, same run; the clients: ${READINGS[run.setup.reading]}${run.setup.nice === 0 ? '' : ` (their process at nice ${run.setup.nice})`}; every client got every job.created of its block exactly once (${report.expected} in all) ` +
    `(${report.frames.min}–${report.frames.max} frames each a block, runs of creates as job.created.batch frames, ${(report.bytes / 1e6).toFixed(1)} MB in all, ${(report.bytes / (report.clients * report.expected)).toFixed(1)} bytes a job a client; over the sockets gzip-encoded, as browsers ask for it: ${(report.wireBytes / 1e6).toFixed(1)} MB, ${(report.wireBytes / (report.clients * report.expected)).toFixed(1)} bytes a job a client)` +
    (cpuWith === null || cpuWithout === null || bCpu === null
      ? ''
      : `; server CPU per create ${cpuWithout.toFixed(3)} ms without, ${cpuWith.toFixed(3)} ms with (ratio ${(cpuWithout / cpuWith).toFixed(3)}; ${bCpu.toFixed(3)} ms within the B rounds, and ${serverCatchUpCpuMs} ms in all from the end of each B pair until its clients were checked, the longest check ${report.waitedMs} ms)`) +
    `; the create clients' CPU per create ${clientCpuPerCreate(without).toFixed(3)} ms without, ${clientCpuPerCreate(withSse).toFixed(3)} ms with` +
    (clientsCpuMs === null ? '' : `; the SSE clients' process used ${(clientsCpuMs / 1000).toFixed(2)} s CPU for the ${bWallS.toFixed(1)} s of B rounds, their catch-up included`) +
    `; per round (A B B A …) ${order.map((r) => ((r.ids.length * 1000) / r.wallMs).toFixed(0)).join(' / ')} creates/s; ${how}`
  );
}

export async function benchCreateFanout(server: ServerProcess, sseClients = SSE_CLIENTS): Promise<Metric[]> {
  // the server's create path speeds up over its first ~10,000 creates (JIT, the store's pages in cache):
  // a short warm-up left the last A round the fastest of a run by far, which ABBA does not cancel
  for (let i = 0; i < WARMUP_ROUNDS; i++) {
    const warm = await createRound(server, ROUND_PER_CLIENT);
    progress(`api: create warm-up ${i + 1}/${WARMUP_ROUNDS}: ${((warm.ids.length * 1000) / warm.wallMs).toFixed(0)}/s (not counted)`);
  }
  const describe = (name: string, r: Round) =>
    `${name}: ${r.ids.length} creates in ${r.wallMs.toFixed(0)} ms = ${((r.ids.length * 1000) / r.wallMs).toFixed(0)}/s, p50 ${percentile(r.ms, 50).toFixed(1)} ms, p95 ${percentile(r.ms, 95).toFixed(1)} ms` +
    (r.serverCpuMs === null ? '' : `, server CPU ${(r.serverCpuMs / r.ids.length).toFixed(2)} ms/create`);

  const placement = placeApart(server.pid);
  let apart: FanoutRun | null = null;
  let apartHow: string;
  if (typeof placement === 'string') apartHow = `not measured apart: ${placement}`;
  else {
    progress(`api: the server on CPU ${placement.server}, the create and SSE clients on CPU ${placement.clients}`);
    try {
      apart = await fanoutRun(server, sseClients, { reading: 'checksum', nice: APART_SSE_NICE }, describe);
    } finally {
      placement.release();
    }
    apartHow = `the server process on CPU ${placement.server}, the create clients' and the SSE clients' processes on CPU ${placement.clients} (taskset on every thread)`;
  }
  progress('api: every process on every CPU');
  const shared = await fanoutRun(server, sseClients, { reading: 'checksum', nice: 0 }, describe);
  const json = await fanoutRun(server, sseClients, { reading: 'json', nice: 0 }, describe);

  const how = `${CREATE_CLIENTS} concurrent clients × ${ROUND_PER_CLIENT} sequential POST /api/media/jobs (scan, queue paused) a round, a warm-up round then rounds A B B A ${BLOCKS} times (A: no event-stream client; B: ${sseClients} SSE clients in their own process, opened for each B B pair with a warm-up round of their own, each with a one-time ticket and batched frames (batch=3) like the web UI)`;
  const withMs = json.withSse.flatMap((r) => r.ms);
  const withoutMs = json.without.flatMap((r) => r.ms);
  const ratio = (run: FanoutRun) => rate(run.withSse) / rate(run.without);
  const figures = `apart ${apart ? ratio(apart).toFixed(3) : '–'}, every CPU shared ${ratio(shared).toFixed(3)}, every client parsing ${ratio(json).toFixed(3)}`;
  return [
    {
      metric: 'api.create.p95_ms',
      value: percentile(withMs, 95),
      unit: 'ms',
      target: atMost(50),
      note:
        `nearest-rank p95 of the ${withMs.length} creates of the B rounds of the \`json\` run (${sseClients} SSE clients connected, every one JSON-parsing every frame, every process on every CPU), sending → parsed 201 body; p50 ${percentile(withMs, 50).toFixed(1)} ms, max ${Math.max(...withMs).toFixed(1)} ms; ` +
        `without SSE clients p50 ${percentile(withoutMs, 50).toFixed(1)} ms, p95 ${percentile(withoutMs, 95).toFixed(1)} ms; with checksumming clients p95 ${percentile(shared.withSse.flatMap((r) => r.ms), 95).toFixed(1)} ms (every CPU shared)${apart ? ` and ${percentile(apart.withSse.flatMap((r) => r.ms), 95).toFixed(1)} ms (apart)` : ''}; ${how}; headless server process on the million-job store`,
    },
    {
      metric: 'api.events.fanout_cost',
      value: ratio(apart ?? shared),
      unit: 'ratio',
      target: atLeast(0.9),
      note: `${apart ? fanoutNote(apart, sseClients, `${apartHow}; ${how}`) : `${apartHow}, so this is the run with every CPU shared: ${fanoutNote(shared, sseClients, how)}`}; the three runs: ${figures}`,
    },
    {
      metric: 'api.events.fanout_cost.shared_cores',
      value: ratio(shared),
      unit: 'ratio',
      note: `the same clients with every process on every CPU: what the clients spend is taken from the server's CPUs; ${fanoutNote(shared, sseClients, how)}`,
    },
    {
      metric: 'api.events.fanout_cost.parsing_clients',
      value: ratio(json),
      unit: 'ratio',
      note: `every process on every CPU; ${fanoutNote(json, sseClients, how)}`,
    },
  ];
}
