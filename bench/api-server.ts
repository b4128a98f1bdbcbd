/**
 * The real headless server (src/main/headless.ts) as a separate process for the `api` benchmark:
 * started from source with tsx (no build needed) on a free port of 127.0.0.1, with a random API
 * token; its output is kept (and shown on stderr if it fails), never written to our stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, sleep } from './support';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly token: string;
  /** How the server was started, for the notes. */
  readonly command: string;
  /** GET `path` with the bearer token; the body is read and parsed (part of the timed request). */
  get(path: string): Promise<unknown>;
  /** Resident memory of the server process now, and its peak, in MiB (from /proc/<pid>/status). */
  memory(): { rssMb: number; hwmMb: number };
  /** SIGTERM and wait for a clean exit (SIGKILL after 15 s); throws if it did not exit with 0. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1: listen on port 0, read the port, close. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('could not learn a free port'))));
    });
  });
}

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  if (!match) throw new Error(`api: no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Starts the headless server on `dataDir` (which holds media-jobs.db) and waits until /api/health answers. */
export async function startHeadlessServer(options: { dataDir: string; libraryDir: string }): Promise<ServerProcess> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  const token = randomBytes(24).toString('hex');
  const args = [...(process.env.BENCH_SERVER_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_CPU_PROF] : []), '--import', 'tsx', 'src/main/headless.ts'];
  const env: NodeJS.ProcessEnv = { ...process.env, MEDIA_DATA_DIR: options.dataDir, MEDIA_LIBRARY_PATH: options.libraryDir, HOST: host, PORT: String(port), MEDIA_API_TOKEN: token };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exit = exited(child);
  const dump = () => progress(`api: server output:\n${output.join('').trimEnd()}`);
  const url = `http://${host}:${port}`;
  const command = `node ${process.version} ${args.join(' ')}`;

  const startedAt = performance.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      dump();
      throw new Error(`api: the headless server exited during start (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok && ((await res.json()) as { status?: string }).status === 'ok') break;
    } catch {
      // not listening yet
    }
    if (performance.now() - startedAt > START_TIMEOUT_MS) {
      child.kill('SIGKILL');
      await exit;
      dump();
      throw new Error(`api: the headless server did not answer /api/health within ${START_TIMEOUT_MS / 1000} s`);
    }
    await sleep(100);
  }
  progress(`api: headless server pid ${child.pid} answered /api/health after ${((performance.now() - startedAt) / 1000).toFixed(1)} s (${command})`);

  return {
    url,
    pid: child.pid!,
    token,
    command,
    async get(path) {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as unknown;
      if (!res.ok) throw new Error(`api: GET ${path} answered ${res.status}: ${JSON.stringify(body)}`);
      return body;
    },
    memory() {
      return { rssMb: procStatusMb(child.pid!, 'VmRSS'), hwmMb: procStatusMb(child.pid!, 'VmHWM') };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        dump();
        throw new Error(`api: the headless server had already exited (code ${child.exitCode}, signal ${child.signalCode})`);
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const { code, signal } = await exit;
      clearTimeout(timer);
      if (code !== 0) {
        dump();
        throw new Error(`api: the headless server did not stop cleanly on SIGTERM (code ${code}, signal ${signal})`);
      }
    },
  };
}
