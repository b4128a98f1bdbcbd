/**
 * Pure FFmpeg argument builders for single-input jobs (re-encode for streaming, thumbnail, GIF);
 * the multi-input compilations are in compilation-args.ts. Everything returns an argument array
 * for spawn (never a shell string) and is unit-tested without running ffmpeg.
 *
 * Rules every builder follows:
 * - `-nostdin`: cancel is SIGINT (then SIGKILL), never `q` on stdin, and a stray byte must not steer ffmpeg.
 * - `-y` only when the output is a staged `*.partial.<ext>` path (staged-output.ts); a final path
 *   gets `-n`, so ffmpeg itself refuses to overwrite a real result.
 * - Paths that are not absolute get `./`, so a name starting with `-` is not an option and one
 *   containing `:` is not read as a protocol.
 * - No progress plumbing (`-progress`): the runner adds it (run-ffmpeg.ts).
 */
import { isAbsolute } from 'node:path';
import { encoderArgs, type EncoderArgs, type VideoEncoderId } from './hardware-encoders';
import { isPartialPath } from './staged-output';

export interface VideoEncoding {
  readonly encoder: VideoEncoderId;
  /** x264-scale constant quality (0–51). */
  readonly crf: number;
  /** x264 preset name; mapped for hardware encoders. */
  readonly preset: string;
  readonly targetBitrateKbps?: number;
  readonly vaapiDevice?: string;
  /** The CUDA device NVENC runs on (see gpu-pinning.ts). */
  readonly gpuDevice?: number;
  /** NVDEC decode on `gpuDevice`; `cuda_frames` keeps frames on the GPU (full-GPU pipeline, hardware-encoders.ts). */
  readonly decode?: 'cuda' | 'cuda_frames';
}

export const DEFAULT_ENCODING: VideoEncoding = { encoder: 'libx264', crf: 23, preset: 'veryfast' };
export const DEFAULT_AUDIO_BITRATE_KBPS = 128;

/** A path as an ffmpeg argument: never an option, never a protocol. */
export function fileArg(path: string): string {
  return isAbsolute(path) ? path : `./${path}`;
}

/** Global options every run starts with. */
export function commonArgs(output: string): string[] {
  return ['-hide_banner', '-nostdin', isPartialPath(output) ? '-y' : '-n'];
}

export function resolveEncoding(encoding: VideoEncoding = DEFAULT_ENCODING): EncoderArgs {
  return encoderArgs(encoding.encoder, encoding, encoding.vaapiDevice);
}

/** `-movflags +faststart` for MP4-family outputs (moov before mdat: playback starts at once). */
export function containerArgs(output: string): string[] {
  return /\.(mp4|m4v|mov)$/i.test(output) ? ['-movflags', '+faststart'] : [];
}

export function audioArgs(bitrateKbps = DEFAULT_AUDIO_BITRATE_KBPS): string[] {
  return ['-c:a', 'aac', '-b:a', `${Math.round(bitrateKbps)}k`, '-ac', '2'];
}

function seconds(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

export interface ReencodeOptions {
  readonly input: string;
  readonly output: string;
  readonly encoding?: VideoEncoding;
  readonly audioBitrateKbps?: number;
  /** Scale down (never up) to at most this height, keeping the aspect ratio. */
  readonly maxHeight?: number;
}

/** H.264 + AAC for streaming: first video and (when present) first audio stream, faststart. */
export function buildReencodeArgs(options: ReencodeOptions): string[] {
  const enc = resolveEncoding(options.encoding);
  // frames on the GPU are scaled there (scale_cuda) and need no pixel-format tail
  const filters = [
    ...(options.maxHeight ? [`${enc.framesOnGpu ? 'scale_cuda' : 'scale'}=-2:'min(ih,${Math.round(positive('maxHeight', options.maxHeight))})'`] : []),
    enc.videoFilter,
  ].filter((f) => f !== '');
  return [
    ...commonArgs(options.output),
    ...enc.inputArgs,
    '-i', fileArg(options.input),
    // `?`: an input without audio is fine; subtitles and data streams are left out.
    '-map', '0:V:0', '-map', '0:a:0?',
    ...(filters.length > 0 ? ['-vf', filters.join(',')] : []),
    ...enc.outputArgs,
    ...audioArgs(options.audioBitrateKbps),
    '-max_muxing_queue_size', '1024',
    ...containerArgs(options.output),
    fileArg(options.output),
  ];
}

export interface ThumbnailOptions {
  readonly input: string;
  readonly output: string;
  readonly atSeconds: number;
  /** Output width; the height follows the aspect ratio (even). Default 640. */
  readonly width?: number;
  /** JPEG quality 1–100 (mapped onto ffmpeg's -q:v 31…2). Default 85. */
  readonly quality?: number;
}

export function jpegQscale(quality: number): number {
  const q = Math.min(100, Math.max(1, quality));
  return Math.round(2 + ((100 - q) * 29) / 99);
}

/** One frame at `atSeconds` (fast seek: `-ss` before `-i`), scaled to `width`. */
export function buildThumbnailArgs(options: ThumbnailOptions): string[] {
  const width = Math.round(positive('width', options.width ?? 640));
  return [
    ...commonArgs(options.output),
    '-ss', seconds(Math.max(0, options.atSeconds)),
    '-i', fileArg(options.input),
    '-map', '0:V:0',
    '-frames:v', '1',
    '-vf', `scale=${width}:-2`,
    '-q:v', String(jpegQscale(options.quality ?? 85)),
    '-update', '1',
    fileArg(options.output),
  ];
}

export interface GifOptions {
  readonly input: string;
  readonly output: string;
  readonly startSeconds?: number;
  readonly durationSeconds: number;
  /** Default 10. */
  readonly fps?: number;
  /** Default 480; the height follows the aspect ratio. */
  readonly width?: number;
}

/** A GIF with a palette made from the clip itself: palettegen and paletteuse in one graph. */
export function buildGifArgs(options: GifOptions): string[] {
  const fps = positive('fps', options.fps ?? 10);
  const width = Math.round(positive('width', options.width ?? 480));
  const graph =
    `[0:V:0]fps=${fps},scale=${width}:-1:flags=lanczos,split[g1][g2];` +
    `[g1]palettegen=stats_mode=diff[pal];` +
    `[g2][pal]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle[gif]`;
  return [
    ...commonArgs(options.output),
    '-ss', seconds(Math.max(0, options.startSeconds ?? 0)),
    '-t', seconds(positive('durationSeconds', options.durationSeconds)),
    '-i', fileArg(options.input),
    '-filter_complex', graph,
    '-map', '[gif]',
    '-loop', '0',
    fileArg(options.output),
  ];
}
