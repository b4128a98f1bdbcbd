/**
 * What a transcode needs to know about a file beyond the library row: every stream (which video is
 * the picture and not cover art, the audio and subtitle tracks to keep, attachments), the pixel
 * format's bit depth, colour signalling and HDR10 metadata (mastering display, content light), the
 * frame count and the video bit rate. parseStreams() is pure; probeStreams() runs ffprobe (an
 * argument array through the process runner, as every probe).
 *
 * HDR10's mastering display and content light levels live in the first frame's side data (and, in
 * MKV/MP4, sometimes in the stream's): they are read with a second, one-packet ffprobe only when the
 * transfer is PQ (smpte2084), so an SDR file costs one probe.
 */
import { parseRatio } from '../media/ffprobe-parse';
import { JobError, type JobContext } from '../processor';
import { runTracked } from '../steps/tracked-result';

export type StreamKind = 'video' | 'audio' | 'subtitle' | 'attachment' | 'data';

export interface StreamInfo {
  readonly index: number;
  readonly kind: StreamKind;
  readonly codec: string;
  readonly bitRate: number | null;
  readonly channels: number | null;
  readonly language: string | null;
}

export interface HdrMetadata {
  /** x265's form: `G(x,y)B(x,y)R(x,y)WP(x,y)L(max,min)`, chromaticity in 1/50000, luminance in 1/10000 cd/m². */
  readonly masteringDisplay: string | null;
  readonly maxCll: number | null;
  readonly maxFall: number | null;
}

export interface VideoStreamInfo extends StreamInfo {
  readonly width: number;
  readonly height: number;
  readonly fps: number | null;
  readonly pixFmt: string | null;
  readonly bitDepth: number;
  /** From the stream header (MP4 has it, MKV does not). */
  readonly frames: number | null;
  /** Its packets counted by demuxing the whole file, when the probe was asked to (`countPackets`); null otherwise. */
  readonly packets: number | null;
  readonly colorPrimaries: string | null;
  readonly colorTransfer: string | null;
  readonly colorSpace: string | null;
  readonly colorRange: string | null;
}

export interface MediaStreams {
  readonly durationSeconds: number | null;
  readonly sizeBytes: number | null;
  readonly bitRate: number | null;
  readonly video: VideoStreamInfo;
  readonly audio: readonly StreamInfo[];
  readonly subtitles: readonly StreamInfo[];
  readonly attachments: readonly StreamInfo[];
  readonly hdr: HdrMetadata | null;
}

interface RawStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  bit_rate?: string;
  channels?: number;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  pix_fmt?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  color_primaries?: string;
  color_transfer?: string;
  color_space?: string;
  color_range?: string;
  bits_per_raw_sample?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: RawSideData[];
}

type RawSideData = Record<string, string | number | undefined>;

interface RawProbe {
  streams?: RawStream[];
  format?: { duration?: string; size?: string; bit_rate?: string };
  frames?: { side_data_list?: RawSideData[] }[];
}

const num = (v: string | number | undefined): number | null => {
  if (v === undefined || v === 'N/A' || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const known = (v: string | undefined): string | null => (v && v !== 'unknown' && v !== 'unspecified' ? v : null);

/** Bits per component of a pixel format (`yuv420p10le` → 10, `p010le` → 10, `yuv420p` → 8). Pure. */
export function bitDepthOf(pixFmt: string | null): number {
  // planar YUV names end in the depth (`yuv420p10le`); the semi-planar ones start with it (`p010le`)
  const m = pixFmt ? (/^p0(\d{2})/.exec(pixFmt) ?? /p(\d{2})(?:le|be)$/.exec(pixFmt)) : null;
  const depth = m ? Number(m[1]) : 8;
  return depth >= 9 && depth <= 16 ? depth : 8;
}

function kindOf(s: RawStream): StreamKind {
  switch (s.codec_type) {
    case 'video':
      return s.disposition?.attached_pic ? 'attachment' : 'video';
    case 'audio':
    case 'subtitle':
    case 'attachment':
      return s.codec_type;
    default:
      return 'data';
  }
}

const ratio = (v: string | number | undefined): number | null => (typeof v === 'number' ? v : v === undefined ? null : parseRatio(v.replace('/', ':')) ?? num(v));

/** HDR10 metadata from side data (stream or first frame), or null when there is none. Pure. */
export function hdrFromSideData(list: readonly RawSideData[]): HdrMetadata | null {
  const md = list.find((d) => d.side_data_type === 'Mastering display metadata');
  const cl = list.find((d) => d.side_data_type === 'Content light level metadata');
  let masteringDisplay: string | null = null;
  if (md) {
    const c = (k: string) => Math.round((ratio(md[k]) ?? 0) * 50_000);
    const l = (k: string) => Math.round((ratio(md[k]) ?? 0) * 10_000);
    masteringDisplay = `G(${c('green_x')},${c('green_y')})B(${c('blue_x')},${c('blue_y')})R(${c('red_x')},${c('red_y')})WP(${c('white_point_x')},${c('white_point_y')})L(${l('max_luminance')},${l('min_luminance')})`;
  }
  const maxCll = cl ? num(cl.max_content) : null;
  const maxFall = cl ? num(cl.max_average) : null;
  return masteringDisplay || maxCll !== null ? { masteringDisplay, maxCll, maxFall } : null;
}

/** ffprobe's JSON → MediaStreams; throws a non-retryable JobError when there is no picture stream. Pure. */
export function parseStreams(path: string, json: RawProbe): MediaStreams {
  const streams = (json.streams ?? []).map((s, i) => ({ raw: s, kind: kindOf(s), index: s.index ?? i }));
  const base = (s: RawStream, index: number, kind: StreamKind): StreamInfo => ({
    index, kind, codec: s.codec_name ?? 'unknown', bitRate: num(s.bit_rate), channels: s.channels ?? null, language: s.tags?.language ?? null,
  });
  const main = streams.find((s) => s.kind === 'video');
  if (!main) throw new JobError(`Input video ${path} has no video stream`, false);
  const v = main.raw;
  const pixFmt = v.pix_fmt ?? null;
  const rawDepth = num(v.bits_per_raw_sample);
  const video: VideoStreamInfo = {
    ...base(v, main.index, 'video'),
    width: v.width ?? 0,
    height: v.height ?? 0,
    fps: parseRatio(v.avg_frame_rate) ?? parseRatio(v.r_frame_rate),
    pixFmt,
    bitDepth: Math.max(bitDepthOf(pixFmt), rawDepth !== null && rawDepth <= 16 ? rawDepth : 8),
    frames: num(v.nb_frames),
    packets: num(v.nb_read_packets),
    colorPrimaries: known(v.color_primaries),
    colorTransfer: known(v.color_transfer),
    colorSpace: known(v.color_space),
    colorRange: known(v.color_range),
  };
  const sideData = [...(v.side_data_list ?? []), ...(json.frames ?? []).flatMap((f) => f.side_data_list ?? [])];
  return {
    durationSeconds: num(json.format?.duration),
    sizeBytes: num(json.format?.size),
    bitRate: num(json.format?.bit_rate),
    video,
    audio: streams.filter((s) => s.kind === 'audio').map((s) => base(s.raw, s.index, 'audio')),
    subtitles: streams.filter((s) => s.kind === 'subtitle').map((s) => base(s.raw, s.index, 'subtitle')),
    attachments: streams.filter((s) => s.kind === 'attachment').map((s) => base(s.raw, s.index, 'attachment')),
    hdr: hdrFromSideData(sideData),
  };
}

/** The video stream's bit rate: its own, else the file's less its audio tracks', else size over time. Pure. */
export function videoBitRate(m: MediaStreams): number | null {
  if (m.video.bitRate) return m.video.bitRate;
  const total = m.bitRate ?? (m.sizeBytes && m.durationSeconds ? (m.sizeBytes * 8) / m.durationSeconds : null);
  if (total === null) return null;
  const audio = m.audio.reduce((sum, a) => sum + (a.bitRate ?? 0), 0);
  return Math.max(0, total - audio);
}

async function ffprobeJson(ctx: JobContext, ffprobePath: string, args: readonly string[], stop?: AbortSignal): Promise<RawProbe> {
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(60_000), ...(stop ? [stop] : [])]);
  const result = await runTracked(ctx, { command: ffprobePath, args, captureStdout: true, signal, killGraceMs: 1000 });
  if (result.cancelled && ctx.signal.aborted) throw ctx.signal.reason ?? new Error('cancelled');
  if (!result.ok) throw new JobError(`ffprobe could not read the streams: ${result.stderrTail.at(-1) ?? `exit code ${result.exitCode}`}`, false);
  return JSON.parse(result.stdout) as RawProbe;
}

/** The streams probe's arguments. Pure. */
export function streamProbeArgs(path: string, countPackets = false): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...(countPackets ? ['-count_packets'] : []), '-i', path];
}

/**
 * Probes the streams of `path` (absolute); `stop` ends it early (then it rejects). `countPackets`
 * also counts every stream's packets (video.packets), demuxing the whole file in the same process.
 */
export async function probeStreams(ctx: JobContext, ffprobePath: string, path: string, stop?: AbortSignal, options: { countPackets?: boolean } = {}): Promise<MediaStreams> {
  const json = await ffprobeJson(ctx, ffprobePath, streamProbeArgs(path, options.countPackets), stop);
  const first = parseStreams(path, json);
  if (first.video.colorTransfer !== 'smpte2084' || first.hdr?.masteringDisplay) return first;
  const frames = await ffprobeJson(ctx, ffprobePath, ['-v', 'error', '-print_format', 'json', '-select_streams', String(first.video.index), '-show_frames', '-read_intervals', '%+#1', '-show_entries', 'frame=side_data_list', '-i', path], stop);
  return parseStreams(path, { ...json, frames: frames.frames ?? [] });
}

/** A probe started ahead of the steps that may make it needless (the input's fingerprint and mark): its result, or stop it. */
export interface StartedProbe {
  readonly result: Promise<MediaStreams>;
  /** Stops the probe and waits for its process to end (the job no longer needs it). */
  stop(): Promise<void>;
}

/**
 * Starts probeStreams() now, so its ffprobe (tens of ms, mostly the tool's start-up) overlaps the
 * work before the first use of its result. An early rejection is held until `result` is awaited.
 */
export function startStreamProbe(ctx: JobContext, ffprobePath: string, path: string): StartedProbe {
  const stopper = new AbortController();
  const result = probeStreams(ctx, ffprobePath, path, stopper.signal);
  result.catch(() => undefined);
  return {
    result,
    async stop() {
      stopper.abort(new Error('probe not needed'));
      await result.catch(() => undefined);
    },
  };
}

/**
 * The video stream's frame count: from its header when it has one (`trustHeader`), else by counting
 * its packets (demuxing the whole file, no decoding). Null when ffprobe cannot say.
 */
export async function countVideoFrames(ctx: JobContext, ffprobePath: string, path: string, video: VideoStreamInfo, trustHeader: boolean): Promise<number | null> {
  if (trustHeader && video.frames !== null && video.frames > 0) return video.frames;
  return countPackets(ctx, ffprobePath, path, `${video.index}`);
}

/** The packets of one stream (an ffprobe stream specifier: an index, `v:0` …), by demuxing the whole file; null when ffprobe cannot say. */
export async function countPackets(ctx: JobContext, ffprobePath: string, path: string, stream: string): Promise<number | null> {
  const json = await ffprobeJson(ctx, ffprobePath, ['-v', 'error', '-print_format', 'json', '-select_streams', stream, '-count_packets', '-show_entries', 'stream=nb_read_packets', '-i', path]) as { streams?: { nb_read_packets?: string }[] };
  return num(json.streams?.[0]?.nb_read_packets);
}
