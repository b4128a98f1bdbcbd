/**
 * Live GPU telemetry from nvidia-smi, sampled asynchronously (execFile with an argument array) so
 * the event loop never stalls; systeminformation's graphics() runs it synchronously and is kept
 * for one-off inventory. On a machine without nvidia-smi the sampler reports no GPU.
 */
import { execFile } from 'node:child_process';
import { childEnvironment } from './child-environment';

export interface GpuSample {
  readonly index: number;
  readonly name: string;
  readonly totalMb: number;
  readonly usedMb: number;
  readonly utilizationPercent: number | null;
  readonly temperatureC: number | null;
}

const QUERY = 'index,name,memory.total,memory.used,utilization.gpu,temperature.gpu';

function numberOrNull(field: string | undefined): number | null {
  const n = Number(field?.trim());
  return field === undefined || Number.isNaN(n) ? null : n;
}

/** Parses `--format=csv,noheader,nounits` output; lines that do not parse are skipped. */
export function parseNvidiaSmiCsv(text: string): GpuSample[] {
  const out: GpuSample[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(',').map((s) => s.trim());
    if (f.length < 4) continue;
    const index = numberOrNull(f[0]);
    const totalMb = numberOrNull(f[2]);
    const usedMb = numberOrNull(f[3]);
    if (index === null || totalMb === null || usedMb === null) continue;
    out.push({ index, name: f[1] ?? 'GPU', totalMb, usedMb, utilizationPercent: numberOrNull(f[4]), temperatureC: numberOrNull(f[5]) });
  }
  return out;
}

export function sampleNvidiaSmi(binary = 'nvidia-smi', timeoutMs = 5000): Promise<GpuSample[] | null> {
  return new Promise((resolve) => {
    execFile(binary, [`--query-gpu=${QUERY}`, '--format=csv,noheader,nounits'], { timeout: timeoutMs, env: childEnvironment() }, (error, stdout) => {
      if (error) return resolve(null);
      resolve(parseNvidiaSmiCsv(stdout));
    });
  });
}

/** Samples every `intervalMs`; stops sampling for good when nvidia-smi is missing. */
export class GpuSampler {
  private timer: NodeJS.Timeout | null = null;
  private latest: GpuSample[] = [];
  private available = true;

  constructor(private readonly intervalMs = 2000, private readonly binary = 'nvidia-smi') {}

  async start(): Promise<void> {
    await this.sampleOnce();
    if (!this.available) return;
    this.timer = setInterval(() => void this.sampleOnce(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get gpus(): readonly GpuSample[] {
    return this.latest;
  }

  private async sampleOnce(): Promise<void> {
    const sample = await sampleNvidiaSmi(this.binary);
    if (sample === null) {
      this.available = false;
      this.latest = [];
      this.stop();
      return;
    }
    this.latest = sample;
  }
}
