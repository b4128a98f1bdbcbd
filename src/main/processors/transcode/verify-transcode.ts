/**
 * Runs the proof on a written output (proof.ts has the checks). The saving needs only the file's
 * size, so a replace that cannot save enough costs no probe and no decode; then the output's
 * ffprobe, the full decode and the original's frame count run side by side (the decode is stopped
 * as soon as the probe shows a check failed); then the optional quality check. When the encode's
 * decode followed an MKV output while it was written (decode-while-encoding.ts) and was clean, the
 * file is not decoded again: its video packets are counted instead, and must equal the frames
 * decoded; otherwise the file is decoded as always. An output ffprobe
 * cannot read, or whose decode prints errors, is a broken encode (the job fails and may be
 * retried); any other failed check keeps the original (kept_original, the check's detail as the
 * reason).
 */
import { stat } from 'node:fs/promises';
import type { TranscodeCheck } from '../../../shared/contracts/transcode';
import type { VideoMetadata } from '../../core/library-ports';
import { orientationOf } from '../media/ffprobe-parse';
import type { MediaTools } from '../media/tool-discovery';
import { JobError, type JobContext } from '../processor';
import { checkDecode, checkDuration, checkFrames, checkSavings, checkStreams, decodePass, firstFailure } from './proof';
import { qualityChecks } from './quality-check';
import { fileIdentity, type DecodeWhileEncoding } from './decode-while-encoding';
import { countVideoFrames, probeStreams, type MediaStreams } from './stream-probe';
import type { StreamPlan } from './transcode-args';

export interface ProofRequest {
  readonly tools: MediaTools;
  readonly originalPath: string;
  readonly original: MediaStreams;
  readonly originalBytes: number;
  readonly originalDuration: number;
  readonly outputPath: string;
  readonly plan: StreamPlan;
  readonly minSavingsPercent: number;
  /** Replace: the saving is required; copy: reported. */
  readonly requireSavings: boolean;
  readonly verifyQuality?: { readonly metric: 'ssim' | 'psnr'; readonly min: number };
  readonly progressRange: readonly [number, number];
  /** The original's frame count (countVideoFrames), when the caller started it beside the encode. */
  readonly originalFrames?: Promise<number | null>;
  /** The decode that followed the output while it was written, when the encode ran one (its tail may still be running: stopped when the proof ends early). */
  readonly streamDecode?: DecodeWhileEncoding;
}

export interface Proof {
  readonly checks: readonly TranscodeCheck[];
  /** The first required check that failed (keep the original), or null. */
  readonly failure: string | null;
  readonly bytesOut: number;
  /** The output's metadata (null when the proof stopped before its probe). */
  readonly metadata: VideoMetadata | null;
}

function metadataOf(s: MediaStreams, sizeBytes: number): VideoMetadata {
  return {
    durationSeconds: s.durationSeconds ?? 0, width: s.video.width, height: s.video.height, fps: s.video.fps === null ? null : Math.round(s.video.fps * 1000) / 1000,
    videoCodec: s.video.codec, audioCodec: s.audio[0]?.codec ?? null, bitrate: s.bitRate, orientation: orientationOf(s.video.width, s.video.height),
    hasAudio: s.audio.length > 0, sizeBytes,
  };
}

export async function proveOutput(ctx: JobContext, r: ProofRequest): Promise<Proof> {
  const written = await stat(r.outputPath);
  const bytesOut = written.size;
  const checks: TranscodeCheck[] = [checkSavings(r.originalBytes, bytesOut, r.minSavingsPercent)];
  const failure = () => firstFailure(checks.filter((c) => r.requireSavings || c.name !== 'savings'));
  if (failure()) {
    await r.streamDecode?.stop(); // not needed: not left running behind the job
    return { checks, failure: failure(), bytesOut, metadata: null };
  }

  const [from, to] = r.progressRange;
  const decodeRange: readonly [number, number] = [from, r.verifyQuality ? (from + to) / 2 : to];
  // the output's ffprobe, its video packets and the original's frame count start at once, beside the
  // tail of the decode that followed the output while it was written
  // (one ffprobe for the streams and, after a decode while encoding, the packets to hold it against)
  const probing = probeStreams(ctx, r.tools.ffprobe.path, r.outputPath, undefined, { countPackets: r.streamDecode !== undefined }).then((streams) => ({ streams }), (error: unknown) => ({ error }));
  const counting = r.originalFrames ?? countVideoFrames(ctx, r.tools.ffprobe.path, r.originalPath, r.original.video, true);
  // that decode spares the decode of the file when it is clean and decoded every video packet the
  // file holds (decode-while-encoding.ts); anything else, errors included, is decided by the file
  const streamDecode = await r.streamDecode?.finish();
  const streamed = streamDecode?.conclusive && streamDecode.errors.length === 0 ? streamDecode : null;
  if (streamDecode && !streamed) {
    const why = streamDecode.conclusive ? `${streamDecode.errors.length} error line(s): ${streamDecode.errors[0]!.slice(0, 200)}` : streamDecode.why;
    ctx.log(`Verification: the decode while encoding was not conclusive (${why}); decoding the written file`);
  }
  const stopDecode = new AbortController();
  const decodeFile = () => decodePass(ctx, r.tools.ffmpeg.path, r.outputPath, r.originalDuration, decodeRange, stopDecode.signal);
  const decoding = streamed ? null : decodeFile();
  const abandon = async () => {
    stopDecode.abort(new Error('not needed'));
    await Promise.allSettled([decoding, counting]);
  };
  const probed = await probing;
  if ('error' in probed) {
    await abandon();
    if (ctx.signal.aborted) throw probed.error;
    throw new JobError(`The output failed verification: ffprobe cannot read it (${probed.error instanceof Error ? probed.error.message : String(probed.error)})`, true);
  }
  const out: MediaStreams = probed.streams;
  const metadata = metadataOf(out, bytesOut);
  checks.unshift(
    checkStreams({ video: 1, audio: r.plan.audio.length, subtitles: r.plan.subtitles.length }, { video: 1, audio: out.audio.length, subtitles: out.subtitles.length }),
    checkDuration(r.originalDuration, out.durationSeconds ?? 0, r.original.video.fps),
  );
  if (failure()) {
    await abandon();
    return { checks, failure: failure(), bytesOut, metadata };
  }
  let decoded: { errors: readonly string[]; frames: number | null };
  let decode: TranscodeCheck;
  if (streamed) {
    const inFile = out.video.packets;
    // the frames decoded are every packet of the finished file, read whole from that very file
    if (inFile === streamed.frames && streamed.bytes === bytesOut && streamed.file === fileIdentity(written)) {
      decoded = { errors: [], frames: streamed.frames };
      decode = checkDecode([], `full decode while encoding (${streamed.frames} frames: every video packet of the written file)`);
    } else {
      const differs =
        inFile !== streamed.frames
          ? `gave ${streamed.frames} frames, the written file holds ${inFile ?? 'an unknown number of'} video packets`
          : streamed.bytes !== bytesOut
            ? `read ${streamed.bytes} bytes, the written file has ${bytesOut}`
            : 'read another file than the one written';
      ctx.log(`Verification: the decode while encoding ${differs}; decoding the written file`);
      decoded = await decodeFile();
      decode = checkDecode(decoded.errors);
    }
  } else {
    decoded = await decoding!;
    decode = checkDecode(decoded.errors);
  }
  const originalFrames = await counting;
  checks.push(decode);
  if (!decode.passed) throw new JobError(`The output failed verification: ${decode.detail}`, true);
  // MP4 headers state the frame count (a truncated original still claims all of its frames); MKV's are counted
  checks.push(checkFrames(originalFrames, decoded.frames));
  if (failure()) return { checks, failure: failure(), bytesOut, metadata };

  if (r.verifyQuality) {
    checks.push(...(await qualityChecks(ctx, r.tools.ffmpeg.path, r.verifyQuality, r.originalPath, r.outputPath, r.originalDuration, { width: out.video.width, height: out.video.height })));
  }
  ctx.progress(to);
  return { checks, failure: failure(), bytesOut, metadata };
}
