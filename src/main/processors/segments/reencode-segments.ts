/**
 * Segment mode of `reencode_streaming` (#20): its chunks encode with re-encode's own H.264
 * arguments (libx264 at its crf, preset and bit-rate ceiling), its audio job makes the stereo AAC
 * track, and its join is the ffmpeg command its usual step runs, checks and publishes. Decided
 * before any probe: an input that will not be split costs one read of its (absent) children.
 */
import { extname } from 'node:path';
import type { SegmentStore } from '../../core/segment-ports';
import { fingerprintFile } from '../../library/content-fingerprint';
import { DEFAULT_AUDIO_BITRATE_KBPS } from '../media/ffmpeg-args';
import type { MediaTools } from '../media/tool-discovery';
import type { JobContext } from '../processor';
import type { MediaDeps } from '../steps/media-deps';
import type { InputVideo } from '../steps/input-videos';
import { probeStreams } from '../transcode/stream-probe';
import type { TranscodeParams } from '../transcode/transcode-settings';
import { chunkSecondsFor, segmentStage, type SegmentJoin } from './segmented-transcode';

export interface ReencodeSegmentParams {
  readonly crf: number;
  readonly preset: string;
  readonly targetBitrate: number;
  readonly segments?: TranscodeParams['segments'];
}

export async function reencodeSegments(ctx: JobContext, media: MediaDeps, store: SegmentStore | undefined, tools: MediaTools, p: ReencodeSegmentParams, input: InputVideo, outputPath: string): Promise<SegmentJoin | null> {
  const segments = p.segments ?? 'auto';
  const hardwareFirst = media.encoders.preferred !== null && media.encoders.preferred !== 'libx264';
  const resuming = store ? (await store.children(ctx.job.id)).length > 0 : false;
  if (!resuming && chunkSecondsFor(segments, input.durationSeconds, hardwareFirst) === null) return null;
  if (!/\.(mp4|m4v|mov|mkv)$/i.test(outputPath)) return null;
  const [streams, fp] = await Promise.all([probeStreams(ctx, tools.ffprobe.path, input.absolutePath), fingerprintFile(input.absolutePath)]);
  const firstAudio = streams.audio[0];
  return segmentStage(ctx, media, store, {
    segments, codec: 'h264', hardwareFirst, audioBitrateKbps: DEFAULT_AUDIO_BITRATE_KBPS, audioChannels: 2,
    chunk: { recipe: 'reencode', quality: p.crf, preset: p.preset, targetBitrate: p.targetBitrate },
    video: input.record, inputPath: input.absolutePath, streams, fingerprint: fp.fingerprint, tools,
    container: extname(outputPath).toLowerCase() === '.mkv' ? 'mkv' : 'mp4',
    plan: { videoIndex: streams.video.index, audio: firstAudio ? [{ index: firstAudio.index, codec: 'aac' }] : [], subtitles: [], attachments: false, refused: null },
    durationSeconds: streams.durationSeconds ?? input.durationSeconds,
  });
}
