/**
 * Shared by the `media` benchmarks: the real embedded runtime with the real processors
 * (startMediaRuntime), a job timed from `createJob` to its `completed` event, a direct tool
 * run timed from spawn to exit, and CPU accounting (this process and its reaped children) for
 * the diagnostics on stderr.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { JobDetail } from '../src/shared/contracts/job';
import type { MediaEvent } from '../src/shared/contracts/events';
import type { MediaRuntime } from '../src/main/processors/testing/media-runtime';

export interface TimedJob {
  readonly job: JobDetail;
  /** From calling createJob to the `job.updated` event that says `completed`. */
  readonly ms: number;
  /** From calling createJob to the first `running` event (queue wait + claim). */
  readonly startedAfterMs: number | null;
  /** Log lines as the job wrote them, in ms since createJob (from their `at`, so 1 ms resolution). */
  readonly logAt: readonly { readonly ms: number; readonly text: string }[];
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);

/**
 * Creates a job and waits for its end through the runtime's events (no polling, so no polling
 * granularity in the time). Throws, with the job's log, unless it completed at the first attempt.
 */
export async function timeJob(m: MediaRuntime, type: string, params: Record<string, unknown>, timeoutMs: number): Promise<TimedJob> {
  const { runtime } = m.embedded;
  const seen: { at: number; event: MediaEvent }[] = [];
  let jobId: string | null = null;
  let settle: (() => void) | null = null;
  const ended = (e: MediaEvent) =>
    e.type === 'job.updated' && e.job.id === jobId && (ENDED.has(e.job.status) || (e.job.status === 'queued' && e.job.retryAfter !== null));
  const unsubscribe = runtime.subscribe((event) => {
    if (event.type === 'job.console' || event.type === 'stats.changed') return;
    seen.push({ at: performance.now(), event });
    if (settle && ended(event)) settle();
  });
  try {
    const wallStart = Date.now();
    const t0 = performance.now();
    const { id } = await runtime.execute('createJob', { type, params });
    jobId = id;
    const done = new Promise<void>((resolve, reject) => {
      if (seen.some((s) => ended(s.event))) return resolve();
      const timer = setTimeout(() => reject(new Error(`media: ${type} job ${id} did not end within ${timeoutMs} ms`)), timeoutMs);
      settle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    await done;
    const end = seen.find((s) => ended(s.event))!;
    const job = await runtime.execute('getJob', { id });
    if (job.status !== 'completed' || end.event.type !== 'job.updated' || end.event.job.status !== 'completed') {
      throw new Error(`media: ${type} job ${id} ended ${job.status} (${job.lastError ?? 'no error'}); log:\n${job.log}`);
    }
    const running = seen.find((s) => s.event.type === 'job.updated' && s.event.job.id === id && s.event.job.status === 'running');
    const logAt = seen.flatMap((s) => (s.event.type === 'job.log' && s.event.jobId === id ? [{ ms: Date.parse(s.event.at) - wallStart, text: s.event.text }] : []));
    return { job, ms: end.at - t0, startedAfterMs: running ? running.at - t0 : null, logAt };
  } finally {
    unsubscribe();
  }
}

/** ms since createJob of the first log line matching `pattern` (null if none). */
export function loggedAt(timed: TimedJob, pattern: RegExp): number | null {
  return timed.logAt.find((l) => pattern.test(l.text))?.ms ?? null;
}

/** Runs a tool with an argument array (no shell); resolves with its stdout and the ms from spawn to exit. */
export function timeTool(command: string, args: readonly string[]): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (error) reject(new Error(`media: ${command} ${args.join(' ')} failed: ${error.message}\n${stderr.slice(-2000)}`));
      else resolve({ ms, stdout });
    });
  });
}

export interface CpuTimes {
  /** This process (the runtime, the bench). */
  readonly selfMs: number;
  /** Children that have exited and been reaped (ffmpeg, ffprobe); null off Linux. */
  readonly childrenMs: number | null;
}

/** CPU used so far by this process and by its reaped children (user + system). */
export function cpuTimes(): CpuTimes {
  const self = process.cpuUsage();
  let childrenMs: number | null = null;
  try {
    // fields after "pid (comm) ": state is field 3; cutime and cstime are fields 16 and 17, in clock ticks (100/s on Linux)
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    childrenMs = ((Number(fields[16 - 3]) + Number(fields[17 - 3])) * 1000) / 100;
  } catch {
    // not Linux
  }
  return { selfMs: (self.user + self.system) / 1000, childrenMs };
}

/** CPU used between two cpuTimes() readings, for the diagnostics. */
export function cpuSince(start: CpuTimes): { selfMs: number; childrenMs: number | null } {
  const now = cpuTimes();
  return { selfMs: now.selfMs - start.selfMs, childrenMs: now.childrenMs === null || start.childrenMs === null ? null : now.childrenMs - start.childrenMs };
}

/** The 1-minute load average (other work on the machine), for the notes. */
export function loadAverage(): number {
  return loadavg()[0]!;
}
