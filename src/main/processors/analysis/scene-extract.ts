/**
 * `scene_extract`: content-based cut detection (scene-detection.ts) on one analysis pass with
 * hardware decoding where available; the video's scenes (start, end, cut score, motion) replace
 * the ones stored before; a keyframe JPEG per scene into thumbnails/scenes/<video id>/; with
 * `extractClips`, each scene also becomes its own clip under playback/clips/ (clip-export.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { SceneRecord } from '../../core/analysis-ports';
import type { Processor } from '../processor';
import { loadInputVideo } from '../steps/input-videos';
import { assertOwnsJob } from '../steps/publish-output';
import { requireTools } from '../steps/media-deps';
import { describeRanges, type AnalysisDeps } from './analysis-deps';
import { clipFolder, exportClips } from './clip-export';
import { detectScenes, type DetectedScene } from './scene-detection';
import { STILL_WIDTH, writeSceneStills } from './scene-stills';
import { analyseVideo, type VideoAnalysis } from './video-analysis';

interface SceneExtractParams {
  videoId: string;
  threshold: number;
  minSceneLength: number;
  extractClips: boolean;
}

export function sceneExtractProcessor(deps: AnalysisDeps): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as unknown as SceneExtractParams;
      const tools = requireTools(deps);
      const input = await loadInputVideo(ctx, deps, p.videoId);
      ctx.log(`Scene detection on ${input.record.path} (${input.durationSeconds.toFixed(2)} s): threshold ${p.threshold} (ffmpeg scene score), minimum scene ${p.minSceneLength} s${p.extractClips ? ', one clip per scene' : ''}`);
      const workDir = await mkdtemp(join(tmpdir(), 'mjc-scenes-'));
      let scenes: DetectedScene[];
      let stills: string[];
      let analysis: VideoAnalysis;
      try {
        // two samples a second (fewer past an hour) to pick the scene images from
        const stillRate = { fps: Math.min(2, 7200 / Math.max(1, input.durationSeconds)), width: STILL_WIDTH };
        analysis = await analyseVideo(ctx, input, { ffmpegPath: tools.ffmpeg.path, loudness: false, progressRange: [0, p.extractClips ? 50 : 85], stills: stillRate, workDir });
        scenes = detectScenes(analysis.frames, { threshold: p.threshold, minSceneLength: p.minSceneLength, endSeconds: analysis.endSeconds });
        const cuts = scenes.slice(1);
        ctx.log(`Found ${scenes.length} scene(s); ${cuts.length ? `cuts at ${cuts.slice(0, 30).map((s) => `${s.startSeconds.toFixed(2)} s (${s.score.toFixed(2)})`).join(', ')}${cuts.length > 30 ? `, … ${cuts.length - 30} more` : ''}` : 'no cut'}`);
        stills = await writeSceneStills(ctx, deps, input, scenes, { frameSeconds: analysis.frameSeconds, samples: analysis.stills, progressRange: [p.extractClips ? 50 : 85, p.extractClips ? 60 : 97] });
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
      let clipPaths: (string | null)[] = scenes.map(() => null);
      if (p.extractClips) {
        const stem = basename(input.record.filename, extname(input.record.filename));
        const clips = await exportClips(
          ctx,
          deps,
          input,
          scenes.map((s) => ({ range: s, name: `${stem}-scene-${String(s.index + 1).padStart(3, '0')}.mp4` })),
          { folder: clipFolder(deps, input), videoEnd: analysis.endSeconds, progressRange: [60, 97] },
        );
        clipPaths = clips.map((c) => c.video.path);
        ctx.log(`Exported ${clips.length} scene clip(s): ${clips.filter((c) => c.copied).length} stream-copied, ${clips.filter((c) => !c.copied).length} re-encoded`);
      }
      const records: SceneRecord[] = scenes.map((s, i) => ({
        index: s.index,
        startSeconds: s.startSeconds,
        endSeconds: s.endSeconds,
        score: s.score,
        motion: s.motion,
        keyframePath: stills[i] ?? null,
        clipPath: clipPaths[i] ?? null,
      }));
      await assertOwnsJob(ctx, 'the scenes were');
      await deps.analysis.replaceScenes(input.record.id, ctx.job.id, records, Date.now());
      ctx.progress(100);
      ctx.log(`Scenes stored: ${describeRanges(records, 10)}`);
    },
  };
}
