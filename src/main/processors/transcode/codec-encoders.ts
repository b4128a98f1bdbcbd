/**
 * Encoders of the transcode codecs and how to drive each: libx264 / libx265 / libsvtav1 in software;
 * `<codec>_nvenc`, `_qsv`, `_vaapi` on the GPU. Which to try, in order, follows re-encode's rules: a
 * hardware family is tried only when the start-up probe passed its H.264 encoder (the device works
 * here: hardware-encoders.ts), and only if its encoder for this codec passes its own one-frame probe
 * (taken on first use, then remembered: Debian's ffmpeg 5.1 has no AV1 hardware encoders at all);
 * software comes last, and a codec whose software encoder this ffmpeg lacks is refused with a clear
 * error before anything runs.
 */
import { nvencDeviceArgs } from '../media/gpu-pinning';
import { runProcess } from '../media/process-runner';
import { DEFAULT_VAAPI_DEVICE, firstMeaningfulLine, type VideoEncoderId } from '../media/hardware-encoders';
import type { EncoderFamily, TranscodeCodec } from './transcode-settings';

export type TranscodeEncoderId =
  | 'libx264' | 'libx265' | 'libsvtav1'
  | 'h264_nvenc' | 'hevc_nvenc' | 'av1_nvenc'
  | 'h264_qsv' | 'hevc_qsv' | 'av1_qsv'
  | 'h264_vaapi' | 'hevc_vaapi' | 'av1_vaapi';

export const SOFTWARE_ENCODER: Readonly<Record<TranscodeCodec, TranscodeEncoderId>> = { h264: 'libx264', hevc: 'libx265', av1: 'libsvtav1' };
const HARDWARE_FAMILIES = ['nvenc', 'qsv', 'vaapi'] as const;

export function familyOf(encoder: TranscodeEncoderId): EncoderFamily {
  const m = /_(nvenc|qsv|vaapi)$/.exec(encoder);
  return m ? (m[1] as EncoderFamily) : 'software';
}

/** Encoders to try for `codec`, best first: the hardware families the start-up probe passed, then software. Pure. */
export function encoderOrder(codec: TranscodeCodec, startupAvailable: readonly VideoEncoderId[]): TranscodeEncoderId[] {
  const hardware = HARDWARE_FAMILIES.filter((f) => startupAvailable.includes(`h264_${f}` as VideoEncoderId)).map((f) => `${codec}_${f}` as TranscodeEncoderId);
  return [...hardware, SOFTWARE_ENCODER[codec]];
}

export interface VideoEncodeOptions {
  readonly quality: number;
  /** x264 preset name, mapped per encoder. */
  readonly preset: string;
  /** Keep 10 bits (HEVC Main10, AV1 10-bit): the source has more than 8. */
  readonly tenBit: boolean;
  /** x265-style mastering display and content light, for the software HEVC/AV1 encoders' SEI/OBUs. */
  readonly masteringDisplay?: string | null;
  readonly maxCll?: readonly [number, number] | null;
  readonly vaapiDevice?: string;
  /** NVENC's CUDA device (`-gpu`; 0 inside a pinned process, gpu-pinning.ts); absent: ffmpeg's default. */
  readonly gpuDevice?: number;
}

export interface VideoEncodeArgs {
  readonly inputArgs: readonly string[];
  /** The pixel format tail of the video filter chain (and the upload for VAAPI). */
  readonly filter: string;
  readonly outputArgs: readonly string[];
}

const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];
const NVENC_PRESETS = ['p1', 'p1', 'p2', 'p3', 'p3', 'p4', 'p5', 'p6', 'p7'];
const QSV_PRESETS = ['veryfast', 'veryfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];
// SVT-AV1 runs 0 (slowest) … 13; its default 10 is about x264's veryfast
const SVT_PRESETS = ['12', '11', '10', '9', '8', '7', '5', '4', '2'];

function presetIndex(preset: string): number {
  const i = X264_PRESETS.indexOf(preset);
  return i >= 0 ? i : X264_PRESETS.indexOf('medium');
}

/** SVT-AV1 wants chromaticities and luminance as decimals: `G(0.265,0.69)…L(1000,0.0001)`. Pure. */
export function svtMasteringDisplay(x265Form: string): string {
  return x265Form.replace(/([A-Z]+)\((\d+),(\d+)\)/g, (_, key: string, a: string, b: string) => {
    const scale = key === 'L' ? 10_000 : 50_000;
    return `${key}(${Number(a) / scale},${Number(b) / scale})`;
  });
}

/** The encoder's arguments for these options. Pure. */
export function videoEncodeArgs(encoder: TranscodeEncoderId, o: VideoEncodeOptions): VideoEncodeArgs {
  const q = String(Math.round(o.quality));
  const i = presetIndex(o.preset);
  const family = familyOf(encoder);
  const hdr10 = o.tenBit && (o.masteringDisplay || o.maxCll);
  switch (encoder) {
    case 'libx264':
      // H.264 stays 8-bit: High 10 plays almost nowhere
      return { inputArgs: [], filter: 'format=yuv420p', outputArgs: ['-c:v', 'libx264', '-preset', X264_PRESETS[i]!, '-crf', q] };
    case 'libx265': {
      const x265 = ['log-level=error', ...(hdr10 ? ['hdr10=1', 'hdr10-opt=1'] : []), ...(o.tenBit && o.masteringDisplay ? [`master-display=${o.masteringDisplay}`] : []), ...(o.tenBit && o.maxCll ? [`max-cll=${o.maxCll[0]},${o.maxCll[1]}`] : [])];
      return { inputArgs: [], filter: o.tenBit ? 'format=yuv420p10le' : 'format=yuv420p', outputArgs: ['-c:v', 'libx265', '-preset', X264_PRESETS[i]!, '-crf', q, '-x265-params', x265.join(':')] };
    }
    case 'libsvtav1': {
      const svt = [...(o.tenBit && o.masteringDisplay ? [`mastering-display=${svtMasteringDisplay(o.masteringDisplay)}`] : []), ...(o.tenBit && o.maxCll ? [`content-light=${o.maxCll[0]},${o.maxCll[1]}`] : [])];
      return {
        inputArgs: [],
        filter: o.tenBit ? 'format=yuv420p10le' : 'format=yuv420p',
        outputArgs: ['-c:v', 'libsvtav1', '-preset', SVT_PRESETS[i]!, '-crf', q, ...(svt.length ? ['-svtav1-params', svt.join(':')] : [])],
      };
    }
    default:
      break;
  }
  const tenBit = o.tenBit && !encoder.startsWith('h264');
  if (family === 'nvenc') {
    return {
      inputArgs: [],
      filter: tenBit ? 'format=p010le' : 'format=yuv420p',
      outputArgs: ['-c:v', encoder, ...nvencDeviceArgs(o.gpuDevice), '-preset', NVENC_PRESETS[i]!, '-rc', 'vbr', '-cq', q, '-b:v', '0', ...(tenBit && encoder === 'hevc_nvenc' ? ['-profile:v', 'main10'] : [])],
    };
  }
  if (family === 'qsv') {
    return { inputArgs: [], filter: tenBit ? 'format=p010le' : 'format=nv12', outputArgs: ['-c:v', encoder, '-preset', QSV_PRESETS[i]!, '-global_quality', q] };
  }
  return {
    inputArgs: ['-vaapi_device', o.vaapiDevice ?? DEFAULT_VAAPI_DEVICE],
    filter: `${tenBit ? 'format=p010' : 'format=nv12'},hwupload`,
    outputArgs: ['-c:v', encoder, '-rc_mode', 'CQP', '-qp', q, ...(tenBit && encoder === 'hevc_vaapi' ? ['-profile:v', 'main10'] : [])],
  };
}

/** The one-frame test encode of `encoder` (as the start-up probe does for H.264). Pure. */
export function encoderProbeArgs(encoder: TranscodeEncoderId): string[] {
  const { inputArgs, filter, outputArgs } = videoEncodeArgs(encoder, { quality: 30, preset: 'ultrafast', tenBit: false });
  return ['-hide_banner', '-nostdin', '-v', 'error', ...inputArgs, '-f', 'lavfi', '-i', 'color=black:s=256x256:d=0.04', '-vf', filter, '-frames:v', '1', ...outputArgs, '-f', 'null', '-'];
}

/**
 * Remembers which encoders work with which ffmpeg: each is probed once (a one-frame encode, at most
 * 15 s), on first use; concurrent asks share the probe.
 */
export class EncoderProbes {
  private readonly results = new Map<string, Promise<string | null>>();

  /** Null when `encoder` works, else why not (the first line ffmpeg printed). */
  failure(ffmpegPath: string, encoder: TranscodeEncoderId): Promise<string | null> {
    const key = `${ffmpegPath}\0${encoder}`;
    let result = this.results.get(key);
    if (!result) {
      result = runProcess({ command: ffmpegPath, args: encoderProbeArgs(encoder), signal: AbortSignal.timeout(15_000), killGraceMs: 1000, tailLines: 20 })
        .then((r) => (r.ok ? null : r.cancelled ? 'no answer within 15 s' : (firstMeaningfulLine(r.stderrTail) ?? `exit code ${r.exitCode}`)))
        .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
      this.results.set(key, result);
    }
    return result;
  }
}

/** One for the process: probes cost a process start each, and the encoders of an ffmpeg do not change while it runs. */
export const encoderProbes = new EncoderProbes();
