/**
 * After a crash, the tools the previous run started may still be running (where the kernel could
 * not stop them with their node: see tool-leash.ts). The caller recorded their PIDs through
 * `onPid` with their start time (field 22 of /proc/<pid>/stat, clock ticks since boot); at start-up
 * it hands them here. A PID is only killed when it still has that start time AND /proc/<pid>/cmdline
 * still shows the same tool (and, when given, a marker argument such as the job's output path): a
 * PID the kernel has since reused for another process, even one running the same program, is left
 * alone, and so is a record without a start time (it cannot be told apart). Linux only: without
 * /proc nothing can be verified and nothing is killed.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface OrphanMatch {
  /** The tool's path or bare name (`ffmpeg`, `/usr/bin/ffmpeg`): argv[0] must have the same base name. */
  readonly tool: string;
  /** When set, one argument must equal it (e.g. the partial output path the job wrote). */
  readonly marker?: string;
}

/** A recorded process: its PID and the start time read when it was recorded (null: unknown). */
export interface OrphanRecord {
  readonly pid: number;
  readonly startTicks: number | null;
}

export interface OrphanCleanupReport {
  /** Matching processes that were sent SIGKILL. */
  readonly killed: number[];
  /** PIDs that no longer exist. */
  readonly gone: number[];
  /** PIDs alive but another process now (start time or program differ), or unverifiable: left alone. */
  readonly skipped: number[];
}

/** argv of a live process, or null when it is gone or unreadable. */
export async function readCommandLine(pid: number): Promise<string[] | null> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (raw.length === 0) return null; // a zombie or a kernel thread
    return raw.replace(/\0$/, '').split('\0');
  } catch {
    return null;
  }
}

/** Pure: does this argv belong to the recorded tool run? */
export function commandLineMatches(argv: readonly string[], match: OrphanMatch): boolean {
  const first = argv[0];
  if (first === undefined || basename(first) !== basename(match.tool)) return false;
  return match.marker === undefined || argv.includes(match.marker);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The fields of /proc/<pid>/stat from field 3 (state) on, or null when the process is gone. */
async function statFields(pid: number): Promise<string[] | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Pure: the start time (field 22, clock ticks since boot) from the text of /proc/<pid>/stat. */
export function startTicksFromStat(stat: string): number | null {
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  return Number.isSafeInteger(ticks) ? ticks : null;
}

/**
 * When the process with this PID started (field 22 of /proc/<pid>/stat, clock ticks since boot): with
 * the PID, it names one process for good. Null when it is gone or there is no /proc.
 */
export async function readStartTicks(pid: number): Promise<number | null> {
  try {
    return startTicksFromStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export async function killOrphans(records: Iterable<OrphanRecord>, match: OrphanMatch): Promise<OrphanCleanupReport> {
  const report: OrphanCleanupReport = { killed: [], gone: [], skipped: [] };
  const seen = new Set<number>();
  for (const { pid, startTicks } of records) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) {
      report.skipped.push(pid);
      continue;
    }
    if (!isAlive(pid)) {
      report.gone.push(pid);
      continue;
    }
    const fields = await statFields(pid);
    if (!fields || fields[0] === 'Z') {
      report.gone.push(pid); // a zombie has exited already
      continue;
    }
    // another start time is another process that got the PID; without one, no proof either way
    if (startTicks === null || Number(fields[19]) !== startTicks) {
      report.skipped.push(pid);
      continue;
    }
    const argv = await readCommandLine(pid);
    if (!argv || !commandLineMatches(argv, match)) {
      report.skipped.push(pid);
      continue;
    }
    // It led its own group when we started it: take its children along.
    const pgid = Number(fields[2]);
    const group = Number.isInteger(pgid) ? pgid : null;
    try {
      process.kill(group === pid ? -pid : pid, 'SIGKILL');
      report.killed.push(pid);
    } catch {
      report.gone.push(pid);
    }
  }
  return report;
}
