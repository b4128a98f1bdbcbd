/**
 * The server under test: the built headless program (`node out/main/headless.js`, what
 * `npm run headless` runs, here from a copy of the build) as a child process, on a free port, with its own data folder and
 * library. Its URL comes from the line it prints; its API token from the file it writes
 * (MEDIA_DATA_DIR/api-token). Stopped with SIGTERM (graceful), then SIGKILL if it hangs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export interface HeadlessProcess {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  /** Everything it printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface HeadlessStartOptions {
  /** The built headless entry (out/main/headless.js, or a copy of the build). */
  readonly entry: string;
  readonly dataDir: string;
  readonly libraryPath: string;
  /** More environment (limits, retry backoff …). */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

/** The caller's environment without the variables that would point the server elsewhere. */
function isolatedEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('MEDIA_') || key === 'PORT' || key === 'HOST' || key === 'DATABASE_URL') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startHeadless(options: HeadlessStartOptions): Promise<HeadlessProcess> {
  const child = spawn(process.execPath, [options.entry], {
    cwd: REPO_ROOT,
    env: isolatedEnv({
      MEDIA_DATA_DIR: options.dataDir,
      MEDIA_LIBRARY_PATH: options.libraryPath,
      HOST: '127.0.0.1',
      PORT: '0',
      // the library watcher would register the clips on its own; a suite that wants it sets MEDIA_WATCH=1
      MEDIA_WATCH: '0',
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // never outlive the test process (a worker killed on a timeout skips afterAll)
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const graceful = await Promise.race([exited(child).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
    if (!graceful) {
      child.kill('SIGKILL');
      await exited(child);
    }
  };

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the headless server did not say where it listens within ${timeoutMs} ms`)), timeoutMs);
      const onData = () => {
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the headless server exited (${code ?? signal}) before listening`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } catch (error) {
    await stop();
    throw new Error(`e2e: ${error instanceof Error ? error.message : String(error)}. Its output:\n${output}`, { cause: error });
  }
  const token = (await readFile(join(options.dataDir, 'api-token'), 'utf8')).trim();
  if (!token) {
    await stop();
    throw new Error(`e2e: ${join(options.dataDir, 'api-token')} is empty`);
  }
  return { url, token, pid: child.pid!, output: () => output, stop };
}
