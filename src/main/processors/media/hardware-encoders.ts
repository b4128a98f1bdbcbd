/**
 * Which H.264 encoders work on this machine, and how to drive each one.
 *
 * Listing `ffmpeg -encoders` proves nothing: Debian's ffmpeg has NVENC, QSV and VAAPI compiled in
 * and they fail at run time without the hardware. So each one is probed once at start-up with a
 * real one-frame encode of a black 256×256 lavfi frame to the null muxer, with a short timeout;
 * the reason a probe failed is the first line ffmpeg printed at `-v error` (e.g. "Cannot load
 * libcuda.so.1"). libx264 is probed the same way: it is the software fall-back every GPU job can
 * use when the hardware is missing or busy.
 *
 * encoderArgs() maps our quality knobs (x264-style preset, CRF, optional bit-rate cap) onto each
 * encoder's own options, with the input options and the filter tail some of them need (VAAPI
 * must upload frames to the GPU), and NVDEC decoding (`decode`: frames kept on the GPU for NVENC, or
 * copied back). NVENC limits concurrent sessions on consumer cards, per system (not per card):
 * nvencSessionLimit() gives the cap the scheduler should respect. Each NVIDIA GPU is also probed on
 * its own (gpu-probe.ts, node-encoders.ts).
 */
import { runProcess } from './process-runner';
import { cudaDecodeArgs, nvencDeviceArgs } from './gpu-pinning';
import type { DecodeChoice } from './gpu-decode-choice';
import type { GpuProbeResult } from './gpu-probe';

export type VideoEncoderId = 'h264_nvenc' | 'h264_qsv' | 'h264_vaapi' | 'libx264';

/** Hardware encoders, best first. */
export const HARDWARE_ENCODERS: readonly VideoEncoderId[] = ['h264_nvenc', 'h264_qsv', 'h264_vaapi'];
export const DEFAULT_VAAPI_DEVICE = '/dev/dri/renderD128';
/** Concurrent NVENC sessions allowed on GeForce cards (drivers since 2023). */
export const DEFAULT_NVENC_SESSION_LIMIT = 5;

export interface EncoderProbeFailure {
  readonly encoder: VideoEncoderId;
  readonly reason: string;
}

export interface EncoderInventory {
  /** Working encoders in preference order: hardware ones first, libx264 last. */
  readonly available: readonly VideoEncoderId[];
  readonly failed: readonly EncoderProbeFailure[];
  /** The first available encoder, or null when not even libx264 works. */
  readonly preferred: VideoEncoderId | null;
  /** The probe run per NVIDIA GPU (gpu-probe.ts); absent or [] when there is none (or it was not run). */
  readonly gpus?: readonly GpuProbeResult[];
  /** On a node whose GPUs have NVDEC but no NVENC: whether encodes decode on the GPU, as measured (gpu-decode-choice.ts). */
  readonly decodeChoice?: DecodeChoice | null;
}

export interface ProbeEncodersOptions {
  readonly ffmpegPath: string;
  readonly timeoutMs?: number;
  readonly vaapiDevice?: string;
  readonly signal?: AbortSignal;
}

export function usesGpu(encoder: VideoEncoderId): boolean {
  return encoder !== 'libx264';
}

/** The NVENC session cap: the configured value when it is a positive integer, else the default. */
export function nvencSessionLimit(configured?: number | null): number {
  return configured !== undefined && configured !== null && Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_NVENC_SESSION_LIMIT;
}

export interface EncoderParams {
  /** Constant-quality value on the x264 scale (0–51, lower is better; 23 is x264's default). */
  readonly crf: number;
  /** x264 preset name: ultrafast … veryslow. */
  readonly preset: string;
  /** Cap on the video bit rate; also sets a VBV buffer of twice that. */
  readonly targetBitrateKbps?: number;
  /** The CUDA device NVENC runs on (gpu-pinning.ts: 0 inside a pinned process); absent: ffmpeg's default. */
  readonly gpuDevice?: number;
  /**
   * Decode with NVDEC on `gpuDevice` (#18 item 3): `cuda_frames` keeps the frames on the GPU (NVENC
   * only: no software filter tail), `cuda` copies them back for a software encoder.
   */
  readonly decode?: 'cuda' | 'cuda_frames';
}

export interface EncoderArgs {
  /** Options that must come before the first `-i` (device set-up). */
  readonly inputArgs: readonly string[];
  /** Filters to append at the end of the video chain (pixel format, upload to the GPU). */
  readonly videoFilter: string;
  /** Output options: codec and rate control. */
  readonly outputArgs: readonly string[];
  /** The frames are CUDA frames on the GPU: scaling must use scale_cuda, and `videoFilter` is empty. */
  readonly framesOnGpu?: boolean;
}

const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];
const NVENC_PRESETS = ['p1', 'p1', 'p2', 'p3', 'p3', 'p4', 'p5', 'p6', 'p7'];
const QSV_PRESETS = ['veryfast', 'veryfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];

function presetIndex(preset: string): number {
  const index = X264_PRESETS.indexOf(preset);
  return index >= 0 ? index : X264_PRESETS.indexOf('medium');
}

export function encoderArgs(encoder: VideoEncoderId, params: EncoderParams, vaapiDevice = DEFAULT_VAAPI_DEVICE): EncoderArgs {
  const base = baseEncoderArgs(encoder, params, vaapiDevice);
  if (params.decode === 'cuda_frames' && encoder === 'h264_nvenc') return { ...base, inputArgs: cudaDecodeArgs(params.gpuDevice, true), videoFilter: '', framesOnGpu: true };
  if (params.decode === 'cuda' || params.decode === 'cuda_frames') return { ...base, inputArgs: [...cudaDecodeArgs(params.gpuDevice), ...base.inputArgs] };
  return base;
}

function baseEncoderArgs(encoder: VideoEncoderId, params: EncoderParams, vaapiDevice: string): EncoderArgs {
  const crf = String(Math.round(Math.min(51, Math.max(0, params.crf))));
  const target = params.targetBitrateKbps && params.targetBitrateKbps > 0 ? Math.round(params.targetBitrateKbps) : null;
  const cap = target ? ['-maxrate', `${target}k`, '-bufsize', `${target * 2}k`] : [];
  // QSV and VAAPI cannot cap a constant-quality mode: with a cap they run VBR at 3/4 of it.
  const vbr = target ? ['-b:v', `${Math.round(target * 0.75)}k`, ...cap] : [];
  const i = presetIndex(params.preset);
  switch (encoder) {
    case 'libx264':
      return { inputArgs: [], videoFilter: 'format=yuv420p', outputArgs: ['-c:v', 'libx264', '-preset', X264_PRESETS[i]!, '-crf', crf, ...cap] };
    case 'h264_nvenc':
      return {
        inputArgs: [],
        videoFilter: 'format=yuv420p',
        outputArgs: ['-c:v', 'h264_nvenc', ...nvencDeviceArgs(params.gpuDevice), '-preset', NVENC_PRESETS[i]!, '-rc', 'vbr', '-cq', crf, '-b:v', '0', ...cap],
      };
    case 'h264_qsv':
      return {
        inputArgs: [],
        videoFilter: 'format=nv12',
        outputArgs: ['-c:v', 'h264_qsv', '-preset', QSV_PRESETS[i]!, ...(target ? vbr : ['-global_quality', crf])],
      };
    case 'h264_vaapi':
      return {
        inputArgs: ['-vaapi_device', vaapiDevice],
        videoFilter: 'format=nv12,hwupload',
        outputArgs: ['-c:v', 'h264_vaapi', ...(target ? ['-rc_mode', 'VBR', ...vbr] : ['-rc_mode', 'CQP', '-qp', crf])],
      };
  }
}

/** The one-frame test encode for `encoder`. Pure. */
export function encoderProbeArgs(encoder: VideoEncoderId, vaapiDevice = DEFAULT_VAAPI_DEVICE): string[] {
  const { inputArgs, videoFilter } = encoderArgs(encoder, { crf: 30, preset: 'ultrafast' }, vaapiDevice);
  return [
    '-hide_banner', '-nostdin', '-v', 'error', ...inputArgs,
    '-f', 'lavfi', '-i', 'color=black:s=256x256:d=0.04',
    '-vf', videoFilter, '-frames:v', '1', '-c:v', encoder, '-f', 'null', '-',
  ];
}

/** First line that says something, without ffmpeg's `@ 0x55…` addresses. Pure. */
export function firstMeaningfulLine(lines: readonly string[]): string | null {
  const line = lines.map((l) => l.trim()).find((l) => l.length > 0 && !/^(Conversion failed!?|frame=.*)$/.test(l));
  return line ? line.replace(/ @ 0x[0-9a-f]+\]/i, ']') : null;
}

async function probeOne(encoder: VideoEncoderId, options: ProbeEncodersOptions): Promise<string | null> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const result = await runProcess({
    command: options.ffmpegPath,
    args: encoderProbeArgs(encoder, options.vaapiDevice),
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    killGraceMs: 1000,
    tailLines: 20,
  });
  if (result.ok) return null;
  if (result.cancelled) return options.signal?.aborted ? 'probe cancelled' : `no answer within ${timeoutMs} ms`;
  const all = result.stderrTail;
  return firstMeaningfulLine(all) ?? (result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}`);
}

/** Probes every hardware encoder and libx264, in parallel; never throws for a failing encoder. */
export async function probeEncoders(options: ProbeEncodersOptions): Promise<EncoderInventory> {
  const order: VideoEncoderId[] = [...HARDWARE_ENCODERS, 'libx264'];
  const reasons = await Promise.all(
    order.map((encoder) => probeOne(encoder, options).catch((error: unknown) => (error as Error).message || 'cannot run ffmpeg')),
  );
  const available = order.filter((_, i) => reasons[i] === null);
  const failed = order.flatMap((encoder, i) => (reasons[i] === null ? [] : [{ encoder, reason: reasons[i]! }]));
  return { available, failed, preferred: available[0] ?? null };
}
