/**
 * Runs one external tool with an argument array (never a shell), with a live console, cancel,
 * suspend/resume and a result that cannot mistake a cancelled run for a success.
 *
 * Decisions (see process-backends.ts for the two ways a tool is started):
 * - ffmpeg runs with PIPES, progress on its own fd 3 (`-progress pipe:3`). A pty would merge
 *   progress into the console, cannot carry an extra descriptor, turns `\n` into `\r\n`, and gives
 *   ffmpeg a TTY stdin it would read keys from; nothing ffmpeg prints needs a terminal. `pty` is
 *   for tools that only behave on a terminal (line buffering, progress bars); when the native
 *   module or forkpty fails, the runner falls back to pipes and says so in `mode`.
 * - Cancel asks the tool to stop the way ffmpeg listens to without a terminal, SIGINT (its Ctrl+C:
 *   it stops reading, flushes and exits 255; then SIGCONT, so a suspended tool can act on it), to the
 *   tool's process group, and SIGKILL after `killGraceMs` (default 1 s). Measured with ffmpeg 5.1:
 *   after SIGINT or SIGTERM an encoder with frames buffered (x264 look-ahead, a slow preset) goes on
 *   encoding them for 3–20 s, and a cancelled output is deleted anyway, so a long grace buys nothing
 *   and keeps the job's state a lie. `q` on stdin would exit 0 and needs a stdin ffmpeg reads keys
 *   from; stdin carries no keys (it is closed, or a data pipe with `stdinPipe`), and `cancelled` is tracked here: a cancelled run has `ok: false`
 *   whatever the exit code, and so does any run ended by a signal. The result comes only once the
 *   tool has exited (and its group was killed), so a caller that awaits it knows the tool is gone.
 * - Every tool is leashed to this process (tool-leash.ts): when the node dies, so do its tools.
 * - suspend()/resume() send SIGSTOP/SIGCONT to the group (the tool and its children).
 * - `onPid` reports the PID as soon as it exists, so a caller can record it and, after a crash,
 *   clean up with killOrphans() (orphan-cleanup.ts).
 */
import type { Writable } from 'node:stream';
import { ConsoleBuffer } from './console-buffer';
import { spawnWithPipes, spawnWithPty, type BackendSpawnOptions, type SpawnedTool } from './process-backends';

export { ProcessStartError } from './process-backends';

export interface RunProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** `pipes` (default) or `pty` (falls back to pipes; forced to pipes when fd 3 or stdout capture is asked for). */
  readonly console?: 'pty' | 'pipes';
  /** The console to write into (a caller can subscribe before the start); a fresh one by default. */
  readonly consoleBuffer?: ConsoleBuffer;
  /** Keep stdout apart (e.g. ffprobe's JSON) instead of showing it on the console; capped at 32 MiB. */
  readonly captureStdout?: boolean;
  /** Receive fd 3 (e.g. ffmpeg's `-progress pipe:3`). */
  readonly onFd3?: (text: string) => void;
  /** Give the tool a stdin pipe to write (RunningProcess.stdin); forces pipes. */
  readonly stdinPipe?: boolean;
  /** Any output at all: a sign of life for hang detection. */
  readonly onActivity?: () => void;
  readonly onPid?: (pid: number) => void;
  /** Time between SIGINT and SIGKILL on cancel (default 1000 ms). */
  readonly killGraceMs?: number;
  /** How many non-blank console lines to keep in `stderrTail` (default 50). */
  readonly tailLines?: number;
}

export interface RunResult {
  /** True only for exit code 0, no signal, not cancelled. */
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Cancel was asked for (AbortSignal or cancel()); never a success. */
  readonly cancelled: boolean;
  /** The grace period ran out and SIGKILL was sent (the output may be corrupt). */
  readonly killed: boolean;
  /** Last console lines (stderr, and stdout unless captured), for failure messages. */
  readonly stderrTail: readonly string[];
  readonly stdout: string;
  readonly mode: 'pty' | 'pipes';
  readonly durationMs: number;
}

export interface RunningProcess {
  readonly pid: number;
  readonly mode: 'pty' | 'pipes';
  readonly console: ConsoleBuffer;
  readonly result: Promise<RunResult>;
  /** The tool's stdin when `stdinPipe` was asked for, else null. */
  readonly stdin: Writable | null;
  readonly suspended: boolean;
  /** SIGSTOP to the group; false if the process is gone. */
  suspend(): boolean;
  /** SIGCONT to the group; false if the process is gone. */
  resume(): boolean;
  cancel(): void;
}

const MAX_STDOUT = 32 * 1024 * 1024;

/** SIGINT, then SIGKILL this long after it. */
export const DEFAULT_KILL_GRACE_MS = 1000;

/** Signals the tool's process group (it leads one in both modes); false when it is gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** Starts the tool; rejects with ProcessStartError when it cannot start at all. */
export async function startProcess(options: RunProcessOptions): Promise<RunningProcess> {
  const consoleBuffer = options.consoleBuffer ?? new ConsoleBuffer();
  const started = Date.now();
  let stdout = '';
  const backendOptions: BackendSpawnOptions = {
    command: options.command,
    args: options.args,
    cwd: options.cwd,
    env: options.env,
    onConsole: (text) => {
      consoleBuffer.write(text);
      options.onActivity?.();
    },
    onStdout: options.captureStdout
      ? (text) => {
          if (stdout.length < MAX_STDOUT) stdout += text;
          options.onActivity?.();
        }
      : undefined,
    onFd3: options.onFd3
      ? (text) => {
          options.onFd3!(text);
          options.onActivity?.();
        }
      : undefined,
    ...(options.stdinPipe ? { stdinPipe: true } : {}),
  };
  const wantsPty = options.console === 'pty' && !options.captureStdout && !options.onFd3 && !options.stdinPipe;
  const spawned: SpawnedTool = (wantsPty ? await spawnWithPty(backendOptions) : null) ?? (await spawnWithPipes(backendOptions));
  const { pid } = spawned;
  options.onPid?.(pid);

  let cancelled = false;
  let killed = false;
  let exited = false;
  let suspended = false;
  let killTimer: NodeJS.Timeout | null = null;

  const cancel = (): void => {
    if (cancelled || exited) return;
    cancelled = true;
    signalGroup(pid, 'SIGINT');
    signalGroup(pid, 'SIGCONT'); // a stopped process only acts on SIGINT once continued
    suspended = false;
    killTimer = setTimeout(() => {
      if (exited) return;
      killed = true;
      signalGroup(pid, 'SIGKILL');
    }, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  };
  const onAbort = (): void => cancel();
  if (options.signal?.aborted) cancel();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const result = spawned.exited
    .finally(() => {
      exited = true;
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // Whatever the tool left in its group after a cancel goes too.
      if (cancelled) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // The group is gone: nothing left behind.
        }
      }
    })
    .then(({ exitCode, signal }): RunResult => ({
      ok: exitCode === 0 && signal === null && !cancelled,
      exitCode,
      signal,
      cancelled,
      killed,
      stderrTail: consoleBuffer.tail(options.tailLines ?? 50),
      stdout,
      mode: spawned.mode,
      durationMs: Date.now() - started,
    }));

  return {
    pid,
    mode: spawned.mode,
    console: consoleBuffer,
    result,
    stdin: spawned.stdin,
    get suspended() {
      return suspended;
    },
    suspend() {
      if (exited || cancelled) return false;
      suspended = signalGroup(pid, 'SIGSTOP');
      return suspended;
    },
    resume() {
      if (exited) return false;
      const ok = signalGroup(pid, 'SIGCONT');
      if (ok) suspended = false;
      return ok;
    },
    cancel,
  };
}

/** Starts the tool and waits for it. */
export async function runProcess(options: RunProcessOptions): Promise<RunResult> {
  return (await startProcess(options)).result;
}
