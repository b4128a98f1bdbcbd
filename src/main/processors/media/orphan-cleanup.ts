/**
 * After a crash, the tools the previous run started may still be running (they lead their own
 * process groups, so they outlive us). The caller recorded their PIDs through `onPid`; at start-up
 * it hands them here. A PID is only killed when /proc/<pid>/cmdline still shows the same tool
 * (and, when given, a marker argument such as the job's staged output path), so a PID the kernel
 * has since reused for something else is left alone. Linux only: without /proc nothing can be
 * verified and nothing is killed.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface OrphanMatch {
  /** The tool's path or bare name (`ffmpeg`, `/usr/bin/ffmpeg`): argv[0] must have the same base name. */
  readonly tool: string;
  /** When set, one argument must equal it (e.g. the partial output path the job wrote). */
  readonly marker?: string;
}

export interface OrphanCleanupReport {
  /** Matching processes that were sent SIGKILL. */
  readonly killed: number[];
  /** PIDs that no longer exist. */
  readonly gone: number[];
  /** PIDs alive but running something else (reused), or unverifiable: left alone. */
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

async function processGroupOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgid = Number(fields[2]);
    return Number.isInteger(pgid) ? pgid : null;
  } catch {
    return null;
  }
}

export async function killOrphans(pids: Iterable<number>, match: OrphanMatch): Promise<OrphanCleanupReport> {
  const report: OrphanCleanupReport = { killed: [], gone: [], skipped: [] };
  for (const pid of new Set(pids)) {
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) {
      report.skipped.push(pid);
      continue;
    }
    if (!isAlive(pid)) {
      report.gone.push(pid);
      continue;
    }
    const argv = await readCommandLine(pid);
    if (!argv || !commandLineMatches(argv, match)) {
      report.skipped.push(pid);
      continue;
    }
    // It led its own group when we started it: take its children along.
    const group = await processGroupOf(pid);
    try {
      process.kill(group === pid ? -pid : pid, 'SIGKILL');
      report.killed.push(pid);
    } catch {
      report.gone.push(pid);
    }
  }
  return report;
}
