/**
 * On a card with NVDEC but no NVENC (H100, H200, A100 …) an encode can still decode on the GPU and
 * encode in software. Whether that beats all-software depends on the machine (many CPU cores make
 * software decoding cheap; the copy back from the GPU costs), so it is MEASURED once at start-up,
 * not assumed: the same 2 s 1080p H.264 clip (made from a lavfi source) is encoded with libx264
 * twice each way, decoded in software and decoded with NVDEC on the card, and the faster wins
 * (best of two runs each, so a cold CUDA context does not decide it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GpuProbeResult, pinnedEnv } from './gpu-probe';
import { firstMeaningfulLine } from './hardware-encoders';
import { runProcess } from './process-runner';

export interface DecodeChoice {
  /** The card it was measured on. */
  readonly gpuIndex: number;
  /** All-software (decode + libx264), best of two; null when that run failed. */
  readonly softwareMs: number | null;
  /** NVDEC decode + libx264, best of two; null when that run failed. */
  readonly nvdecMs: number | null;
  /** Whether encodes on NVENC-less cards decode on the GPU. */
  readonly decodeOnGpu: boolean;
  /** The decision in words, with both timings. */
  readonly summary: string;
}

/** The card to measure on: the first whose NVDEC works and whose NVENC encodes nothing; null when none. Pure. */
export function decodeOnlyGpu(probes: readonly GpuProbeResult[]): GpuProbeResult | null {
  return probes.find((p) => p.nvenc.length === 0 && p.nvdecFailure === null) ?? null;
}

/** The measured clip: 2 s of 1080p30 by default (tests pass a smaller one). */
export interface BenchClip {
  readonly size: string;
  readonly seconds: number;
}
export const DEFAULT_BENCH_CLIP: BenchClip = { size: '1920x1080', seconds: 2 };

export function benchClipArgs(output: string, clip: BenchClip = DEFAULT_BENCH_CLIP): string[] {
  return ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${clip.size}:r=30:d=${clip.seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', output];
}

/** The timed encode: libx264 veryfast to the null muxer, decoding on the GPU when `nvdec`. Pure. */
export function benchEncodeArgs(clip: string, nvdec: boolean): string[] {
  return ['-hide_banner', '-nostdin', '-v', 'error', ...(nvdec ? ['-hwaccel', 'cuda', '-hwaccel_device', '0'] : []), '-i', clip, '-c:v', 'libx264', '-preset', 'veryfast', '-f', 'null', '-'];
}

/** The decision from the two timings. Pure. */
export function decideDecode(gpuIndex: number, softwareMs: number | null, nvdecMs: number | null, why?: string, clip: BenchClip = DEFAULT_BENCH_CLIP): DecodeChoice {
  const decodeOnGpu = nvdecMs !== null && (softwareMs === null || nvdecMs < softwareMs);
  const timings = `NVDEC + libx264 ${nvdecMs === null ? `failed${why ? ` (${why})` : ''}` : `${nvdecMs} ms`}, all-software ${softwareMs === null ? 'failed' : `${softwareMs} ms`} (${clip.seconds} s ${clip.size} clip)`;
  return { gpuIndex, softwareMs, nvdecMs, decodeOnGpu, summary: `${decodeOnGpu ? 'decode on GPU' : 'all-software'} on GPU ${gpuIndex} (no NVENC): ${timings}` };
}

async function timed(ffmpegPath: string, args: readonly string[], env: Record<string, string> | undefined, timeoutMs: number): Promise<{ ms: number | null; why: string | null }> {
  const started = performance.now();
  const r = await runProcess({ command: ffmpegPath, args, ...(env ? { env: { ...process.env, ...env } } : {}), signal: AbortSignal.timeout(timeoutMs), killGraceMs: 1000, tailLines: 20 }).catch(
    (error: unknown) => ({ ok: false, cancelled: false, stderrTail: [error instanceof Error ? error.message : String(error)], exitCode: null }) as const,
  );
  if (r.ok) return { ms: Math.round(performance.now() - started), why: null };
  return { ms: null, why: r.cancelled ? `no answer within ${timeoutMs} ms` : (firstMeaningfulLine(r.stderrTail) ?? `exit code ${r.exitCode}`) };
}

const best = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** Measures on `gpu` (decodeOnlyGpu); never throws. */
export async function measureDecodeChoice(ffmpegPath: string, gpu: GpuProbeResult, timeoutMs = 30_000, bench: BenchClip = DEFAULT_BENCH_CLIP): Promise<DecodeChoice> {
  const dir = await mkdtemp(join(tmpdir(), 'gpu-decode-'));
  try {
    const clip = join(dir, 'bench.mp4');
    const made = await timed(ffmpegPath, benchClipArgs(clip, bench), undefined, timeoutMs);
    if (made.ms === null) return decideDecode(gpu.index, null, null, `no test clip: ${made.why}`, bench);
    const env = pinnedEnv(gpu);
    let softwareMs: number | null = null;
    let nvdecMs: number | null = null;
    let why: string | null = null;
    // alternated, so neither side always runs on a warmer machine
    for (let round = 0; round < 2; round++) {
      softwareMs = best(softwareMs, (await timed(ffmpegPath, benchEncodeArgs(clip, false), undefined, timeoutMs)).ms);
      const gpuRun = await timed(ffmpegPath, benchEncodeArgs(clip, true), env, timeoutMs);
      nvdecMs = best(nvdecMs, gpuRun.ms);
      why ??= gpuRun.why;
    }
    return decideDecode(gpu.index, softwareMs, nvdecMs, why ?? undefined, bench);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
