/**
 * What uses the GPU and what runs on this machine, for yielding the GPU to the person at it
 * (core/gpu-yield.ts decides). Two real sources behind one port:
 *   - the process table: /proc/<pid>/comm of every process, matched against configured names;
 *   - nvidia-smi: `--query-gpu=encoder.stats.sessionCount` (encoder sessions open on the GPU) and
 *     `pmon -c 1 -s u` (which processes use the encoder, with their names).
 * nvidia-smi runs asynchronously with a timeout (a synchronous call stalls the event loop); where it
 * is missing, the encoder fields read null and it is not tried again.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { matchesName, type GpuActivityReading, type SeenProcess } from '../core/gpu-yield';

export interface GpuActivitySource {
  /** One look: processes of `names` running now, and the GPU encoder's users (null where unknown). */
  read(names: readonly string[], watchEncoder: boolean): Promise<GpuActivityReading>;
}

/** Processes whose /proc/<pid>/comm matches one of `names`. */
export async function findNamedProcesses(names: readonly string[], procDir = '/proc'): Promise<SeenProcess[]> {
  if (names.length === 0) return [];
  let entries: string[];
  try {
    entries = await readdir(procDir);
  } catch {
    return []; // no /proc (not Linux): nothing can be seen
  }
  const pids = entries.filter((e) => /^\d+$/.test(e));
  const found: SeenProcess[] = [];
  // in slices: a busy machine has thousands of processes, and each read is a file open
  for (let i = 0; i < pids.length; i += 256) {
    const slice = pids.slice(i, i + 256);
    const comms = await Promise.all(slice.map((pid) => readFile(join(procDir, pid, 'comm'), 'utf8').catch(() => null)));
    slice.forEach((pid, j) => {
      const comm = comms[j]?.trim();
      if (!comm) return;
      const name = names.find((n) => matchesName(comm, n));
      if (name) found.push({ pid: Number(pid), name });
    });
  }
  return found;
}

/** Runs a command and resolves with its stdout; rejects on a failure or after `timeoutMs`. */
export type CommandRunner = (file: string, args: readonly string[], timeoutMs: number) => Promise<string>;

const runCommand: CommandRunner = (file, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: timeoutMs, windowsHide: true }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });

/** `pmon -c 1 -s u` rows: `gpu pid type sm mem enc dec [jpg ofa] command`; the encoder's users have enc > 0. */
export function parsePmon(text: string): SeenProcess[] {
  const out: SeenProcess[] = [];
  let encColumn = 5;
  let commandColumn = -1;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (line.startsWith('#')) {
      const header = line.replace(/^#\s*/, '').trim().split(/\s+/);
      if (header.includes('enc')) encColumn = header.indexOf('enc');
      if (header.includes('command')) commandColumn = header.indexOf('command');
      continue;
    }
    if (fields.length < encColumn + 2) continue;
    const pid = Number(fields[1]);
    const enc = Number(fields[encColumn]);
    if (!Number.isInteger(pid) || !(enc > 0)) continue;
    const name = commandColumn >= 0 ? fields.slice(commandColumn).join(' ') : fields.at(-1)!;
    out.push({ pid, name });
  }
  return out;
}

export function parseSessionCount(text: string): number | null {
  const counts = text.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number);
  return counts.length > 0 ? counts.reduce((a, b) => a + b, 0) : null;
}

export class SystemGpuActivity implements GpuActivitySource {
  private smiMissing = false;

  constructor(
    private readonly options: { readonly procDir?: string; readonly nvidiaSmi?: string; readonly run?: CommandRunner; readonly timeoutMs?: number } = {},
  ) {}

  async read(names: readonly string[], watchEncoder: boolean): Promise<GpuActivityReading> {
    const [namedProcesses, encoder] = await Promise.all([findNamedProcesses(names, this.options.procDir), watchEncoder ? this.readEncoder() : null]);
    return { namedProcesses, encoderProcesses: encoder?.processes ?? null, encoderSessions: encoder?.sessions ?? null };
  }

  private async readEncoder(): Promise<{ processes: SeenProcess[] | null; sessions: number | null } | null> {
    if (this.smiMissing) return null;
    const run = this.options.run ?? runCommand;
    const smi = this.options.nvidiaSmi ?? 'nvidia-smi';
    const timeout = this.options.timeoutMs ?? 5_000;
    const [sessions, pmon] = await Promise.all([
      run(smi, ['--query-gpu=encoder.stats.sessionCount', '--format=csv,noheader,nounits'], timeout).then(parseSessionCount, (e: unknown) => this.failed(e)),
      run(smi, ['pmon', '-c', '1', '-s', 'u'], timeout).then(parsePmon, (e: unknown) => this.failed(e)),
    ]);
    return { processes: pmon, sessions };
  }

  private failed(error: unknown): null {
    if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') this.smiMissing = true;
    return null;
  }
}
