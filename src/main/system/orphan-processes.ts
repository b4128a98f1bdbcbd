/**
 * After a crash, the child processes of the attempts that were running may still be alive (an
 * encode keeps burning the GPU with nobody to read its result). Their PIDs were recorded when they
 * started; a PID is killed only if /proc shows it still runs the recorded command, so a PID the
 * system has since reused for something else is left alone.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface OrphanCandidate {
  readonly pid: number;
  readonly command: string;
}

async function commandLineOf(pid: number): Promise<string[] | null> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/** Kills the recorded processes still running their recorded command; returns the PIDs killed. */
export async function killOrphanProcesses(candidates: readonly OrphanCandidate[]): Promise<number[]> {
  const killed: number[] = [];
  for (const c of candidates) {
    if (c.pid === process.pid) continue;
    const argv = await commandLineOf(c.pid);
    if (!argv || argv.length === 0 || basename(argv[0]!) !== basename(c.command)) continue;
    try {
      process.kill(c.pid, 'SIGCONT');
      process.kill(c.pid, 'SIGKILL');
      killed.push(c.pid);
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}
