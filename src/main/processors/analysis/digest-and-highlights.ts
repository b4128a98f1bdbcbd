/**
 * `digest_generate` and `highlight_generate`: one analysis pass (cut scores, motion and, with
 * sound, loudness), scenes found with the default detection settings, ~2-s windows inside scenes
 * scored on motion, loudness and — when tag_generation has stored tags with time ranges — detected
 * objects (window-scoring.ts); the choice (segment-selection.ts) is rendered into one video
 * (render-segments.ts) and stored per job.
 *
 * digest: `targetLength` seconds; `includeHighlights` (default) takes the best windows, without it
 * the digest covers the timeline evenly (the best window of each part). highlights: `count`
 * moments (default one per 5 s) of equal length totalling `targetLength`, centred on peaks.
 */
import type { JobContext, Processor } from '../processor';
import { loadInputVideo, type InputVideo } from '../steps/input-videos';
import { requireTools } from '../steps/media-deps';
import { DEFAULT_DETECTION, describeRanges, type AnalysisDeps } from './analysis-deps';
import { renderSegments } from './render-segments';
import { detectScenes } from './scene-detection';
import { selectDigest, selectHighlights, totalSeconds, type Segment } from './segment-selection';
import { scoreWindows, tagScorerFrom, type ScoredWindow } from './window-scoring';
import { analyseVideo, type VideoAnalysis } from './video-analysis';

async function scoredWindows(ctx: JobContext, deps: AnalysisDeps, input: InputVideo): Promise<{ analysis: VideoAnalysis; windows: ScoredWindow[] }> {
  const analysis = await analyseVideo(ctx, input, { ffmpegPath: requireTools(deps).ffmpeg.path, loudness: true, progressRange: [0, 50] });
  const scenes = detectScenes(analysis.frames, { ...DEFAULT_DETECTION, endSeconds: analysis.endSeconds });
  const tagScorer = tagScorerFrom(await deps.analysis.listTags(input.record.id));
  const windows = scoreWindows({ frames: analysis.frames, scenes, frameSeconds: analysis.frameSeconds, loudness: analysis.loudness, tagScorer });
  ctx.log(
    `Scored ${windows.length} window(s) in ${scenes.length} scene(s) on motion${analysis.loudness ? ', loudness' : ' (no audio)'}${tagScorer ? ' and tags' : ''}; ` +
      `best: ${describeRanges([...windows].sort((a, b) => b.score - a.score), 5)}`,
  );
  return { analysis, windows };
}

async function finish(ctx: JobContext, deps: AnalysisDeps, input: InputVideo, segments: readonly Segment[], kind: 'digest' | 'highlight', endSeconds: number): Promise<void> {
  ctx.log(`Chose ${segments.length} segment(s), ${totalSeconds(segments).toFixed(2)} s of ${endSeconds.toFixed(2)} s: ${describeRanges(segments)}`);
  const video = await renderSegments(ctx, deps, input, segments, { kind, progressRange: [50, 97] });
  ctx.progress(100);
  ctx.log(`${kind === 'digest' ? 'Digest' : 'Highlight reel'} completed: ${video.path}`);
}

export function digestProcessor(deps: AnalysisDeps): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as { videoId: string; targetLength: number; includeHighlights: boolean };
      const input = await loadInputVideo(ctx, deps, p.videoId);
      ctx.log(`Digest of ${input.record.path} (${input.durationSeconds.toFixed(2)} s): ${p.targetLength} s, ${p.includeHighlights ? 'best moments' : 'even coverage'}`);
      const { analysis, windows } = await scoredWindows(ctx, deps, input);
      const segments = selectDigest(windows, { targetSeconds: p.targetLength, includeHighlights: p.includeHighlights, frameSeconds: analysis.frameSeconds });
      await finish(ctx, deps, input, segments, 'digest', analysis.endSeconds);
    },
  };
}

export function highlightProcessor(deps: AnalysisDeps): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as { videoId: string; targetLength: number; count?: number };
      const input = await loadInputVideo(ctx, deps, p.videoId);
      ctx.log(`Highlight reel of ${input.record.path} (${input.durationSeconds.toFixed(2)} s): ${p.targetLength} s${p.count ? ` in ${p.count} moment(s)` : ''}`);
      const { analysis, windows } = await scoredWindows(ctx, deps, input);
      const segments = selectHighlights(windows, { targetSeconds: p.targetLength, frameSeconds: analysis.frameSeconds, ...(p.count ? { count: p.count } : {}) });
      await finish(ctx, deps, input, segments, 'highlight', analysis.endSeconds);
    },
  };
}
