/**
 * `clip_generate`: the segments of a digest or highlight job (`digestJobId`) and/or explicit
 * `ranges` of the video, each exported as its own clip (stream copy on keyframes, else re-encode;
 * clip-export.ts) and registered as a library video; the clips are stored as this job's segments.
 */
import { basename, extname } from 'node:path';
import { JobError, type Processor } from '../processor';
import { loadInputVideo } from '../steps/input-videos';
import { assertOwnsJob } from '../steps/publish-output';
import type { TimeRange } from './analysis-args';
import { describeRanges, type AnalysisDeps } from './analysis-deps';
import { clipFolder, exportClips } from './clip-export';

interface ClipParams {
  videoId: string;
  digestJobId?: string;
  ranges?: { start: number; end: number }[];
}

export function clipProcessor(deps: AnalysisDeps): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as unknown as ClipParams;
      if (!p.digestJobId && !p.ranges?.length) throw new JobError('clip_generate needs digestJobId (a digest or highlight job) or ranges', false);
      const input = await loadInputVideo(ctx, deps, p.videoId);
      const ranges: (TimeRange & { score: number | null })[] = [];
      if (p.digestJobId) {
        const set = await deps.analysis.getSegments(p.digestJobId);
        if (!set) throw new JobError(`Job ${p.digestJobId} has no stored segments (it must be a completed digest_generate or highlight_generate job)`, false);
        if (set.videoId !== input.record.id) throw new JobError(`Job ${p.digestJobId} chose segments of another video (${set.videoId})`, false);
        ranges.push(...set.segments.map((s) => ({ startSeconds: s.startSeconds, endSeconds: s.endSeconds, score: s.score })));
      }
      for (const r of p.ranges ?? []) {
        if (!(r.end > r.start)) throw new JobError(`Range ${r.start}–${r.end} s is empty: end must be after start`, false);
        if (r.start >= input.durationSeconds) throw new JobError(`Range ${r.start}–${r.end} s starts after the end of the video (${input.durationSeconds.toFixed(2)} s)`, false);
        ranges.push({ startSeconds: r.start, endSeconds: Math.min(r.end, input.durationSeconds), score: null });
      }
      ranges.sort((a, b) => a.startSeconds - b.startSeconds);
      ctx.log(`Exporting ${ranges.length} clip(s) of ${input.record.path}${p.digestJobId ? ` (segments of job ${p.digestJobId})` : ''}: ${describeRanges(ranges)}`);
      const stem = basename(input.record.filename, extname(input.record.filename));
      const clips = await exportClips(
        ctx,
        deps,
        input,
        ranges.map((range, i) => ({ range, name: `${stem}-clip-${String(i + 1).padStart(2, '0')}-${range.startSeconds.toFixed(2)}s.mp4` })),
        { folder: clipFolder(deps, input), videoEnd: input.durationSeconds, progressRange: [2, 97] },
      );
      await assertOwnsJob(ctx, 'the clips were');
      await deps.analysis.saveSegments(
        {
          jobId: ctx.job.id,
          videoId: input.record.id,
          kind: 'clip',
          segments: clips.map((c, index) => ({ index, startSeconds: c.range.startSeconds, endSeconds: c.range.endSeconds, score: ranges[index]!.score, outputVideoId: c.video.id })),
        },
        Date.now(),
      );
      ctx.progress(100);
      ctx.log(`Exported ${clips.length} clip(s): ${clips.filter((c) => c.copied).length} stream-copied, ${clips.filter((c) => !c.copied).length} re-encoded`);
    },
  };
}
