/**
 * Test support: a real, throwaway PostgreSQL server. `startPostgres()` runs `initdb` on a temporary
 * folder and starts `postgres` on 127.0.0.1 (a free port) with its unix socket in that folder,
 * tuned for tests (no fsync); `createDatabase()` makes a fresh database per store or test;
 * `stop()` shuts the server down and removes the folder. Start one server per test file (beforeAll).
 *
 * The binaries are found on PATH, then under /usr/lib/postgresql/<version>/bin (Debian's package
 * does not put initdb on PATH). PostgreSQL refuses to run as root: as root, the folder is handed
 * to the `postgres` system user and the server runs as that user (spawned with its uid and gid,
 * so no shell and no quoting).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chownSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Client } from 'pg';

export interface PostgresServer {
  /** Connection URL of the server's `postgres` database (superuser `postgres`, trust auth). */
  readonly url: string;
  /** Creates an empty database (or a copy of the database `template`, which must have no open connections) and returns its URL. */
  createDatabase(options?: { template?: string }): Promise<string>;
  /** Stops the server (fast shutdown: every session is cut) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The folder holding initdb, pg_ctl and postgres, or null when PostgreSQL's server is not installed. */
export function findPostgresBinDir(): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  return dirs.find((d) => isExecutable(join(d, 'initdb')) && isExecutable(join(d, 'postgres'))) ?? null;
}

function systemUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A free TCP port on 127.0.0.1 (listen on port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(file: string, args: string[], options: { uid?: number; gid?: number; cwd: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}: ${output.slice(-2000)}`))));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntilReady(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`postgres exited during start-up: ${log()}`);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${timeoutMs} ms (${(error as Error).message}): ${log()}`, { cause: error });
      await sleep(50);
    }
  }
}

interface Launched {
  readonly child: ChildProcess;
  readonly log: () => string;
}

export async function startPostgres(options: { startTimeoutMs?: number } = {}): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb, postgres) were found neither on PATH nor under /usr/lib/postgresql/*/bin. Install the Debian package `postgresql`.');
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? systemUser('postgres') : null;
  if (asRoot && !user) throw new Error('Running as root, but there is no `postgres` system user to run PostgreSQL as.');
  const ids = user ? { uid: user.uid, gid: user.gid } : {};

  const dir = mkdtempSync(join(tmpdir(), 'mjc-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  mkdirSync(socketDir);
  if (user) for (const path of [dir, socketDir]) chownSync(path, user.uid, user.gid);

  let current: ChildProcess | undefined;
  const killOnExit = () => {
    current?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const timeoutMs = options.startTimeoutMs ?? 20_000;

  /** Starts postgres on `port` and waits until it accepts connections. */
  const launch = async (port: number): Promise<Launched> => {
    let output = '';
    const child = spawn(
      join(bin, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200', '-c', 'shared_buffers=64MB'],
      { ...ids, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
    current = child;
    child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8000)));
    try {
      await waitUntilReady(urlOf(port), child, () => output, timeoutMs);
    } catch (error) {
      child.kill('SIGKILL');
      throw Object.assign(error as Error, { output });
    }
    return { child, log: () => output };
  };

  try {
    await run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions', '--encoding=UTF8', '--locale=C'], { ...ids, cwd: dir });
    for (let tries = 0; ; tries++) {
      const port = await freePort();
      try {
        const launched = await launch(port);
        return server(port, launched, dir, launch, killOnExit);
      } catch (error) {
        // another process may have taken the port between the probe and the start: try another one
        if (tries < 3 && /could not (bind|create listen)/i.test((error as { output?: string }).output ?? '')) continue;
        throw error;
      }
    }
  } catch (error) {
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

const urlOf = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  child.kill('SIGINT'); // fast shutdown: ends sessions, no checkpoint wait beyond what fsync=off makes trivial
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function server(port: number, first: Launched, dir: string, launch: (port: number) => Promise<Launched>, killOnExit: () => void): PostgresServer {
  const url = urlOf(port);
  let launched = first;
  let admin: Client | null = null;
  const adminClient = async (): Promise<Client> => {
    if (admin) return admin;
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined); // the server going away (stop, restart) is expected
    await client.connect();
    admin = client;
    return client;
  };
  let stopped = false;
  return {
    url,
    async createDatabase({ template } = {}) {
      const client = await adminClient();
      const name = `t_${randomBytes(6).toString('hex')}`;
      await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
      return url.replace(/\/postgres$/, `/${name}`);
    },
    async restart() {
      if (stopped) throw new Error('restart() after stop()');
      await admin?.end().catch(() => undefined);
      admin = null;
      await stopChild(launched.child);
      launched = await launch(port);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await admin?.end().catch(() => undefined);
      await stopChild(launched.child);
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
