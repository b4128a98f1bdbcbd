/**
 * The transcode's ffmpeg command, pure: which streams go into the output and how, then the argument
 * array (never a shell string; the partial output gets `-y`, see media/ffmpeg-args.ts).
 *
 * Kept by default: the picture (never cover art), every audio track, every subtitle track, global
 * tags and chapters; attachments (fonts) too when writing MKV. MP4 holds text subtitles only as
 * mov_text and no bitmap ones (PGS, DVD): those need MKV, so the plan refuses rather than dropping
 * them silently. Audio that MP4 cannot carry as it is becomes AAC. Frames pass through as they are
 * (`-fps_mode passthrough`): a variable frame rate stays variable and the frame count is kept, which
 * the proof then checks. Colour signalling is written explicitly, so HDR10's PQ/BT.2020 survive.
 */
import { commonArgs, fileArg } from '../media/ffmpeg-args';
import { cudaDecodeArgs } from '../media/gpu-pinning';
import { familyOf, videoEncodeArgs, type TranscodeEncoderId } from './codec-encoders';
import type { MediaStreams, StreamInfo } from './stream-probe';
import type { Container, TranscodeParams } from './transcode-settings';

const TEXT_SUBTITLES = new Set(['subrip', 'srt', 'ass', 'ssa', 'mov_text', 'webvtt', 'text']);
const MP4_AUDIO = new Set(['aac', 'mp3', 'ac3', 'eac3', 'alac', 'opus', 'flac']);

export interface StreamPlan {
  readonly videoIndex: number;
  readonly audio: readonly { readonly index: number; readonly codec: 'copy' | 'aac' | 'libopus' }[];
  readonly subtitles: readonly { readonly index: number; readonly codec: 'copy' | 'mov_text' | 'srt' }[];
  readonly attachments: boolean;
  /** Why these streams cannot be kept in this container (outcome kept_original), or null. */
  readonly refused: string | null;
}

/** Which streams go out, with which codec. Pure. */
export function planStreams(streams: MediaStreams, params: Pick<TranscodeParams, 'audio' | 'keepAllAudio' | 'keepSubtitles'>, container: Container): StreamPlan {
  const audioIn: readonly StreamInfo[] = params.keepAllAudio ? streams.audio : streams.audio.slice(0, 1);
  const audio = audioIn.map((a) => {
    if (params.audio === 'aac') return { index: a.index, codec: 'aac' as const };
    if (params.audio === 'opus') return { index: a.index, codec: 'libopus' as const };
    return { index: a.index, codec: container === 'mp4' && !MP4_AUDIO.has(a.codec) ? ('aac' as const) : ('copy' as const) };
  });
  const subsIn = params.keepSubtitles ? streams.subtitles : [];
  const bitmap = subsIn.filter((s) => !TEXT_SUBTITLES.has(s.codec));
  if (container === 'mp4' && bitmap.length > 0) {
    const list = [...new Set(bitmap.map((s) => s.codec))].join(', ');
    return { videoIndex: streams.video.index, audio, subtitles: [], attachments: false, refused: `${bitmap.length} bitmap subtitle track(s) (${list}) cannot be kept in mp4: use container mkv, or keepSubtitles: false` };
  }
  const subtitles = subsIn.map((s) => ({
    index: s.index,
    codec: container === 'mp4' ? ('mov_text' as const) : s.codec === 'mov_text' ? ('srt' as const) : ('copy' as const),
  }));
  return { videoIndex: streams.video.index, audio, subtitles, attachments: container === 'mkv' && streams.attachments.some((a) => a.codec !== 'mjpeg' && a.codec !== 'png'), refused: null };
}

export interface TranscodeCommand {
  readonly input: string;
  /** The partial output (`name.<token>.partial.<ext>`). */
  readonly output: string;
  readonly container: Container;
  readonly encoder: TranscodeEncoderId;
  readonly quality: number;
  readonly preset: string;
  readonly maxHeight?: number;
  readonly audioBitrateKbps: number;
  readonly streams: MediaStreams;
  readonly plan: StreamPlan;
  /** NVDEC decode (#18 item 3): `cuda_frames` keeps frames on the GPU (scale_cuda, NVENC), `cuda` copies them back. */
  readonly decode?: 'cuda' | 'cuda_frames';
  /** The CUDA device of NVDEC and NVENC (0 inside a pinned process); absent: ffmpeg's default. */
  readonly gpuDevice?: number;
}

/** Keeps 10 bits when the source has more than 8 and the codec is HEVC or AV1. Pure. */
export function keepsTenBit(encoder: TranscodeEncoderId, streams: MediaStreams): boolean {
  return streams.video.bitDepth > 8 && !encoder.startsWith('h264') && encoder !== 'libx264';
}

export function buildTranscodeArgs(c: TranscodeCommand): string[] {
  const v = c.streams.video;
  const tenBit = keepsTenBit(c.encoder, c.streams);
  const hdr = c.streams.hdr;
  const enc = videoEncodeArgs(c.encoder, {
    quality: c.quality,
    preset: c.preset,
    tenBit,
    masteringDisplay: hdr?.masteringDisplay ?? null,
    maxCll: hdr && hdr.maxCll !== null ? [hdr.maxCll, hdr.maxFall ?? 0] : null,
    ...(c.gpuDevice !== undefined ? { gpuDevice: c.gpuDevice } : {}),
  });
  // full GPU: NVENC takes the CUDA frames as they are (nv12, p010 for 10-bit), scaled with scale_cuda
  const onGpu = c.decode === 'cuda_frames' && familyOf(c.encoder) === 'nvenc';
  const decodeArgs = c.decode ? cudaDecodeArgs(c.gpuDevice, onGpu) : [];
  const scale = c.maxHeight ? [`${onGpu ? 'scale_cuda' : 'scale'}=-2:'min(ih,${Math.round(c.maxHeight)})'`] : [];
  const filters = onGpu ? scale : [...scale, enc.filter];
  const color = [
    ...(v.colorPrimaries ? ['-color_primaries', v.colorPrimaries] : []),
    ...(v.colorTransfer ? ['-color_trc', v.colorTransfer] : []),
    ...(v.colorSpace ? ['-colorspace', v.colorSpace] : []),
    ...(v.colorRange ? ['-color_range', v.colorRange] : []),
  ];
  const audio = c.plan.audio.flatMap((a, i) => (a.codec === 'copy' ? [`-c:a:${i}`, 'copy'] : [`-c:a:${i}`, a.codec, `-b:a:${i}`, `${Math.round(c.audioBitrateKbps)}k`]));
  const subtitles = c.plan.subtitles.flatMap((s, i) => [`-c:s:${i}`, s.codec]);
  return [
    ...commonArgs(c.output),
    ...decodeArgs,
    ...enc.inputArgs,
    '-i', fileArg(c.input),
    '-map', `0:${c.plan.videoIndex}`,
    ...c.plan.audio.flatMap((a) => ['-map', `0:${a.index}`]),
    ...c.plan.subtitles.flatMap((s) => ['-map', `0:${s.index}`]),
    ...(c.plan.attachments ? ['-map', '0:t?', '-c:t', 'copy'] : []),
    '-map_metadata', '0', '-map_chapters', '0',
    ...(filters.length > 0 ? ['-vf', filters.join(',')] : []),
    ...enc.outputArgs,
    ...color,
    '-fps_mode', 'passthrough',
    ...audio,
    ...subtitles,
    ...(c.container === 'mp4' ? ['-movflags', '+faststart', ...(c.encoder.startsWith('hevc') || c.encoder === 'libx265' ? ['-tag:v', 'hvc1'] : [])] : []),
    // MKV: clusters of at most a second (ffmpeg's default on a file is 5 s, or a keyframe, which
    // x265/SVT-AV1 place up to 10 s apart): the proof's decode that follows the file while it is
    // written (decode-while-encoding.ts) then trails the encode by a second, not five; ~17 bytes a second
    ...(c.container === 'mkv' ? ['-cluster_time_limit', '1000'] : []),
    '-max_muxing_queue_size', '4096',
    fileArg(c.output),
  ];
}
