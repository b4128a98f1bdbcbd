/**
 * The node's encoder inventory at start-up: the unpinned probe of every H.264 encoder
 * (hardware-encoders.ts), the probe run on each NVIDIA GPU (gpu-probe.ts) and, where a card has
 * NVDEC but no NVENC, the measured choice between NVDEC decode + software encode and all-software
 * (gpu-decode-choice.ts).
 *
 * The unpinned NVENC probe only tests ffmpeg's default card: on a node whose GPU 0 is an H100 and
 * GPU 1 an RTX card it fails, yet GPU 1 encodes. So NVENC counts as available when ANY card's H.264
 * NVENC probe passed, and when none did its failure names each card's reason.
 */
import type { GpuEncodeSupport } from '../../core/gpu-placement';
import { decodeOnlyGpu, measureDecodeChoice, type BenchClip, type DecodeChoice } from './gpu-decode-choice';
import { probeGpus, type GpuProbeResult, type ProbedGpuId } from './gpu-probe';
import { HARDWARE_ENCODERS, probeEncoders, type EncoderInventory, type VideoEncoderId } from './hardware-encoders';

/** The inventory with the per-GPU probes folded in. Pure. */
export function withGpuProbes(inventory: EncoderInventory, gpus: readonly GpuProbeResult[], decodeChoice: DecodeChoice | null): EncoderInventory {
  if (gpus.length === 0) return { ...inventory, gpus: [], decodeChoice };
  const nvenc = gpus.some((g) => g.nvenc.includes('h264'));
  const works = (e: VideoEncoderId) => (e === 'h264_nvenc' ? nvenc : inventory.available.includes(e));
  const available = [...HARDWARE_ENCODERS, 'libx264' as const].filter(works);
  const perCard = gpus.map((g) => `GPU ${g.index} (${g.name}): ${g.nvencFailed.find((f) => f.codec === 'h264')?.reason ?? 'failed'}`).join('; ');
  const failed = [
    ...inventory.failed.filter((f) => f.encoder !== 'h264_nvenc'),
    ...(nvenc ? [] : [{ encoder: 'h264_nvenc' as const, reason: perCard }]),
  ];
  return { available, failed, preferred: available[0] ?? null, gpus, decodeChoice };
}

/** Per GPU index, what placement needs from the probe. Pure. */
export function encodeSupportOf(inventory: Pick<EncoderInventory, 'gpus' | 'decodeChoice'>): Map<number, GpuEncodeSupport> {
  const decodeOnGpu = inventory.decodeChoice?.decodeOnGpu === true;
  return new Map(
    (inventory.gpus ?? []).map((g) => [
      g.index,
      {
        nvencCodecs: g.nvenc,
        nvencFailure: g.nvenc.length > 0 ? null : (g.nvencFailed[0]?.reason ?? null),
        decodeOnly: decodeOnGpu && g.nvenc.length === 0 && g.nvdecFailure === null,
      },
    ]),
  );
}

export interface NodeEncoderOptions {
  readonly ffmpegPath: string;
  /** The NVIDIA GPUs nvidia-smi reported ([] without any). */
  readonly gpus: readonly ProbedGpuId[];
  readonly timeoutMs?: number;
  /** The clip the NVDEC-decode choice is measured on (default 2 s of 1080p). */
  readonly benchClip?: BenchClip;
}

/** Probes everything once; never throws for a failing encoder or card. */
export async function probeNodeEncoders(options: NodeEncoderOptions): Promise<EncoderInventory> {
  const [startup, gpus] = await Promise.all([
    probeEncoders({ ffmpegPath: options.ffmpegPath, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }),
    probeGpus({ ffmpegPath: options.ffmpegPath, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }, options.gpus),
  ]);
  const decodeOnly = decodeOnlyGpu(gpus);
  const choice = decodeOnly ? await measureDecodeChoice(options.ffmpegPath, decodeOnly, 30_000, options.benchClip) : null;
  return withGpuProbes(startup, gpus, choice);
}

/** A probe result as the System page shows it (plain data). Pure. */
export function gpuProbeView(g: GpuProbeResult): Omit<GpuProbeResult, 'nvenc' | 'nvencFailed'> & { nvenc: string[]; nvencFailed: { codec: string; reason: string }[] } {
  return { ...g, nvenc: [...g.nvenc], nvencFailed: g.nvencFailed.map((f) => ({ ...f })) };
}
