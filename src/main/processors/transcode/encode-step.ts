/**
 * The transcode's encode: ffmpeg into the attempt's partial, with the exact command logged, progress
 * (with speed and ETA), the process tracked (suspend/resume, orphan kill), and two things a plain
 * re-encode does not need:
 * - the live guard (replace mode): each progress update compares the partial's size on disk with
 *   the original's and stops the encode once it is clearly going to be larger (proof.ts);
 * - error lines counted: ffmpeg runs at `-v error`, so what it prints besides its status line is a
 *   decode error of the input (a truncated or damaged original) or a muxing problem; the caller
 *   refuses to replace an original whose decode printed errors.
 *
 * Variants are tried in order (codec-encoders.ts; NVENC expanded into the full-GPU pipeline's steps
 * by gpu-variants.ts, each run pinned to its step's GPU): one that fails at run time falls back to
 * the next, logged as `Fall-back N: … failed (reason); trying …` and returned with the result; a
 * missing or corrupt input, an output problem, a cancel or the guard end it at once.
 */
import { rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { startFfmpeg } from '../media/ffmpeg-run';
import { JobError, type JobContext } from '../processor';
import { OUTPUT_PROBLEM } from '../steps/output-failure';
import { quoteForLog } from '../steps/ffmpeg-step';
import { classifyToolFailure } from '../steps/tool-failure';
import { resultWhileTracked } from '../steps/tracked-result';
import { moveForStep, releaseForStep, skippedLine } from '../encode/gpu-move-step';
import { fallbackLine, stepEnv, type FallbackRecord, type PipelineStep } from '../encode/gpu-pipeline';
import { familyOf, type TranscodeEncoderId } from './codec-encoders';
import { startDecodeWhileEncoding, type DecodeWhileEncoding } from './decode-while-encoding';
import { errorLines, liveGuardVerdict } from './proof';

/** One way to encode: an encoder, and for NVENC its pipeline step (where frames are decoded, which GPU: encode/gpu-pipeline.ts). */
export interface EncodeVariant {
  readonly encoder: TranscodeEncoderId;
  readonly step?: PipelineStep;
}

export interface EncodeRequest {
  readonly ffmpegPath: string;
  /** Variants to try, best first. */
  readonly encoders: readonly EncodeVariant[];
  readonly args: (variant: EncodeVariant) => readonly string[];
  readonly partialPath: string;
  readonly durationSeconds: number;
  readonly progressRange: readonly [number, number];
  /** Replace mode: stop when the output is projected larger than this many bytes' original. */
  readonly guardAgainstBytes: number | null;
  /** An MKV output: the proof's full decode follows the file while it is written (decode-while-encoding.ts). */
  readonly decodeWhileEncoding?: boolean;
}

export type EncodeResult = (
  | {
      readonly kind: 'encoded';
      readonly encoder: TranscodeEncoderId;
      readonly errors: readonly string[];
      /**
       * The decode that followed the output while it was written (asked for with decodeWhileEncoding),
       * finishing its last bytes: `finish()` gives it; whoever does not need it calls `stop()`.
       */
      readonly streamDecode?: DecodeWhileEncoding;
    }
  | { readonly kind: 'guarded'; readonly encoder: TranscodeEncoderId; readonly reason: string }
) & {
  /** The step that ran (absent for variants without one). */
  readonly step?: PipelineStep;
  /** The fall-backs taken before it, in order, with why. */
  readonly fallbacks?: readonly FallbackRecord[];
};

const NO_FALLBACK = /^(Input file is (missing|corrupt)|Permission denied)/;

async function encodeOnce(ctx: JobContext, r: EncodeRequest, variant: EncodeVariant): Promise<EncodeResult> {
  const encoder = variant.encoder;
  const args = ['-v', 'error', ...r.args(variant)];
  // the attempt's GPU pin, or the GPU of the step (moved to another GPU)
  const env = variant.step ? stepEnv(variant.step, ctx.env) : ctx.env;
  ctx.log(`FFmpeg command: ${basename(r.ffmpegPath)} ${args.map(quoteForLog).join(' ')}`);
  const guard = new AbortController();
  let guardReason: string | null = null;
  let checking = false;
  const [from, to] = r.progressRange;
  let loggedAt = -1;
  const errors: string[] = [];
  let pending = '';
  const stopCounting = ctx.console.subscribe((chunk) => {
    const text = pending + chunk;
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    pending = cut >= 0 ? text.slice(cut + 1) : text;
    if (cut >= 0) errors.push(...errorLines(text.slice(0, cut)));
  });
  let streamDecode: DecodeWhileEncoding | null = null;
  try {
    if (r.decodeWhileEncoding) {
      // the follower must see this variant's file from its first byte, never an earlier variant's
      await rm(r.partialPath, { force: true });
      streamDecode = await startDecodeWhileEncoding(ctx, r.ffmpegPath, r.partialPath);
    }
    const running = await startFfmpeg({
      ffmpegPath: r.ffmpegPath,
      args,
      durationSeconds: r.durationSeconds,
      signal: AbortSignal.any([ctx.signal, guard.signal]),
      ...(env && Object.keys(env).length > 0 ? { env: { ...process.env, ...env } } : {}),
      consoleBuffer: ctx.console,
      onActivity: () => ctx.heartbeat(),
      onProgress: (u) => {
        ctx.progress(from + ((to - from) * u.percent) / 100);
        if (u.percent >= loggedAt + 10 || u.percent === 100) {
          loggedAt = u.percent;
          ctx.log(`Progress: ${u.percent}%${u.speed !== null ? ` (${u.speed.toFixed(2)}x)` : ''}`);
        }
        if (r.guardAgainstBytes === null || checking || guardReason !== null) return;
        checking = true;
        void stat(r.partialPath)
          .then((s) => {
            const verdict = liveGuardVerdict({ bytesWritten: s.size, outTimeSeconds: u.outTimeSeconds, durationSeconds: r.durationSeconds, originalBytes: r.guardAgainstBytes! });
            if (verdict && guardReason === null) {
              guardReason = verdict;
              guard.abort(new Error(verdict));
            }
          })
          .catch(() => undefined)
          .finally(() => (checking = false));
      },
    });
    const result = await resultWhileTracked(ctx, r.ffmpegPath, running);
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('cancelled');
    if (guardReason !== null) return { kind: 'guarded', encoder, reason: guardReason };
    if (!result.ok) throw classifyToolFailure('ffmpeg', result.exitCode, result.signal, result.stderrTail);
    errors.push(...errorLines(pending));
    const decoding = streamDecode;
    streamDecode = null;
    // the encoder is done: the decoder reads the file's last bytes while the proof probes it
    void decoding?.finish();
    return { kind: 'encoded', encoder, errors, ...(decoding ? { streamDecode: decoding } : {}) };
  } finally {
    stopCounting();
    await streamDecode?.stop();
  }
}

const labelOf = (v: EncodeVariant) => v.step?.label ?? v.encoder;

/** Encodes with the first variant that works; throws the last failure. Each fall-back is logged (`Fall-back N: …`) and returned. */
export async function encodeWithFallbacks(ctx: JobContext, r: EncodeRequest): Promise<EncodeResult> {
  const fallbacks: FallbackRecord[] = [];
  let lastError: unknown = null;
  for (const [i, variant] of r.encoders.entries()) {
    // a step on another GPU runs only once the store has moved the job there (encode/gpu-move-step.ts)
    const skipped = variant.step ? await moveForStep(ctx, variant.step) : null;
    if (skipped !== null) {
      ctx.log(skippedLine(variant.step!, skipped));
      continue;
    }
    if (variant.step) await releaseForStep(ctx, variant.step);
    const software = familyOf(variant.encoder) === 'software';
    ctx.log(`Encoder: ${variant.encoder}${software ? ' (software)' : ' (hardware)'}${variant.step ? ` — ${variant.step.label}` : ''}`);
    try {
      return { ...(await encodeOnce(ctx, r, variant)), ...(variant.step ? { step: variant.step } : {}), fallbacks };
    } catch (error) {
      lastError = error;
      const last = i === r.encoders.length - 1;
      const permanent = error instanceof JobError && (NO_FALLBACK.test(error.message) || OUTPUT_PROBLEM.test(error.message));
      if (last || ctx.signal.aborted || permanent) throw error;
      const f: FallbackRecord = { from: labelOf(variant), to: labelOf(r.encoders[i + 1]!), reason: error instanceof Error ? error.message : String(error) };
      fallbacks.push(f);
      ctx.log(fallbackLine(fallbacks.length, f));
    }
  }
  throw lastError ?? new JobError('No encoder to try', false);
}
