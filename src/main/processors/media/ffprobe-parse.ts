/**
 * Pure reading of `ffprobe -v error -print_format json -show_format -show_streams` output into the
 * few facts the job processors need, with failures classified (MediaProbeError.reason) so a job can
 * say why a file is bad and whether retrying could help.
 *
 * Orientation follows what a player shows: the display matrix rotation (ffmpeg ≥ 5 prints it as
 * side data `rotation`, older builds as the `rotate` tag) swaps width and height at ±90°, and a
 * non-square sample aspect ratio stretches the width. Cover art (attached_pic) is not video.
 */

export type ProbeFailureReason = 'missing' | 'unreadable' | 'no-video-stream' | 'corrupt' | 'timeout';

export class MediaProbeError extends Error {
  constructor(
    readonly reason: ProbeFailureReason,
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'MediaProbeError';
  }

  /** Only a timeout can heal by retrying; a missing, unreadable or broken file stays so. */
  get retryable(): boolean {
    return this.reason === 'timeout';
  }
}

export type Orientation = 'landscape' | 'portrait' | 'square';

export interface MediaInfo {
  /** Seconds; null when the container does not say (a live stream, a still image). */
  readonly durationSeconds: number | null;
  /** Stored (coded) frame size of the video stream. */
  readonly width: number;
  readonly height: number;
  /** Size as displayed: rotation applied, non-square pixels stretched. */
  readonly displayWidth: number;
  readonly displayHeight: number;
  /** Clockwise-normalised 0, 90, 180 or 270. */
  readonly rotation: number;
  readonly fps: number | null;
  readonly videoCodec: string;
  readonly audioCodec: string | null;
  readonly hasAudio: boolean;
  /** Overall bit rate, bits per second. */
  readonly bitrate: number | null;
  readonly sizeBytes: number | null;
  readonly formatName: string | null;
  readonly orientation: Orientation;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: Array<{ rotation?: number | string }>;
}

interface ProbeJson {
  streams?: ProbeStream[];
  format?: { duration?: string; size?: string; bit_rate?: string; format_name?: string };
}

function num(value: string | number | undefined): number | null {
  if (value === undefined || value === 'N/A' || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** `30000/1001` → 29.97; `0/0`, `N/A` → null. */
export function parseRatio(value: string | undefined): number | null {
  if (!value) return null;
  const [a, b] = value.split(/[/:]/).map(Number);
  if (a === undefined || !Number.isFinite(a) || a <= 0) return null;
  if (b === undefined) return a;
  if (!Number.isFinite(b) || b <= 0) return null;
  return a / b;
}

/** Matroska's per-stream `DURATION` tag: `00:00:02.000000000`. */
function clockSeconds(value: string | undefined): number | null {
  const m = value ? /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value) : null;
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
}

function rotationOf(stream: ProbeStream): number {
  const fromSideData = stream.side_data_list?.map((s) => num(s.rotation)).find((r) => r !== null);
  const raw = fromSideData ?? num(stream.tags?.rotate) ?? 0;
  const normalised = ((Math.round(raw / 90) * 90) % 360 + 360) % 360;
  return normalised;
}

export function orientationOf(width: number, height: number): Orientation {
  if (Math.abs(width - height) <= Math.max(width, height) * 0.01) return 'square';
  return width > height ? 'landscape' : 'portrait';
}

/** Parses ffprobe's JSON text (or object); throws MediaProbeError('corrupt' | 'no-video-stream'). */
export function parseProbeOutput(path: string, output: string | ProbeJson): MediaInfo {
  let json: ProbeJson;
  try {
    json = typeof output === 'string' ? (JSON.parse(output) as ProbeJson) : output;
  } catch {
    throw new MediaProbeError('corrupt', path, 'ffprobe printed no readable JSON');
  }
  const streams = json.streams ?? [];
  if (streams.length === 0 && !json.format) throw new MediaProbeError('corrupt', path, 'not a media file ffprobe can read');
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) throw new MediaProbeError('no-video-stream', path, streams.length ? `no video stream (streams: ${streams.map((s) => s.codec_type).join(', ')})` : 'no streams');
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (width <= 0 || height <= 0) throw new MediaProbeError('corrupt', path, 'the video stream has no frame size (undecodable)');
  const audio = streams.find((s) => s.codec_type === 'audio');

  const rotation = rotationOf(video);
  const sar = parseRatio(video.sample_aspect_ratio) ?? 1;
  const stretchedWidth = Math.round(width * sar);
  const [displayWidth, displayHeight] = rotation % 180 === 90 ? [height, stretchedWidth] : [stretchedWidth, height];
  const fps = parseRatio(video.avg_frame_rate) ?? parseRatio(video.r_frame_rate);
  const duration = num(json.format?.duration) ?? num(video.duration) ?? clockSeconds(video.tags?.DURATION);

  return {
    durationSeconds: duration !== null && duration > 0 ? duration : null,
    width,
    height,
    displayWidth,
    displayHeight,
    rotation,
    fps: fps === null ? null : Math.round(fps * 1000) / 1000,
    videoCodec: video.codec_name ?? 'unknown',
    audioCodec: audio?.codec_name ?? null,
    hasAudio: audio !== undefined,
    bitrate: num(json.format?.bit_rate),
    sizeBytes: num(json.format?.size),
    formatName: json.format?.format_name ?? null,
    orientation: orientationOf(displayWidth, displayHeight),
  };
}

/** Classifies a failed ffprobe run from its error output. */
export function classifyProbeFailure(path: string, stderr: string): MediaProbeError {
  const line = stderr.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? 'ffprobe failed';
  if (/No such file or directory/i.test(stderr)) return new MediaProbeError('missing', path, 'file not found');
  if (/Permission denied|Operation not permitted/i.test(stderr)) return new MediaProbeError('unreadable', path, 'permission denied');
  return new MediaProbeError('corrupt', path, line.replace(`${path}: `, ''));
}
