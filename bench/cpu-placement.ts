/**
 * CPU placement for the `api` section's fan-out runs: the server process on one CPU, this process
 * (the create clients) and the processes it starts afterwards (the SSE clients) on the others, so
 * that what the clients spend is not taken from the server, as when they are browsers on other
 * machines. Linux `taskset` (util-linux) on every thread of a process (`-a`); where it cannot be
 * used (one CPU, no taskset, another system) the runs are not made and the reason is reported.
 */
import { execFileSync } from 'node:child_process';

export interface CpuPlacement {
  /** The server's CPU and the clients' CPUs, as taskset lists ("0", "1-3"). */
  readonly server: string;
  readonly clients: string;
  /** Puts both processes back on every CPU they had. */
  release(): void;
}

/** The CPUs a process may run on, as taskset prints them ("0-3,6"). */
function affinityList(pid: number): string {
  const out = execFileSync('taskset', ['-cp', String(pid)], { encoding: 'utf8' });
  const list = /list:\s*(\S+)/.exec(out)?.[1];
  if (!list) throw new Error(`taskset printed no affinity list: ${out.trim()}`);
  return list;
}

/** Every CPU of a taskset list, in order. */
function cpusOf(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    return Array.from({ length: to! - from + 1 }, (_, i) => from + i);
  });
}

const setAffinity = (pid: number, list: string) => execFileSync('taskset', ['-a', '-cp', list, String(pid)], { stdio: 'ignore' });

/**
 * Pins the server to its first allowed CPU and this process to the rest; a string says why it could
 * not (and then both are on every CPU they had). `release()` restores both even if one fails.
 */
export function placeApart(serverPid: number): CpuPlacement | string {
  let restore: (() => void) | null = null;
  try {
    const original = affinityList(process.pid);
    const serverOriginal = affinityList(serverPid);
    const cpus = cpusOf(original);
    if (cpus.length < 2) return `only CPU ${original} to run on`;
    const server = String(cpus[0]);
    const clients = cpus.slice(1).join(',');
    restore = () => {
      const failures: unknown[] = [];
      for (const [pid, list] of [[process.pid, original], [serverPid, serverOriginal]] as const) {
        try {
          setAffinity(pid, list);
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw new Error(`could not restore the CPU affinity: ${failures.map(String).join('; ')}`);
    };
    setAffinity(serverPid, server);
    setAffinity(process.pid, clients);
    return { server, clients, release: restore };
  } catch (error) {
    // the server may already be pinned: put both back before the runs that share every CPU
    restore?.();
    return `taskset failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}
