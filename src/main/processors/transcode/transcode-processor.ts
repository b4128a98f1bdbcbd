/**
 * `transcode`: shrinks a library video to H.264, HEVC or AV1, beside it (`copy`) or in its place
 * (`replace`, only with proof). In order:
 *   1. swaps left half done by dead attempts are recovered (this video's original may be in quarantine);
 *   2. skip rules, fast: already the target codec (from the library row), these settings already
 *      applied to or tried on this content (fingerprint + mark, unless `force`), a job not ended that
 *      started before this one applying them to this video (transcode-twins.ts, unless `force`), bits
 *      per pixel below the threshold (one ffprobe) → outcome `skipped`;
 *   3. the streams to keep (a container that cannot hold them → `kept_original`) and the encoders to
 *      try (a codec without a software encoder in this ffmpeg fails at once);
 *   4. the encode into the attempt's partial, beside the original (same file system: the swap is a
 *      rename), with the live guard in replace mode;
 *   5. the proof (verify-transcode.ts): a failed check → `kept_original` (partial removed, original
 *      untouched); a broken output → the job fails (retryable);
 *   6. copy: the fenced publish of a new library video; replace: the journaled swap (swap.ts).
 * Every ending writes its ledger row and its mark (outcomes.ts) and a log line `Outcome: …`.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { TranscodeCheck } from '../../../shared/contracts/transcode';
import type { VideoRecord } from '../../core/library-ports';
import { fingerprintFile } from '../../library/content-fingerprint';
import { JobError, type Processor } from '../processor';
import { loadInputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import { recordOutputVideo } from '../steps/output-video';
import { LibraryOutput } from '../steps/publish-output';
import { encoderOrder, encoderProbes, familyOf, SOFTWARE_ENCODER, type TranscodeEncoderId } from './codec-encoders';
import type { DecodeWhileEncoding } from './decode-while-encoding';
import { encodeWithFallbacks } from './encode-step';
import { ledgerGpu, transcodeVariants, variantArgs } from './gpu-variants';
import type { PipelineStep } from '../encode/gpu-pipeline';
import { TranscodeOutcomes } from './outcomes';
import { countVideoFrames, startStreamProbe, videoBitRate } from './stream-probe';
import { replaceOriginal } from './swap';
import { buildTranscodeArgs, planStreams } from './transcode-args';
import type { TranscodeService } from './transcode-service';
import { bitsPerPixel, containerFor, qualityFor, settingsKey, skipReason, type TranscodeCodec, type TranscodeParams } from './transcode-settings';
import { proveOutput } from './verify-transcode';
import { segmentStage, transcodeSegments } from '../segments/segmented-transcode';
import type { SegmentStore } from '../../core/segment-ports';

export interface TranscodeDeps {
  readonly media: MediaDeps;
  /** Ledger, marks, swaps; absent in runtimes without a transcode store (then nothing is recorded and replace is refused). */
  readonly service?: TranscodeService;
  /** Chunk jobs of segment mode (#20); without it `segments` stays off (an explicit `{ seconds }` fails). */
  readonly segments?: SegmentStore;
}

/** The encoders to try, or a non-retryable failure when this ffmpeg cannot encode the codec at all. */
async function usableEncoders(codec: TranscodeCodec, ffmpegPath: string, startup: MediaDeps['encoders']): Promise<{ order: TranscodeEncoderId[]; skipped: string[] }> {
  const order: TranscodeEncoderId[] = [];
  const skipped: string[] = [];
  const probedPerGpu = (startup.gpus?.length ?? 0) > 0;
  for (const encoder of encoderOrder(codec, startup.available)) {
    // NVENC probed per GPU at start-up: the unpinned probe would only test ffmpeg's default card
    const failure = probedPerGpu && familyOf(encoder) === 'nvenc' ? null : await encoderProbes.failure(ffmpegPath, encoder);
    if (failure === null) order.push(encoder);
    else if (familyOf(encoder) === 'software') throw new JobError(`Cannot encode ${codec}: the software encoder ${encoder} does not work in this ffmpeg (${failure})`, false);
    else skipped.push(`${encoder}: ${failure}`);
  }
  return { order, skipped };
}

/** Where the output goes: replace → the original's folder and stem, in the container's extension; copy → outputPath or `<stem>.<codec>.<ext>` beside it. */
function targetOf(p: TranscodeParams, video: VideoRecord, container: string, resolve: (rel: string) => string): string {
  if (p.mode === 'copy' && p.outputPath) return resolve(p.outputPath);
  const original = resolve(video.path);
  const stem = basename(original, extname(original));
  return join(dirname(original), p.mode === 'replace' ? `${stem}.${container}` : `${stem}.${p.codec}.${container}`);
}

export function transcodeProcessor(deps: TranscodeDeps): Processor {
  const { media, service } = deps;
  return {
    async run(ctx) {
      const startedAt = Date.now();
      const p = ctx.job.params as unknown as TranscodeParams;
      const tools = requireTools(media);
      if (p.mode === 'replace' && !service) throw new JobError('replace needs the transcode store (ledger and swap journal), which this runtime has not', false);
      await service?.recover();
      const input = await loadInputVideo(ctx, media, p.videoId);
      const video = input.record;
      const out = new TranscodeOutcomes(ctx, service?.store, video, p.mode, startedAt, video.videoCodec, video.sizeBytes ?? 0, p.codec);
      out.settingsKey = settingsKey(ctx.job.type, ctx.job.params);
      ctx.log(`Transcode of ${video.path} (${video.videoCodec ?? 'unknown codec'}, ${((video.sizeBytes ?? 0) / 1e6).toFixed(2)} MB) to ${p.codec}, mode ${p.mode}`);

      const quick = skipReason(p, { videoCodec: video.videoCodec }, video.height ?? undefined);
      if (quick) return out.skipped(quick);
      // the input's ffprobe runs beside the fingerprint and the mark lookup; stopped when they end the job
      const probe = startStreamProbe(ctx, tools.ffprobe.path, input.absolutePath);
      const fp = await (service ? service.fingerprint(video.id, input.absolutePath) : fingerprintFile(input.absolutePath)).catch(async (error: unknown) => {
        await probe.stop();
        throw error;
      });
      out.fingerprint = fp.fingerprint;
      if (!p.force && service) {
        const mark = await service.store.findMark(fp.fingerprint, out.settingsKey);
        if (mark) {
          await probe.stop();
          return out.skipped(`already processed with these settings (job ${mark.jobId}: ${mark.outcome}); force: true runs it again`, { mark: false });
        }
        const twin = await service.twinAhead(ctx.job, out.settingsKey);
        if (twin) {
          await probe.stop();
          return out.skipped(`job ${twin.id} (${twin.status}), started before this one, applies the same settings to this video: the file is not encoded twice at once; force: true runs it anyway`, { mark: false });
        }
      }
      const streams = await probe.result;
      const bpp = bitsPerPixel(videoBitRate(streams), streams.video.width, streams.video.height, streams.video.fps);
      const skip = skipReason(p, { videoCodec: streams.video.codec, bitsPerPixel: bpp }, streams.video.height);
      if (skip) return out.skipped(skip);

      const container = containerFor(p.container, video.path);
      const plan = planStreams(streams, p, container);
      if (plan.refused) return out.keptOriginal(plan.refused);
      const encoders = await usableEncoders(p.codec, tools.ffmpeg.path, media.encoders);
      for (const s of encoders.skipped) ctx.log(`Hardware encoder not used: ${s}`);
      // NVENC as the full-GPU pipeline's steps (gpu-variants.ts)
      const variants = transcodeVariants({ codec: p.codec, order: encoders.order, inventory: media.encoders, job: ctx.job, sourceBitDepth: streams.video.bitDepth });
      for (const note of variants.plan?.notes ?? []) ctx.log(`Encoder note: ${note}`);
      const duration = streams.durationSeconds ?? input.durationSeconds;
      const bytesIn = fp.sizeBytes;
      ctx.log(
        `Streams: video ${streams.video.codec} ${streams.video.width}x${streams.video.height} ${streams.video.bitDepth}-bit${streams.hdr ? ' HDR10' : ''}` +
          `${bpp !== null ? ` (${bpp.toFixed(3)} bits/pixel)` : ''}, ${plan.audio.length} audio, ${plan.subtitles.length} subtitle track(s) kept; container ${container}`,
      );

      // segment mode (#20): queues the chunk jobs and hands off, or returns the join of their files
      const segmented = await segmentStage(ctx, media, deps.segments, { ...transcodeSegments(p, media), video, inputPath: input.absolutePath, streams, plan, container, durationSeconds: duration, fingerprint: fp.fingerprint, tools });

      const finalPath = targetOf(p, video, container, (rel) => media.library.resolve(rel));
      const output = await LibraryOutput.stage(ctx, media.library, finalPath);
      let encoder: TranscodeEncoderId = SOFTWARE_ENCODER[p.codec];
      let encodedStep: PipelineStep | undefined;
      // the ledger names the GPU the successful step ran on (gpu-variants.ts ledgerGpu)
      const facts = (extra: { bytesOut?: number | null; checks?: readonly TranscodeCheck[] } = {}) => ({
        encoder, codecOut: p.codec, gpu: ledgerGpu(encoder, encodedStep, media.encoders.gpus ?? [], service?.gpuName() ?? null), ...extra,
      });
      // the proof's frame count of the original needs no output: counted while the encode runs (a
      // failure is the proof's to throw, as when it counted them itself: marked handled until then)
      const originalFrames = countVideoFrames(ctx, tools.ffprobe.path, input.absolutePath, streams.video, true);
      originalFrames.catch(() => undefined);
      let streamDecode: DecodeWhileEncoding | undefined;
      try {
        const encoded = segmented ? await segmented.join(output.partialPath, [0, 80]) : await encodeWithFallbacks(ctx, {
          ffmpegPath: tools.ffmpeg.path,
          encoders: variants.variants,
          args: (v) =>
            buildTranscodeArgs({
              input: input.absolutePath, output: output.partialPath, container, encoder: v.encoder, quality: qualityFor(p, p.codec, familyOf(v.encoder)), preset: p.preset,
              ...(p.maxHeight ? { maxHeight: p.maxHeight } : {}), audioBitrateKbps: p.audioBitrate, streams, plan, ...variantArgs(v),
            }),
          partialPath: output.partialPath,
          durationSeconds: duration,
          progressRange: [0, 80],
          guardAgainstBytes: p.mode === 'replace' && p.liveGuard ? bytesIn : null,
          // the proof's decode follows an MKV output as it is written (decode-while-encoding.ts)
          decodeWhileEncoding: container === 'mkv',
        });
        encoder = encoded.encoder;
        encodedStep = encoded.step;
        if (encoded.kind === 'encoded') streamDecode = encoded.streamDecode;
        if (encoded.fallbacks && encoded.fallbacks.length > 0) ctx.log(`Encoded with ${encoded.step?.label ?? encoder} after ${encoded.fallbacks.length} fall-back(s)`);
        if (encoded.kind === 'guarded') {
          await output.discard();
          return await out.keptOriginal(encoded.reason, facts());
        }
        await output.written();
        if (encoded.errors.length > 0) {
          const why = `ffmpeg reported ${encoded.errors.length} error(s) while reading the original (damaged or truncated?): ${encoded.errors[0]!.slice(0, 200)}`;
          if (p.mode === 'replace') {
            await output.discard();
            return await out.keptOriginal(`${why}; a copy would carry the damage, so the original stays`, facts());
          }
          ctx.log(`Warning: ${why}`);
        }
        const proof = await proveOutput(ctx, {
          tools, originalPath: input.absolutePath, original: streams, originalBytes: bytesIn, originalDuration: duration, outputPath: output.partialPath, plan,
          minSavingsPercent: p.minSavingsPercent, requireSavings: p.mode === 'replace', progressRange: [80, 97],
          ...(p.verifyQuality ? { verifyQuality: p.verifyQuality } : {}),
          ...(streamDecode ? { streamDecode } : {}),
          originalFrames,
        });
        // a copy reports the saving but does not require it: "FAILED" there would read as a failed job
        const verdict = (c: { name: string; passed: boolean }) => (c.passed ? 'passed' : c.name === 'savings' && p.mode === 'copy' ? 'not met (reported only: a copy does not require it)' : 'FAILED');
        for (const c of proof.checks) ctx.log(`Check ${c.name}: ${verdict(c)} — ${c.detail}`);
        if (proof.failure || !proof.metadata) {
          await output.discard();
          return await out.keptOriginal(proof.failure ?? 'the output could not be probed', facts({ bytesOut: proof.bytesOut, checks: proof.checks }));
        }
        const metadata = proof.metadata;
        if (p.mode === 'copy') {
          const outputFingerprint = await fingerprintFile(output.partialPath);
          const published = await output.publish((file) => recordOutputVideo(ctx, media.videos, file, { kind: 'video', metadata }, video.directoryType));
          ctx.log(`Copy published as ${published.relativePath}`);
          return await out.copied(facts({ bytesOut: proof.bytesOut, checks: proof.checks }), outputFingerprint.fingerprint);
        }
        const outputFingerprint = await fingerprintFile(output.partialPath);
        const swapped = await replaceOriginal({
          ctx, library: media.library, store: service!.store, video, expected: { sizeBytes: fp.sizeBytes, mtimeMs: fp.mtimeMs }, finalPath: media.library.toRelative(finalPath),
          partialPath: output.relativePartial, nodeId: ctx.job.nodeId ?? 'unknown', quarantineDays: service!.quarantineDays, now: Date.now,
          commit: (file) => ({
            video: { videoId: video.id, path: file.path, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs, at: Date.now(), metadata: { ...metadata, sizeBytes: file.sizeBytes } },
            history: {
              videoId: video.id, action: 'replaced', jobId: ctx.job.id, at: Date.now(), previousPath: video.path, previousCodec: video.videoCodec, previousSizeBytes: bytesIn,
              newPath: file.path, newCodec: metadata.videoCodec, newSizeBytes: file.sizeBytes,
            },
            ledger: out.entry('replaced', null, facts({ bytesOut: file.sizeBytes, checks: proof.checks })),
            marks: [out.mark('replaced'), out.mark('replaced', outputFingerprint.fingerprint)].filter((m) => m !== null),
            fingerprint: { videoId: video.id, sizeBytes: outputFingerprint.sizeBytes, mtimeMs: file.mtimeMs, fingerprint: outputFingerprint.fingerprint },
          }),
        });
        if (swapped.kind === 'kept') {
          await output.discard();
          return await out.keptOriginal(swapped.reason, facts({ bytesOut: proof.bytesOut, checks: proof.checks }));
        }
        ctx.progress(100);
        ctx.log(`Outcome: replaced — ${swapped.video.path} is now ${p.codec}, ${(proof.bytesOut / 1e6).toFixed(2)} MB (was ${(bytesIn / 1e6).toFixed(2)} MB); the original is kept as ${swapped.quarantinePath} for ${service!.quarantineDays} day(s)`);
      } catch (error) {
        await output.discard();
        if (error instanceof JobError && !ctx.signal.aborted && !/^Not published/.test(error.message)) await out.failed(error.message, facts());
        throw error;
      } finally {
        // the decode while encoding, when whatever ended the job did not need it: never left running
        await streamDecode?.stop();
      }
    },
  };
}
