/**
 * A fleet node as its own process for tests: the headless program (from source with tsx, with the
 * scripted test processors or the real media ones) on a free port of 127.0.0.1 with a known API
 * token, and a small REST client for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../storage/testing/postgres-server';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(HERE, '..', '..', '..', '..');

export interface NodeProcess {
  readonly nodeId: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** The last lines the process printed (for failure messages). */
  output(): string;
  api<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (no clean-up of any kind) and wait for the exit. */
  kill(): Promise<void>;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * `scripted`: the test processors (sleep / fail / hang by params, fleet-node-main.ts);
 * `media`: the real program (headless.ts) with the real FFmpeg processors.
 */
export type NodeProcessors = 'scripted' | 'media';

const ENTRIES: Record<NodeProcessors, string> = {
  scripted: join(REPO_ROOT, 'src', 'main', 'testing', 'fleet-node-main.ts'),
  media: join(REPO_ROOT, 'src', 'main', 'headless.ts'),
};

export async function startNodeProcess(nodeId: string, env: Record<string, string>, timeoutMs = 60_000, processors: NodeProcessors = 'scripted'): Promise<NodeProcess> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRIES[processors]], {
    cwd: REPO_ROOT,
    env: { ...process.env, MEDIA_DATA_DIR: mkdtempSync(join(tmpdir(), `mjc-node-${nodeId}-`)), MEDIA_NODE_ID: nodeId, HOST: '127.0.0.1', PORT: String(port), MEDIA_API_TOKEN: token, MEDIA_WATCH: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;

  const api = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} on ${nodeId}: HTTP ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`node ${nodeId} exited during start-up:\n${out}`);
    try {
      await api('GET', '/api/health');
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`node ${nodeId} did not answer within ${timeoutMs} ms:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    nodeId,
    url,
    child,
    output: () => out,
    api,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited(child);
      clearTimeout(timer);
      return code;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}
