/**
 * The two ways the process runner starts a tool, behind one small interface:
 *
 * - `pipes` (child_process.spawn, `detached` so the tool leads its own process group): separate
 *   stdout/stderr, an optional extra pipe on fd 3 (ffmpeg's `-progress pipe:3`), and an exit
 *   only after every pipe was drained, so the last error line is never lost.
 * - `pty` (node-pty): the tool sees a terminal, which matters for tools that buffer their output
 *   or hide progress bars when stdout is not a TTY. stdout and stderr arrive merged (with `\r\n`)
 *   and no extra descriptor can be passed. node-pty makes the tool a session leader, so its
 *   process group is addressable the same way. It is loaded lazily: if the native module cannot
 *   load (or forkpty fails) the runner falls back to pipes.
 *
 * Both report the exit as {exitCode, signal}; signals to the whole group are sent by the runner.
 * Both start the tool with `childEnvironment()` of the given (or our) environment: no secrets.
 * Both put the tool on a leash (tool-leash.ts), so it dies with the node process whatever kills it.
 */
import { spawn as spawnChild } from 'node:child_process';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { childEnvironment } from '../../system/child-environment';
import { ProcessStartError } from './process-start-error';
import { leashTool, type LeashMode } from './tool-leash';

export interface BackendSpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Default: ours. Secrets are removed either way (childEnvironment). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where console text goes (stderr, and stdout unless captured). */
  readonly onConsole: (text: string) => void;
  /** When set, stdout is handed here instead of the console (pipes only). */
  readonly onStdout?: (text: string) => void;
  /** When set, fd 3 is a pipe and its text comes here (pipes only). */
  readonly onFd3?: (text: string) => void;
  /** When true, stdin is a pipe the caller writes (SpawnedTool.stdin; pipes only). */
  readonly stdinPipe?: boolean;
}

export interface BackendExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnedTool {
  readonly pid: number;
  readonly mode: 'pty' | 'pipes';
  /** How the tool is bound to the life of this process (tool-leash.ts). */
  readonly leash: LeashMode;
  readonly exited: Promise<BackendExit>;
  /** The tool's stdin, when asked for (`stdinPipe`); null otherwise. */
  readonly stdin: Writable | null;
}

export { ProcessStartError };

export async function spawnWithPipes(options: BackendSpawnOptions): Promise<SpawnedTool> {
  const env = childEnvironment(options.env ?? process.env);
  const leash = await leashTool(options.command, options.args, options.cwd, env);
  return new Promise((resolve, reject) => {
    const child = spawnChild(leash.command, [...leash.args], {
      cwd: options.cwd,
      env,
      detached: true,
      windowsHide: true,
      stdio: [options.stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(options.onFd3 ? (['pipe'] as const) : [])],
    });
    // `on`, not `once`: a later error (a failed kill) must not become an unhandled 'error' event.
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) reject(new ProcessStartError(`cannot start ${options.command}: ${error.message}`, error.code ?? null));
    });
    child.once('spawn', () => {
      child.stderr!.setEncoding('utf8').on('data', options.onConsole);
      child.stdout!.setEncoding('utf8').on('data', options.onStdout ?? options.onConsole);
      const fd3 = child.stdio[3];
      if (options.onFd3 && fd3 && 'setEncoding' in fd3) fd3.setEncoding('utf8').on('data', options.onFd3);
      const release = leash.attach(child.pid!);
      const exited = new Promise<BackendExit>((done) => {
        let exit: BackendExit | null = null;
        // 'close' waits for the pipes; a grandchild holding them open must not hang us forever.
        child.once('exit', (exitCode, signal) => {
          exit = { exitCode, signal };
          release();
          setTimeout(() => done(exit!), 2000).unref();
        });
        child.once('close', (exitCode, signal) => done(exit ?? { exitCode, signal }));
      });
      // a tool that exits before reading all of its input must not crash us with EPIPE
      child.stdin?.on('error', () => undefined);
      resolve({ pid: child.pid!, mode: 'pipes', leash: leash.mode, exited, stdin: child.stdin ?? null });
    });
  });
}

type PtyModule = typeof import('node-pty');
let ptyModule: Promise<PtyModule | null> | null = null;

/** Tests only: pretend node-pty is missing (null) or restore the real one (undefined). */
export function setPtyModuleForTests(module: PtyModule | null | undefined): void {
  ptyModule = module === undefined ? null : Promise.resolve(module);
}

function loadPty(): Promise<PtyModule | null> {
  ptyModule ??= import('node-pty').then(
    (m) => ((m as { default?: PtyModule }).default ?? m) as PtyModule,
    () => null,
  );
  return ptyModule;
}

const signalNames = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, num]) => [num, name as NodeJS.Signals]),
);

/** Starts the tool in a pseudo-terminal; null when node-pty is unavailable or fails to fork. */
export async function spawnWithPty(options: BackendSpawnOptions): Promise<SpawnedTool | null> {
  const pty = await loadPty();
  if (!pty) return null;
  const env = childEnvironment(options.env ?? process.env);
  const leash = await leashTool(options.command, options.args, options.cwd, env);
  let term: import('node-pty').IPty;
  try {
    term = pty.spawn(leash.command, [...leash.args], {
      name: 'xterm-256color',
      cols: 160,
      rows: 48,
      cwd: options.cwd ?? process.cwd(),
      env,
    });
  } catch {
    return null;
  }
  const release = leash.attach(term.pid);
  let firstOutput = '';
  term.onData((data) => {
    if (firstOutput.length < 200) firstOutput += data;
    options.onConsole(data);
  });
  const exited = new Promise<BackendExit>((resolve, reject) => {
    term.onExit(({ exitCode, signal }) => {
      release();
      // node-pty forks first, so a missing binary shows up as exit 1 with execvp's message.
      if (exitCode === 1 && !signal && firstOutput.startsWith('execvp(3) failed')) {
        reject(new ProcessStartError(`cannot start ${options.command}: ${firstOutput.trim()}`, 'ENOENT'));
        return;
      }
      resolve({ exitCode: signal ? null : exitCode, signal: signal ? (signalNames.get(signal) ?? 'SIGTERM') : null });
    });
  });
  return { pid: term.pid, mode: 'pty', leash: leash.mode, exited, stdin: null };
}
