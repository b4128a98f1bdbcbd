/**
 * api.create.p95_ms and api.events.fanout_cost: POST /api/media/jobs by 50 concurrent clients on
 * the `api` section's headless server process (its million-job store, queue paused so the jobs
 * stay pending), without and with 200 SSE clients reading the event stream, same server, same run.
 *
 * Order: five warm-up rounds (not counted), then two runs of A B B A twice, rounds of 50 × 100:
 * A = creates with no event-stream client, B = creates with the 200 SSE clients connected (opened
 * before a warm-up round of their own, not counted, then the first B; closed after the second, in
 * their own process: bench/api-sse-clients.ts, one-time ticket each, batched frames (`batch=2`) as
 * the web UI asks for them). A drift of the machine (load, the store growing) hits both sides
 * alike. Each round: every one of the 50 clients sends ROUND_PER_CLIENT creates one after another
 * (fetch, bearer token, keep-alive), each timed from sending to the parsed JSON body (201 with the
 * job's id); the round's wall time gives its throughput.
 *
 * The two runs differ in how the SSE clients read a job.created:
 *   - `scan` (api.events.fanout_cost): they stand in for browsers on other machines and take as
 *     little of the two shared cores as they can: every byte read, each job's id found in the text;
 *     one client in 10 also JSON-parses every frame and checks the scan against it.
 *   - `json` (api.events.fanout_cost.parsing_clients, and api.create.p95_ms, the harder case):
 *     every client JSON-parses every frame, as the UI does in its own browser.
 * Checked in both: every create answered 201; after the B rounds every SSE client has received a
 * job.created for every job created in them, exactly once (client 0's ids compared with the
 * creates; every other client's count and ordered id hash equal to client 0's), no stream was
 * dropped, no frame failed to parse.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from './api-server';
import { atLeast, atMost, type Metric } from './report';
import { percentile, progress } from './support';

export const CREATE_CLIENTS = 50;
export const SSE_CLIENTS = 200;
const ROUND_PER_CLIENT = 100;
/** A B B A blocks. */
const BLOCKS = 2;
/** Rounds of creates before the first counted one. */
const WARMUP_ROUNDS = 5;
const WARMUP_PER_CLIENT = 10;
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CREATE_BODY = JSON.stringify({ type: 'scan', params: { directoryType: 'videos', skipExisting: true } });

interface Round {
  readonly ms: number[];
  readonly ids: string[];
  readonly wallMs: number;
  /** CPU the server process used during the round (user + system), ms; null off Linux. */
  readonly serverCpuMs: number | null;
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

async function createRound(server: ServerProcess, perClient: number): Promise<Round> {
  const ms: number[] = [];
  const ids: string[] = [];
  const cpu0 = processCpuMs(server.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CREATE_CLIENTS }, async () => {
      for (let i = 0; i < perClient; i++) {
        const s = performance.now();
        const res = await fetch(`${server.url}/api/media/jobs`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
          body: CREATE_BODY,
        });
        const body = (await res.json()) as { id?: string };
        ms.push(performance.now() - s);
        if (res.status !== 201 || typeof body.id !== 'string') throw new Error(`api: POST /api/media/jobs answered ${res.status}: ${JSON.stringify(body)}`);
        ids.push(body.id);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const cpu1 = processCpuMs(server.pid);
  return { ms, ids, wallMs, serverCpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
}

/** How the SSE clients read a job.created: every frame JSON-parsed (as the UI does), or its ids found in the text (stand-ins for remote browsers; bench/api-sse-clients.ts). */
type Reading = 'json' | 'scan';

interface SseReport {
  clients: number;
  reading: Reading;
  /** Clients that JSON-parsed every frame. */
  parsing: number;
  /** Clients whose job.created count and id hash equal client 0's, when client 0 got exactly the ids created (else 0). */
  complete: number;
  referenceExact: boolean;
  closed: number;
  expected: number;
  frames: { min: number; max: number; total: number };
  createdEvents: { min: number; max: number };
  bytes: number;
  parseErrors: number;
  byType: Record<string, number>;
  waitedMs: number;
}

/** The SSE clients' process: resolves once every stream is open. */
async function startSseClients(server: ServerProcess, count: number, reading: Reading) {
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_SSE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SSE_CPU_PROF] : []), '--import', 'tsx', 'bench/api-sse-clients.ts', server.url, server.token, String(count), reading], {
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
const cpuPerCreate = (rounds: readonly Round[]) =>
  rounds.some((r) => r.serverCpuMs === null) ? null : rounds.reduce((t, r) => t + r.serverCpuMs!, 0) / rounds.reduce((n, r) => n + r.ids.length, 0);

/** One B block: the SSE clients' process opened, its warm-up round, two counted rounds, every job checked received, closed. */
async function sseBlock(server: ServerProcess, sseClients: number, reading: Reading, describe: (name: string, r: Round) => string): Promise<{ rounds: [Round, Round]; report: SseReport; clientsCpuMs: number | null }> {
  progress(`api: opening ${sseClients} SSE clients (one ticket each, own process, reading ${reading})`);
  const sse = await startSseClients(server, sseClients, reading);
  try {
    // the B side's own warm-up (not counted), as the A side had one: the first round after the
    // clients connect ran the server's batched path and the clients' parsing cold, ~30 % slower
    // than the second B round every time
    const warmB = await createRound(server, WARMUP_PER_CLIENT);
    const clientsCpu0 = processCpuMs(sse.pid);
    const b1 = await createRound(server, ROUND_PER_CLIENT);
    progress(`api: ${describe(`B (${sseClients} SSE clients, ${reading})`, b1)}`);
    const b2 = await createRound(server, ROUND_PER_CLIENT);
    progress(`api: ${describe(`B (${sseClients} SSE clients, ${reading})`, b2)}`);
    // every job created while they were connected, the warm-up's included (exactly once each)
    const report = await sse.expect([...warmB.ids, ...b1.ids, ...b2.ids]);
    // after the check: the clients' catch-up on what the B rounds sent counts too
    const clientsCpu1 = processCpuMs(sse.pid);
    await sse.close();
    progress(
      `api: SSE clients: ${report.complete}/${report.clients} got all ${report.expected} job.created events exactly once (client 0's ids exact: ${report.referenceExact}; ${report.parsing} parsing every frame); ` +
        `frames per client ${report.frames.min}–${report.frames.max} (${JSON.stringify(report.byType)}), job.created per client ${report.createdEvents.min}–${report.createdEvents.max}, ${(report.bytes / 1e6).toFixed(1)} MB read, ${report.parseErrors} parse errors, ${report.closed} streams closed`,
    );
    const exact = report.referenceExact && report.complete === report.clients && report.createdEvents.min === report.expected && report.createdEvents.max === report.expected;
    if (!exact || report.closed !== 0 || report.parseErrors !== 0) {
      throw new Error(
        `api: the SSE clients did not all get every job.created exactly once (${report.complete}/${report.clients} complete, client 0 exact: ${report.referenceExact}, ${report.closed} closed, ${report.parseErrors} parse errors, ${report.createdEvents.min}–${report.createdEvents.max} job.created for ${report.expected} creates)`,
      );
    }
    return { rounds: [b1, b2], report, clientsCpuMs: clientsCpu0 === null || clientsCpu1 === null ? null : clientsCpu1 - clientsCpu0 };
  } catch (error) {
    sse.kill();
    throw error;
  }
}

interface FanoutRun {
  readonly reading: Reading;
  readonly without: Round[];
  readonly withSse: Round[];
  readonly report: SseReport;
  readonly clientsCpuMs: number | null;
}

/** A B B A, BLOCKS times, with SSE clients reading as `reading`: a drift of the machine hits both sides alike, and one unlucky round decides less. */
async function fanoutRun(server: ServerProcess, sseClients: number, reading: Reading, describe: (name: string, r: Round) => string): Promise<FanoutRun> {
  const without: Round[] = [];
  const withSse: Round[] = [];
  const reports: SseReport[] = [];
  let clientsCpuMs: number | null = 0;
  for (let block = 0; block < BLOCKS; block++) {
    const a1 = await createRound(server, ROUND_PER_CLIENT);
    progress(`api: ${describe('A (no SSE client)', a1)}`);
    const b = await sseBlock(server, sseClients, reading, describe);
    withSse.push(...b.rounds);
    reports.push(b.report);
    clientsCpuMs = clientsCpuMs === null || b.clientsCpuMs === null ? null : clientsCpuMs + b.clientsCpuMs;
    const a2 = await createRound(server, ROUND_PER_CLIENT);
    progress(`api: ${describe('A (no SSE client)', a2)}`);
    without.push(a1, a2);
  }
  const report: SseReport = {
    ...reports[0]!,
    expected: reports.reduce((n, r) => n + r.expected, 0),
    bytes: reports.reduce((n, r) => n + r.bytes, 0),
    frames: { min: Math.min(...reports.map((r) => r.frames.min)), max: Math.max(...reports.map((r) => r.frames.max)), total: reports.reduce((n, r) => n + r.frames.total, 0) },
  };
  return { reading, without, withSse, report, clientsCpuMs };
}

const READINGS: Record<Reading, string> = {
  scan: 'each client reads every byte and finds each job id in the frame text without JSON.parse, standing in for a browser on another machine; 1 client in 10 also JSON-parses every frame and checks the scan against it',
  json: 'every client JSON-parses every frame, as the web UI does',
};

/** The fanout ratio of one run and what explains it. */
function fanoutNote(run: FanoutRun, sseClients: number, how: string): string {
  const { without, withSse, report, clientsCpuMs } = run;
  const cpuWith = cpuPerCreate(withSse);
  const cpuWithout = cpuPerCreate(without);
  const bWallS = withSse.reduce((t, r) => t + r.wallMs, 0) / 1000;
  const order: Round[] = [];
  for (let i = 0; i < BLOCKS; i++) order.push(without[2 * i]!, withSse[2 * i]!, withSse[2 * i + 1]!, without[2 * i + 1]!);
  return (
    `creates/s with ${sseClients} SSE clients (${rate(withSse).toFixed(0)}) / without (${rate(without).toFixed(0)}), same server, same run; the clients: ${READINGS[run.reading]}; every client got every job.created of its block exactly once (${report.expected} in all) ` +
    `(${report.frames.min}–${report.frames.max} frames each a block, runs of creates as job.created.batch frames, ${(report.bytes / 1e6).toFixed(1)} MB in all)` +
    (cpuWith === null || cpuWithout === null ? '' : `; server CPU per create ${cpuWithout.toFixed(3)} ms without, ${cpuWith.toFixed(3)} ms with`) +
    (clientsCpuMs === null ? '' : `; the SSE clients' process used ${(clientsCpuMs / 1000).toFixed(2)} s CPU for the ${bWallS.toFixed(1)} s of B rounds, their catch-up included (it shares the machine's 2 cores with the server and the create clients)`) +
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

  // the server's own cost of 200 clients: clients as light as remote browsers are on this machine
  const scan = await fanoutRun(server, sseClients, 'scan', describe);
  // and what it is when every client parses everything on the same 2 cores, as before (the create p95 comes from these rounds: the harder case)
  const json = await fanoutRun(server, sseClients, 'json', describe);

  const how = `${CREATE_CLIENTS} concurrent clients × ${ROUND_PER_CLIENT} sequential POST /api/media/jobs (scan, queue paused) a round, rounds A B B A ${BLOCKS} times (A: no event-stream client; B: ${sseClients} SSE clients in their own process, opened for each B B pair with a warm-up round of their own, each with a one-time ticket and batched frames (batch=2) like the web UI)`;
  const withMs = json.withSse.flatMap((r) => r.ms);
  const withoutMs = json.without.flatMap((r) => r.ms);
  return [
    {
      metric: 'api.create.p95_ms',
      value: percentile(withMs, 95),
      unit: 'ms',
      target: atMost(50),
      note:
        `nearest-rank p95 of the ${withMs.length} creates of the B rounds (${sseClients} SSE clients connected, every one JSON-parsing every frame), sending → parsed 201 body; p50 ${percentile(withMs, 50).toFixed(1)} ms, max ${Math.max(...withMs).toFixed(1)} ms; ` +
        `without SSE clients p50 ${percentile(withoutMs, 50).toFixed(1)} ms, p95 ${percentile(withoutMs, 95).toFixed(1)} ms; with clients that scan instead of parsing p95 ${percentile(scan.withSse.flatMap((r) => r.ms), 95).toFixed(1)} ms (that run goes first: the order is part of the difference); ${how}; headless server process on the million-job store`,
    },
    {
      metric: 'api.events.fanout_cost',
      value: rate(scan.withSse) / rate(scan.without),
      unit: 'ratio',
      target: atLeast(0.9),
      note: `${fanoutNote(scan, sseClients, how)}; with every client JSON-parsing every frame on the same cores: ${(rate(json.withSse) / rate(json.without)).toFixed(3)} (api.events.fanout_cost.parsing_clients)`,
    },
    {
      metric: 'api.events.fanout_cost.parsing_clients',
      value: rate(json.withSse) / rate(json.without),
      unit: 'ratio',
      note: `${fanoutNote(json, sseClients, how)}; like for like with api.events.fanout_cost before it had clients that scan (0.644–0.84 at the last round; 0.555 with one frame per event)`,
    },
  ];
}
