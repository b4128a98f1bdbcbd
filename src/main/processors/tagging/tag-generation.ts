/**
 * `tag_generation` (gpu_ai): tags with a confidence for one video, replacing the ones this job
 * wrote before (replaceTags; other jobs' tags stay), read back by GET /api/media/videos?tag=… and
 * by the digest scorer.
 *
 * 1. One ffmpeg pass (tag-pass.ts): signals at 10 frames a second, `sampleCount` RGB frames, the
 *    audio's mean volume. Meanwhile the model loads (once per process, detector.ts).
 * 2. Signal tags (signal-tags.ts): resolution class, orientation, duration class, silent,
 *    dark/bright, static/high-motion, fast-cut.
 * 3. Model tags (model-tags.ts): BlazeFace faces → `face`, CenterNet COCO classes → `person`,
 *    `car`, … with the highest confidence and the time range they were seen in.
 * Tags under `minConfidence` are left out, signal tags included.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobType } from '../../../shared/domain/job-types';
import type { AnalysisStore, TagRecord } from '../../core/analysis-ports';
import { JobError, type Processor } from '../processor';
import { loadInputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import { loadFrameDetector, type FrameDetector } from './detector';
import { modelTags, type SampleDetections } from './model-tags';
import { signalTags, summarise } from './signal-tags';
import { frameSize, runTagPass } from './tag-pass';

export interface TaggingDeps extends MediaDeps {
  readonly analysis: AnalysisStore;
  /** Default: the process's Human detector. */
  readonly detector?: () => Promise<FrameDetector>;
}

interface TagGenerationParams {
  videoId: string;
  minConfidence: number;
  sampleCount?: number;
}

/** Default samples: one per 10 s of video, 8 to 32. */
export const defaultSampleCount = (durationSeconds: number): number => Math.min(32, Math.max(8, Math.round(durationSeconds / 10)));

const describeTags = (tags: readonly TagRecord[]): string =>
  tags.map((t) => `${t.tag} ${t.confidence.toFixed(2)}${t.startSeconds !== null ? ` (${t.startSeconds.toFixed(1)}–${(t.endSeconds ?? 0).toFixed(1)} s)` : ''}`).join(', ') || 'none';

export function tagGenerationProcessor(deps: TaggingDeps): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as unknown as TagGenerationParams;
      const tools = requireTools(deps);
      const input = await loadInputVideo(ctx, deps, p.videoId);
      const { record } = input;
      if (!(input.durationSeconds > 0)) throw new JobError(`Input video ${record.path} has no duration to sample`, false);
      const sampleCount = p.sampleCount ?? defaultSampleCount(input.durationSeconds);
      const size = frameSize(record.width, record.height);
      ctx.log(`Tagging ${record.path} (${input.durationSeconds.toFixed(2)} s): ${sampleCount} sampled frames at ${size.width}×${size.height} for the model, minimum confidence ${p.minConfidence}`);
      const detectorPromise = (deps.detector ?? loadFrameDetector)();
      detectorPromise.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
      const workDir = await mkdtemp(join(tmpdir(), 'mjc-tags-'));
      try {
        const pass = await runTagPass(ctx, input, { ffmpegPath: tools.ffmpeg.path, workDir, sampleCount, frameWidth: size.width, frameHeight: size.height, progressRange: [0, 40] });
        const measures = { width: record.width, height: record.height, durationSeconds: input.durationSeconds, hasAudio: input.hasAudio, meanVolumeDb: pass.meanVolumeDb, frames: pass.frames };
        const s = summarise(measures);
        ctx.log(
          `Signals over ${pass.frames.length} frames: mean luma ${s.meanLuma?.toFixed(1) ?? '?'} (YAVG), median motion ${s.medianMotion?.toFixed(2) ?? '?'} (YDIF), ` +
            `${s.cuts} cut(s), ${s.cutsPerMinute.toFixed(1)} a minute, ${input.hasAudio ? `mean volume ${pass.meanVolumeDb?.toFixed(1) ?? '?'} dB` : 'no audio'}`,
        );
        const fromSignal = signalTags(measures);

        let detector: FrameDetector;
        try {
          detector = await detectorPromise;
        } catch (error) {
          throw new JobError(`The tagging model could not be loaded: ${error instanceof Error ? error.message : String(error)}`, false);
        }
        ctx.log(`Model: ${detector.description}`);
        const started = performance.now();
        const samples: SampleDetections[] = [];
        for (const [i, frame] of pass.samples.entries()) {
          if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('cancelled');
          samples.push({ t: frame.t, detections: await detector.detect(frame) });
          ctx.progress(40 + (57 * (i + 1)) / pass.samples.length);
        }
        const seconds = (performance.now() - started) / 1000;
        ctx.log(`Analysed ${samples.length} frame(s) with the model in ${seconds.toFixed(2)} s (${(samples.length / Math.max(seconds, 1e-3)).toFixed(2)} frames/s)`);
        const fromModel = modelTags(samples, { minConfidence: p.minConfidence, durationSeconds: input.durationSeconds, stepSeconds: input.durationSeconds / sampleCount });

        const tags = [...fromSignal.filter((t) => t.confidence >= p.minConfidence), ...fromModel];
        await deps.analysis.replaceTags(record.id, ctx.job.id, tags, Date.now());
        ctx.progress(100);
        ctx.log(`Tags stored (${tags.length}): ${describeTags(tags)}`);
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    },
  };
}

/** The registry entry (create-processors.ts); none without an analysis store, like the analysis jobs. */
export function taggingProcessors(media: MediaDeps, analysis: AnalysisStore | undefined): [JobType, Processor][] {
  return analysis ? [['tag_generation', tagGenerationProcessor({ ...media, analysis })]] : [];
}
