/**
 * The start-up hardware probe, run once per NVIDIA GPU (#18 item 1): which NVENC encoders (H.264,
 * HEVC, AV1) and whether NVDEC decoding and `scale_cuda` really work on THAT card.
 *
 * Each probe runs pinned the way a job's tools run (gpu-pinning.ts): CUDA_VISIBLE_DEVICES = the
 * card's UUID (its index when the UUID is unknown) with CUDA_DEVICE_ORDER=PCI_BUS_ID, so the card is
 * device 0 inside the process (`-gpu 0`, `-hwaccel_device 0`). A card with no NVENC at all (H100,
 * H200, A100 …) fails its encode probes, and the reason is kept (the first line ffmpeg printed).
 *
 * NVDEC needs an encoded input (a lavfi source is not decoded), so a 0.4 s H.264 clip is made once
 * in software into a temporary folder; each card then decodes it with `-hwaccel cuda
 * -hwaccel_output_format cuda` (frames stay on the card), and scales it there with `scale_cuda`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstMeaningfulLine } from './hardware-encoders';
import { runProcess } from './process-runner';

export type NvencCodec = 'h264' | 'hevc' | 'av1';
export const NVENC_CODECS: readonly NvencCodec[] = ['h264', 'hevc', 'av1'];

/** A GPU as the probe needs to know it. */
export interface ProbedGpuId {
  readonly index: number;
  readonly uuid: string | null;
  readonly name: string;
}

export interface GpuProbeResult extends ProbedGpuId {
  /** Codecs whose NVENC encoder passed its one-frame encode on this card. */
  readonly nvenc: readonly NvencCodec[];
  /** Why each other codec's NVENC failed here. */
  readonly nvencFailed: readonly { readonly codec: NvencCodec; readonly reason: string }[];
  /** Null when NVDEC (CUDA hwaccel) decoded the test clip into GPU frames, else why not. */
  readonly nvdecFailure: string | null;
  /** Null when `scale_cuda` scaled those frames on the card, else why not. */
  readonly scaleCudaFailure: string | null;
  /** How long this card's probes took, in all. */
  readonly ms: number;
}

export interface GpuProbeOptions {
  readonly ffmpegPath: string;
  /** Per probe; default 15 s (the first CUDA context on a card can take seconds). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The environment that makes `gpu` the only CUDA device (device 0) of a child process. Pure. */
export function pinnedEnv(gpu: Pick<ProbedGpuId, 'index' | 'uuid'>): Record<string, string> {
  return { CUDA_VISIBLE_DEVICES: gpu.uuid ?? String(gpu.index), CUDA_DEVICE_ORDER: 'PCI_BUS_ID' };
}

/** The one-frame NVENC encode of `codec` on the pinned device. Pure. */
export function nvencProbeArgs(codec: NvencCodec): string[] {
  return [
    '-hide_banner', '-nostdin', '-v', 'error',
    '-f', 'lavfi', '-i', 'color=black:s=256x256:d=0.04',
    '-vf', 'format=yuv420p', '-frames:v', '1', '-c:v', `${codec}_nvenc`, '-gpu', '0', '-f', 'null', '-',
  ];
}

/** NVDEC decode of `clip` into GPU frames, optionally scaled there with scale_cuda. Pure. */
export function nvdecProbeArgs(clip: string, scale: boolean): string[] {
  return [
    '-hide_banner', '-nostdin', '-v', 'error',
    '-hwaccel', 'cuda', '-hwaccel_device', '0', '-hwaccel_output_format', 'cuda',
    '-i', clip,
    ...(scale ? ['-vf', 'scale_cuda=128:128'] : []),
    '-f', 'null', '-',
  ];
}

/** The H.264 test clip NVDEC decodes (made in software). Pure. */
export function probeClipArgs(output: string): string[] {
  return ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=256x256:r=25:d=0.4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', output];
}

/** Null when the run succeeded, else why not. */
async function attempt(options: GpuProbeOptions, args: readonly string[], env?: Record<string, string>): Promise<string | null> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const result = await runProcess({
      command: options.ffmpegPath,
      args,
      ...(env ? { env: { ...process.env, ...env } } : {}),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      killGraceMs: 1000,
      tailLines: 20,
    });
    if (result.ok) return null;
    if (result.cancelled) return options.signal?.aborted ? 'probe cancelled' : `no answer within ${timeoutMs} ms`;
    return firstMeaningfulLine(result.stderrTail) ?? (result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}`);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function probeOneGpu(options: GpuProbeOptions, gpu: ProbedGpuId, clip: string | null, clipFailure: string | null): Promise<GpuProbeResult> {
  const started = Date.now();
  const env = pinnedEnv(gpu);
  // the encodes in parallel; then decode, and scale only when decode works (its failure would say nothing new)
  const encodes = await Promise.all(NVENC_CODECS.map((codec) => attempt(options, nvencProbeArgs(codec), env)));
  const nvdecFailure = clip === null ? `no test clip to decode (${clipFailure ?? 'unknown'})` : await attempt(options, nvdecProbeArgs(clip, false), env);
  const scaleCudaFailure = nvdecFailure !== null ? `not tried: NVDEC failed` : await attempt(options, nvdecProbeArgs(clip!, true), env);
  return {
    ...gpu,
    nvenc: NVENC_CODECS.filter((_, i) => encodes[i] === null),
    nvencFailed: NVENC_CODECS.flatMap((codec, i) => (encodes[i] === null ? [] : [{ codec, reason: encodes[i]! }])),
    nvdecFailure,
    scaleCudaFailure,
    ms: Date.now() - started,
  };
}

/** Probes every GPU (in parallel); never throws for a failing probe. [] without GPUs. */
export async function probeGpus(options: GpuProbeOptions, gpus: readonly ProbedGpuId[]): Promise<GpuProbeResult[]> {
  if (gpus.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'gpu-probe-'));
  try {
    const clip = join(dir, 'probe.mp4');
    const clipFailure = await attempt(options, probeClipArgs(clip));
    return await Promise.all(gpus.map((gpu) => probeOneGpu(options, gpu, clipFailure === null ? clip : null, clipFailure)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether the probe says `gpu` can run an NVENC encode of `codec`. Pure. */
export function nvencPassed(probe: GpuProbeResult | undefined, codec: NvencCodec): boolean {
  return probe !== undefined && probe.nvenc.includes(codec);
}

/** Whether frames can stay on `gpu` (NVDEC and scale_cuda both passed). Pure. */
export function fullGpuPassed(probe: GpuProbeResult | undefined): boolean {
  return probe !== undefined && probe.nvdecFailure === null && probe.scaleCudaFailure === null;
}
