/**
 * Exports time ranges of one video as separate clips, each registered as a library video.
 *
 * A clip is a stream copy (`-c copy`: no quality loss, about as fast as the disk) when it can be
 * one: its start is on a keyframe, its end on a keyframe or at the end of the video (checked with
 * ffprobe's packet flags around those times, keyframes.ts), and the codecs fit an MP4 (H.264,
 * HEVC, AV1 or MPEG-4 video; AAC, MP3 or no audio). Any other clip is re-encoded with a
 * frame-accurate seek (hardware encoder with libx264 fall-back). The log says which and why.
 *
 * Where: playback/clips/<video name>-<id8>/ — clips are playable cuts of ONE source video, like a
 * re-encode, so they live under playback/ (a scan of playback/ walks sub-folders and finds them),
 * grouped by source so hundreds of scene clips do not flood one folder; compilations/ is for
 * videos made from several pieces (digests, highlight reels, grids).
 */
import { basename, extname, join } from 'node:path';
import type { VideoRecord } from '../../core/library-ports';
import { encodeWithFallback } from '../encode/encoding-choice';
import type { JobContext } from '../processor';
import { runFfmpegStep } from '../steps/ffmpeg-step';
import type { InputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import { recordOutputVideo } from '../steps/output-video';
import { DURATION_TOLERANCE } from '../steps/verify-output';
import { buildClipArgs, type ClipMode, type TimeRange } from './analysis-args';
import { keyframeAt, probeKeyframes, type Keyframe } from './keyframes';

const COPY_VIDEO = new Set(['h264', 'hevc', 'av1', 'mpeg4']);
const COPY_AUDIO = new Set(['aac', 'mp3']);

export interface ExportedClip {
  readonly range: TimeRange;
  readonly video: VideoRecord;
  readonly copied: boolean;
}

/** The folder for clips of this video, absolute. */
export function clipFolder(deps: MediaDeps, input: InputVideo): string {
  const stem = basename(input.record.filename, extname(input.record.filename));
  return join(deps.library.resolve('playback'), 'clips', `${stem}-${input.record.id.slice(0, 8)}`);
}

/** Stream copy or re-encode for one range, with the reason. Pure. */
export function chooseClipMode(input: { videoCodec: string | null; audioCodec: string | null; hasAudio: boolean }, range: TimeRange, keyframes: readonly Keyframe[], videoEnd: number, frameSeconds: number): { mode: ClipMode; why: string } {
  const tolerance = frameSeconds / 2;
  const encode = (why: string) => ({ mode: { copy: false } as ClipMode, why });
  if (!input.videoCodec || !COPY_VIDEO.has(input.videoCodec)) return encode(`${input.videoCodec ?? 'unknown'} video is not copied into MP4`);
  if (input.hasAudio && (!input.audioCodec || !COPY_AUDIO.has(input.audioCodec))) return encode(`${input.audioCodec ?? 'unknown'} audio is not copied into MP4`);
  if (!keyframeAt(keyframes, range.startSeconds, tolerance)) return encode(`start ${range.startSeconds.toFixed(2)} s is not on a keyframe`);
  const toEnd = range.endSeconds >= videoEnd - tolerance;
  const endKey = toEnd ? null : keyframeAt(keyframes, range.endSeconds, tolerance);
  if (!toEnd && !endKey) return encode(`end ${range.endSeconds.toFixed(2)} s is not on a keyframe`);
  return { mode: { copy: true, toEnd, reorderDelaySeconds: endKey?.reorderDelay ?? 0, frameSeconds }, why: toEnd ? 'starts on a keyframe and runs to the end' : 'keyframes at both ends' };
}

export interface ClipRequest {
  readonly range: TimeRange;
  /** Final file name inside the folder. */
  readonly name: string;
}

export async function exportClips(ctx: JobContext, deps: MediaDeps, input: InputVideo, requests: readonly ClipRequest[], options: { folder: string; videoEnd: number; progressRange: readonly [number, number] }): Promise<ExportedClip[]> {
  const tools = requireTools(deps);
  if (requests.length === 0) return [];
  const keyframes = await probeKeyframes(ctx, tools.ffprobe.path, input.absolutePath, requests.flatMap((r) => [r.range.startSeconds, r.range.endSeconds]));
  const frameSeconds = 1 / (input.record.fps && input.record.fps > 0 ? input.record.fps : 25);
  const [from, to] = options.progressRange;
  const out: ExportedClip[] = [];
  for (const [i, request] of requests.entries()) {
    ctx.signal.throwIfAborted();
    const { range } = request;
    const { mode, why } = chooseClipMode({ videoCodec: input.record.videoCodec, audioCodec: input.record.audioCodec, hasAudio: input.hasAudio }, range, keyframes, options.videoEnd, frameSeconds);
    const span: [number, number] = [from + ((to - from) * i) / requests.length, from + ((to - from) * (i + 0.9)) / requests.length];
    ctx.log(`Clip ${i + 1}/${requests.length} ${range.startSeconds.toFixed(2)}–${range.endSeconds.toFixed(2)} s: ${mode.copy ? 'stream copy' : 're-encode'} (${why})`);
    const length = range.endSeconds - range.startSeconds;
    const step = (clipMode: ClipMode) =>
      runFfmpegStep(ctx, {
        library: deps.library,
        tools,
        outputPath: join(options.folder, request.name),
        durationSeconds: length,
        progressRange: span,
        check: { kind: 'video', durationSeconds: length, tolerance: DURATION_TOLERANCE.clip, audio: input.hasAudio },
        record: (file, verified) => recordOutputVideo(ctx, deps.videos, file, verified, 'playback'),
        args: (output) => buildClipArgs({ input: input.absolutePath, range, hasAudio: input.hasAudio, output, mode: clipMode }),
      });
    const published = mode.copy ? await step(mode) : await encodeWithFallback(ctx, deps.encoders.preferred, { crf: 20, preset: 'veryfast' }, (encoding) => step({ copy: false, encoding }));
    out.push({ range, video: published.value as VideoRecord, copied: mode.copy });
    ctx.progress(span[1]);
  }
  return out;
}
