/**
 * Tools never outlive their node. The runner starts every tool in a process group of its own (so
 * signals reach it and its children, and a Ctrl+C in the node's terminal does not), which also
 * means a kill -9 of the node, or of the node's whole process group, does not reach the tool. So
 * each tool is put on a leash that the kernel (or a watchdog) pulls when the node process dies:
 *
 * - `pdeathsig` (Linux with util-linux's setpriv, checked once): the tool is started as
 *   `setpriv --pdeathsig KILL -- <tool> <args…>`. setpriv sets PR_SET_PDEATHSIG and execs the tool
 *   (same PID, argv[0] the tool's), so the kernel sends SIGKILL to the tool when the THREAD that
 *   forked it exits. Both backends fork from Node's main thread (child_process through libuv's
 *   uv_spawn, node-pty through forkpty in its native spawn), which exits only with the process:
 *   the tool dies with its node, at once, whatever killed the node (tested by kill -9 of a node
 *   process alone and of its group, in both backends). A tool started from a worker thread would
 *   die with that thread: none is.
 * - `watchdog` (other POSIX systems, such as macOS, and a Linux without setpriv): beside each tool
 *   a `/bin/sh` in a process group of its own waits on a pipe that only this process holds the
 *   other end of. When the node dies the pipe closes, `read` fails and the watchdog kills the
 *   tool's group (SIGKILL reaches a suspended tool too). When the tool ends normally the runner
 *   writes a line first, so the watchdog exits without killing anything. Closing a pipe the TOOL
 *   reads would not do: most tools here read no stdin, and one that does (the decode fed through
 *   `stdinPipe`, transcode/decode-while-encoding.ts) takes EOF as the end of its input, not as death.
 * - `none` (Windows): no process groups or signals; the tool is started as it is.
 *
 * The tool's executable is looked up before it is started (in the PATH of its environment), so a
 * missing or non-executable tool is a ProcessStartError in every mode, as when it is spawned bare.
 */
import { execFile, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ProcessStartError } from './process-start-error';

export type LeashMode = 'pdeathsig' | 'watchdog' | 'none';

/** How one tool is started, and what to do once it runs and once it has exited. */
export interface Leash {
  readonly mode: LeashMode;
  /** Spawn this instead of the tool itself. */
  readonly command: string;
  readonly args: readonly string[];
  /** Call with the tool's PID (the leader of its own process group) once it runs; call the result when it has exited. */
  attach(pid: number): () => void;
}

const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv', '/sbin/setpriv'];

let detected: Promise<{ mode: LeashMode; setpriv: string | null }> | null = null;
let forced: LeashMode | null = null;

/** Tests only: use this mode (null: detect again). */
export function setLeashModeForTests(mode: LeashMode | null): void {
  forced = mode;
  detected = null;
}

function runs(command: string, args: readonly string[]): Promise<boolean> {
  return new Promise((done) => {
    execFile(command, [...args], { timeout: 5_000 }, (error) => done(error === null));
  });
}

async function detect(): Promise<{ mode: LeashMode; setpriv: string | null }> {
  if (process.platform === 'win32') return { mode: 'none', setpriv: null };
  if (process.platform === 'linux') {
    for (const candidate of SETPRIV_CANDIDATES) {
      // an old setpriv without --pdeathsig fails this trial run
      if (await isExecutable(candidate).then((ok) => ok && runs(candidate, ['--pdeathsig', 'KILL', '--', '/bin/sh', '-c', 'exit 0']))) {
        return { mode: 'pdeathsig', setpriv: candidate };
      }
    }
  }
  return { mode: (await isExecutable('/bin/sh')) ? 'watchdog' : 'none', setpriv: null };
}

/** The mode this platform gets (detected once per process). */
export async function leashMode(): Promise<LeashMode> {
  return (await leashSetup()).mode;
}

async function leashSetup(): Promise<{ mode: LeashMode; setpriv: string | null }> {
  detected ??= detect().then(async (found) => {
    if (forced === null || forced === found.mode) return found;
    if (forced === 'pdeathsig' && found.setpriv === null) throw new Error('setpriv is not available here');
    return { mode: forced, setpriv: found.setpriv };
  });
  return detected;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws ProcessStartError (ENOENT, EACCES) unless `command` names an executable file: a path is
 * taken relative to `cwd`, a bare name is looked up in the PATH of `env` (as execvp does).
 */
export async function requireExecutable(command: string, cwd: string | undefined, env: NodeJS.ProcessEnv): Promise<void> {
  const fail = (code: 'ENOENT' | 'EACCES') => new ProcessStartError(`cannot start ${command}: spawn ${command} ${code}`, code);
  if (command.length === 0) throw fail('ENOENT');
  if (command.includes('/')) {
    const path = isAbsolute(command) ? command : resolve(cwd ?? process.cwd(), command);
    const isFile = await stat(path).then(
      (info) => info.isFile(),
      () => {
        throw fail('ENOENT');
      },
    );
    if (!isFile || !(await isExecutable(path))) throw fail('EACCES');
    return;
  }
  const dirs = (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter).filter((d) => d.length > 0);
  for (const dir of dirs) if (await isExecutable(join(isAbsolute(dir) ? dir : resolve(cwd ?? process.cwd(), dir), command))) return;
  throw fail('ENOENT');
}

/** The watchdog's script: `$1` is the tool's PID, the leader of its process group. */
const WATCHDOG_SCRIPT = 'read _ || kill -s KILL -- -"$1" 2>/dev/null || kill -s KILL -- "$1" 2>/dev/null';

function startWatchdog(pid: number): () => void {
  let watchdog;
  try {
    watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'mjc-tool-watchdog', String(pid)], {
      detached: true, // its own group: a kill of the node's group must leave it to do its work
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { PATH: '/usr/bin:/bin' },
    });
  } catch {
    return () => {};
  }
  watchdog.on('error', () => {});
  watchdog.stdin.on('error', () => {});
  watchdog.unref(); // it must never keep the node alive
  (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
  return () => {
    // the tool has exited: a line, not EOF, so the watchdog leaves without killing
    if (watchdog.stdin.writable) watchdog.stdin.end('\n');
  };
}

/** The leash for one tool in this platform's mode; throws ProcessStartError when the tool cannot be started. */
export async function leashTool(command: string, args: readonly string[], cwd: string | undefined, env: NodeJS.ProcessEnv): Promise<Leash> {
  const { mode, setpriv } = await leashSetup();
  if (mode === 'none') return { mode, command, args, attach: () => () => {} };
  await requireExecutable(command, cwd, env);
  if (mode === 'pdeathsig') return { mode, command: setpriv!, args: ['--pdeathsig', 'KILL', '--', command, ...args], attach: () => () => {} };
  return { mode, command, args, attach: (pid) => startWatchdog(pid) };
}
