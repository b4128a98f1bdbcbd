/**
 * The per-GPU inventory of a node: every NVIDIA GPU nvidia-smi reports (index, UUID, name, VRAM
 * total/used/free, encoder sessions and utilisation, decoder utilisation, driver), sampled
 * asynchronously (execFile with an argument array; never systeminformation's synchronous call).
 *
 * The query is the one #18 names, with utilization.gpu and temperature.gpu appended for the
 * System page (so one nvidia-smi run every interval serves both). Fields nvidia-smi cannot read
 * on a card print as `[N/A]` (or `[Not Supported]`): they parse as null, and a line without
 * index, total or used memory is skipped.
 *
 * GpuInventory is the port the runtime reads; NvidiaGpuSampler is the real implementation and
 * tests pass fakes (a fixed list, or a fake nvidia-smi binary to the sampler).
 */
import { execFile } from 'node:child_process';
import { childEnvironment } from './child-environment';
import type { GpuSample } from './nvidia-smi';

export interface NvidiaGpu extends GpuSample {
  readonly uuid: string | null;
  readonly freeMb: number | null;
  /** NVENC sessions open on the card now (every program's). */
  readonly encoderSessions: number | null;
  readonly encoderUtilizationPercent: number | null;
  readonly decoderUtilizationPercent: number | null;
  readonly driverVersion: string | null;
}

/** One process's use of one GPU (`--query-compute-apps`). */
export interface GpuProcessUse {
  readonly gpuUuid: string;
  readonly pid: number;
  readonly usedMb: number;
}

export interface GpuInventory {
  /** The GPUs at the last sample ([] when there are none or nvidia-smi is missing). */
  gpus(): readonly NvidiaGpu[];
  /** The processes using each GPU at the last sample; absent where that is not known. */
  processes?(): readonly GpuProcessUse[];
  /** Whether processes() answered at the last sample. */
  readonly processesKnown?: boolean;
}

export const NVIDIA_APPS_QUERY = 'gpu_uuid,pid,used_memory';

/** Parses `--query-compute-apps=${NVIDIA_APPS_QUERY} --format=csv,noheader,nounits`; [N/A] memory counts as 0. */
export function parseComputeAppsCsv(text: string): GpuProcessUse[] {
  const out: GpuProcessUse[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(',');
    const gpuUuid = textOrNull(f[0]);
    const pid = numberOrNull(f[1]);
    if (gpuUuid === null || pid === null) continue;
    out.push({ gpuUuid, pid, usedMb: numberOrNull(f[2]) ?? 0 });
  }
  return out;
}

export const NVIDIA_GPU_QUERY =
  'index,uuid,name,memory.total,memory.used,memory.free,encoder.stats.sessionCount,utilization.encoder,utilization.decoder,driver_version,utilization.gpu,temperature.gpu';

function numberOrNull(field: string | undefined): number | null {
  if (field === undefined) return null;
  const t = field.trim();
  if (t === '' || t.startsWith('[')) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function textOrNull(field: string | undefined): string | null {
  const t = field?.trim();
  return t === undefined || t === '' || t.startsWith('[') ? null : t;
}

/** Parses `--query-gpu=${NVIDIA_GPU_QUERY} --format=csv,noheader,nounits` output. */
export function parseNvidiaGpuCsv(text: string): NvidiaGpu[] {
  const out: NvidiaGpu[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.split(',');
    const index = numberOrNull(f[0]);
    const totalMb = numberOrNull(f[3]);
    const usedMb = numberOrNull(f[4]);
    if (index === null || totalMb === null || usedMb === null) continue;
    out.push({
      index,
      uuid: textOrNull(f[1]),
      name: textOrNull(f[2]) ?? 'GPU',
      totalMb,
      usedMb,
      freeMb: numberOrNull(f[5]),
      encoderSessions: numberOrNull(f[6]),
      encoderUtilizationPercent: numberOrNull(f[7]),
      decoderUtilizationPercent: numberOrNull(f[8]),
      driverVersion: textOrNull(f[9]),
      utilizationPercent: numberOrNull(f[10]),
      temperatureC: numberOrNull(f[11]),
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

function query(binary: string, args: string[], timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: timeoutMs, env: childEnvironment() }, (error, stdout) => resolve(error ? null : stdout));
  });
}

export async function sampleNvidiaGpus(binary = 'nvidia-smi', timeoutMs = 5000): Promise<NvidiaGpu[] | null> {
  const out = await query(binary, [`--query-gpu=${NVIDIA_GPU_QUERY}`, '--format=csv,noheader,nounits'], timeoutMs);
  return out === null ? null : parseNvidiaGpuCsv(out);
}

/** Every process's use of each GPU; null when the query failed (then nothing is known per process). */
export async function sampleGpuProcesses(binary = 'nvidia-smi', timeoutMs = 5000): Promise<GpuProcessUse[] | null> {
  const out = await query(binary, [`--query-compute-apps=${NVIDIA_APPS_QUERY}`, '--format=csv,noheader,nounits'], timeoutMs);
  return out === null ? null : parseComputeAppsCsv(out);
}

/** Samples every `intervalMs`; stops sampling for good when nvidia-smi is missing. */
export class NvidiaGpuSampler implements GpuInventory {
  private timer: NodeJS.Timeout | null = null;
  private latest: NvidiaGpu[] = [];
  private apps: GpuProcessUse[] | null = null;

  constructor(
    private readonly intervalMs = 2000,
    private readonly binary = 'nvidia-smi',
  ) {}

  async start(): Promise<void> {
    if (!(await this.sampleOnce())) return;
    this.timer = setInterval(() => void this.sampleOnce(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  gpus(): readonly NvidiaGpu[] {
    return this.latest;
  }

  processes(): readonly GpuProcessUse[] {
    return this.apps ?? [];
  }

  /** Whether the last per-process query answered (else per-process use is unknown). */
  get processesKnown(): boolean {
    return this.apps !== null;
  }

  /** False when nvidia-smi is missing or failed (sampling stops). */
  async sampleOnce(): Promise<boolean> {
    const [sample, apps] = await Promise.all([sampleNvidiaGpus(this.binary), sampleGpuProcesses(this.binary)]);
    if (sample === null) {
      this.latest = [];
      this.apps = null;
      this.stop();
      return false;
    }
    this.latest = sample;
    this.apps = apps;
    return true;
  }
}

/** A fixed (or scripted) inventory for tests and for nodes without nvidia-smi. */
export class StaticGpuInventory implements GpuInventory {
  constructor(
    private list: readonly NvidiaGpu[] = [],
    private apps: readonly GpuProcessUse[] | null = null,
  ) {}
  set(list: readonly NvidiaGpu[], apps: readonly GpuProcessUse[] | null = this.apps): void {
    this.list = list;
    this.apps = apps;
  }
  gpus(): readonly NvidiaGpu[] {
    return this.list;
  }
  get processesKnown(): boolean {
    return this.apps !== null;
  }
  processes(): readonly GpuProcessUse[] {
    return this.apps ?? [];
  }
}
