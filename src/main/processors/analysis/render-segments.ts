/**
 * Renders chosen segments of one video, in time order, into ONE H.264/AAC file with faststart
 * under compilations/ (a digest or highlight reel is made of many pieces, like a compilation),
 * registered as a library video; the segments are stored for the job (clip_generate reads them).
 */
import { basename, extname, join } from 'node:path';
import { jobIdToken } from '../../../shared/domain/job-ids';
import type { SegmentKind } from '../../core/analysis-ports';
import type { VideoRecord } from '../../core/library-ports';
import { encodeWithFallback } from '../encode/encoding-choice';
import type { JobContext } from '../processor';
import { runFfmpegStep } from '../steps/ffmpeg-step';
import { assertOwnsJob } from '../steps/publish-output';
import type { InputVideo } from '../steps/input-videos';
import { requireTools } from '../steps/media-deps';
import { recordOutputVideo } from '../steps/output-video';
import { DURATION_TOLERANCE } from '../steps/verify-output';
import { buildRangesArgs } from './analysis-args';
import type { AnalysisDeps } from './analysis-deps';
import { totalSeconds, type Segment } from './segment-selection';

export async function renderSegments(ctx: JobContext, deps: AnalysisDeps, input: InputVideo, segments: readonly Segment[], options: { kind: Exclude<SegmentKind, 'clip'>; progressRange: readonly [number, number] }): Promise<VideoRecord> {
  const tools = requireTools(deps);
  const stem = basename(input.record.filename, extname(input.record.filename));
  const label = options.kind === 'digest' ? 'digest' : 'highlights';
  const outputPath = join(deps.library.resolve('compilations'), `${stem}-${label}-${jobIdToken(ctx.job.id)}.mp4`);
  const length = totalSeconds(segments);
  const published = await encodeWithFallback(ctx, deps.encoders.preferred, { crf: 23, preset: 'veryfast' }, (encoding) =>
    runFfmpegStep(ctx, {
      library: deps.library,
      tools,
      outputPath,
      durationSeconds: length,
      progressRange: options.progressRange,
      check: { kind: 'video', durationSeconds: length, tolerance: DURATION_TOLERANCE.segments, audio: input.hasAudio },
      record: (file, verified) => recordOutputVideo(ctx, deps.videos, file, verified, 'compilations'),
      args: (output) => buildRangesArgs({ input: input.absolutePath, ranges: segments, hasAudio: input.hasAudio, output, encoding }),
    }),
  );
  const video = published.value as VideoRecord;
  await assertOwnsJob(ctx, 'the chosen segments were');
  await deps.analysis.saveSegments(
    {
      jobId: ctx.job.id,
      videoId: input.record.id,
      kind: options.kind,
      segments: segments.map((s, index) => ({ index, startSeconds: s.startSeconds, endSeconds: s.endSeconds, score: s.score, outputVideoId: video.id })),
    },
    Date.now(),
  );
  return video;
}
