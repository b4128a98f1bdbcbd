/**
 * nvidia-smi telemetry against our parser: our query (nvidia-gpus.ts, csv without header or
 * units) parsed by parseNvidiaGpuCsv, compared with an independent reading — nvidia-smi's own
 * header-and-units CSV of index, uuid, name and total memory, and `nvidia-smi -L` for the count.
 */
import { execFile } from 'node:child_process';
import { childEnvironment } from '../../system/child-environment';
import { NVIDIA_GPU_QUERY, parseNvidiaGpuCsv, type NvidiaGpu } from '../../system/nvidia-gpus';
import type { CheckItem } from './report';

function run(binary: string, args: string[]): Promise<{ ok: boolean; out: string; error: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: 15_000, env: childEnvironment() }, (error, stdout, stderr) =>
      resolve({ ok: !error, out: stdout, error: error ? (stderr.trim() || error.message).split('\n')[0]! : '' }),
    );
  });
}

/** Header-and-units CSV (`memory.total [MiB]`) read without our parser. Pure. */
export function parseIndependent(text: string): { index: number; uuid: string; name: string; totalMb: number }[] {
  const [header, ...rows] = text.split('\n').filter((l) => l.trim() !== '');
  if (!header) return [];
  return rows.map((row) => {
    const [index, uuid, name, total] = row.split(', ');
    return { index: Number(index), uuid: uuid ?? '', name: name ?? '', totalMb: Number((total ?? '').replace(/\s*MiB$/, '')) };
  });
}

export interface TelemetryResult {
  readonly item: Omit<CheckItem, 'name' | 'what' | 'ms'>;
  /** Our parser's GPUs ([] when nvidia-smi did not answer). */
  readonly gpus: NvidiaGpu[];
  readonly available: boolean;
}

export async function checkTelemetry(binary: string): Promise<TelemetryResult> {
  const ours = await run(binary, [`--query-gpu=${NVIDIA_GPU_QUERY}`, '--format=csv,noheader,nounits']);
  if (!ours.ok) {
    return { available: false, gpus: [], item: { status: 'not_tested', detail: `nvidia-smi did not answer (${ours.error || 'not found'}): no NVIDIA driver or GPU on this machine` } };
  }
  const gpus = parseNvidiaGpuCsv(ours.out);
  const [independent, list] = await Promise.all([run(binary, ['--query-gpu=index,uuid,name,memory.total', '--format=csv']), run(binary, ['-L'])]);
  const theirs = independent.ok ? parseIndependent(independent.out) : [];
  const listed = list.ok ? list.out.split('\n').filter((l) => /^GPU \d+:/.test(l)).length : null;
  const mismatches: string[] = [];
  if (listed !== null && listed !== gpus.length) mismatches.push(`nvidia-smi -L lists ${listed} GPU(s), our parser found ${gpus.length}`);
  for (const t of theirs) {
    const g = gpus.find((x) => x.index === t.index);
    if (!g) mismatches.push(`GPU ${t.index} (${t.name}) is missing from our parse`);
    else if (g.uuid !== t.uuid || g.name !== t.name || g.totalMb !== t.totalMb) mismatches.push(`GPU ${t.index}: ours ${g.uuid}/${g.name}/${g.totalMb} MiB, nvidia-smi ${t.uuid}/${t.name}/${t.totalMb} MiB`);
  }
  const fields = gpus.map((g) => `GPU ${g.index} ${g.name}: ${g.totalMb} MiB, ${g.usedMb} used, ${g.freeMb ?? '?'} free, ${g.encoderSessions ?? 'n/a'} NVENC sessions, driver ${g.driverVersion ?? '?'}`);
  return {
    available: gpus.length > 0,
    gpus,
    item: {
      status: mismatches.length === 0 && gpus.length > 0 ? 'passed' : 'failed',
      detail: mismatches.length > 0 ? mismatches.join('; ') : gpus.length === 0 ? 'nvidia-smi answered but our parser found no GPU' : fields.join('; '),
      data: { raw: ours.out, parsed: gpus, independent: theirs, listed },
    },
  };
}
