/**
 * `reencode_streaming`: H.264 + AAC with faststart for web playback (the spec's targetBitrate,
 * preset and crf), into playback/. The new file becomes a library video; the original records
 * this job as its re-encode.
 */
import { basename, extname, join } from 'node:path';
import { buildReencodeArgs } from '../media/ffmpeg-args';
import type { Processor } from '../processor';
import { runFfmpegStep } from '../steps/ffmpeg-step';
import { loadInputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import { recordOutputVideo } from '../steps/output-video';
import { DURATION_TOLERANCE } from '../steps/verify-output';
import { encodeWithFallback } from './encoding-choice';
import type { TranscodeStore } from '../../core/transcode-ports';
import { reencodeLedger } from '../transcode/reencode-ledger';
import type { SegmentStore } from '../../core/segment-ports';
import { reencodeSegments } from '../segments/reencode-segments';

interface ReencodeParams {
  videoId: string;
  targetBitrate: number;
  preset: string;
  crf: number;
  outputPath?: string;
  verify?: 'decode';
  segments?: 'auto' | 'off' | { seconds: number };
}

/** `ledger`: where the savings ledger's row of each re-encode goes (none without a transcode store). */
export function reencodeStreamingProcessor(deps: MediaDeps, ledger?: TranscodeStore, segments?: SegmentStore): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as unknown as ReencodeParams;
      const tools = requireTools(deps);
      const input = await loadInputVideo(ctx, deps, p.videoId);
      const stem = basename(input.record.filename, extname(input.record.filename));
      const outputPath = p.outputPath ? deps.library.resolve(p.outputPath) : join(deps.library.resolve('playback'), `${stem}.mp4`);
      ctx.log(`Starting re-encode of ${input.record.path} (${input.durationSeconds.toFixed(2)} s) at ${p.targetBitrate} kb/s max, preset ${p.preset}, crf ${p.crf}`);
      // segment mode (#20): queues the chunk jobs and hands off, or joins their files as this step's command
      const segmented = await reencodeSegments(ctx, deps, segments, tools, p, input, outputPath);
      const counted = reencodeLedger(ctx, ledger, input.record, Date.now());
      let encoder: string | null = null;
      // full-GPU pipeline when the job is on an NVENC GPU (encoding-choice.ts); `stepCtx` is pinned to the step's GPU
      const published = await encodeWithFallback(ctx, segmented ? 'libx264' : deps.encoders.preferred, { crf: p.crf, preset: p.preset, targetBitrateKbps: p.targetBitrate }, (encoding, stepCtx) => {
        encoder = encoding.encoder;
        return runFfmpegStep(stepCtx, {
          library: deps.library,
          tools,
          outputPath,
          durationSeconds: input.durationSeconds,
          progressRange: [0, 98],
          check: { kind: 'video', durationSeconds: input.durationSeconds, tolerance: DURATION_TOLERANCE.reencode, audio: input.hasAudio, decode: p.verify === 'decode' },
          record: (file, verified) => recordOutputVideo(ctx, deps.videos, file, verified, 'playback'),
          args: (output) => (segmented ? segmented.args(output) : buildReencodeArgs({ input: input.absolutePath, output, encoding })),
        });
      }, segmented ? {} : { fullGpu: true, inventory: deps.encoders }).catch((error: unknown) => counted.failed(encoder, error));
      await counted.copied(encoder ?? 'libx264', published.value === true ? null : published.value);
      await deps.videos.setReencodeJob(input.record.id, ctx.job.id, Date.now());
      ctx.progress(100);
      ctx.log('Re-encode completed successfully');
    },
  };
}
