/**
 * `validate`: re-runs ffprobe on a video, refreshes its metadata and marks it valid, or invalid
 * with the reason. An invalid or missing file also fails the job (not retried), so it shows up
 * among failed jobs with its reason; a probe timeout is retried.
 */
import type { VideoStore } from '../../core/library-ports';
import type { LibraryPaths } from '../../library/library-paths';
import { MediaProbeError } from '../media/ffprobe';
import { JobError, type Processor } from '../processor';
import { probeFailureText, probeVideo } from './probe-video';
import { requireVideo } from './video-input';

export function validateProcessor(deps: { videos: VideoStore; library: LibraryPaths; ffprobePath: () => string }): Processor {
  return {
    async run(ctx) {
      const { videoId } = ctx.job.params as { videoId: string };
      const video = await requireVideo(deps.videos, videoId);
      const absolutePath = deps.library.resolve(video.path);
      ctx.log(`Validating ${video.path}`);
      try {
        const metadata = await probeVideo({ absolutePath, ffprobePath: deps.ffprobePath(), signal: ctx.signal, ctx });
        await deps.videos.recordProbe(video.id, { ok: true, metadata }, Date.now());
        ctx.progress(100);
        ctx.log(`Valid: ${metadata.width}x${metadata.height} ${metadata.videoCodec}${metadata.audioCodec ? `/${metadata.audioCodec}` : ' (no audio)'}, ${metadata.durationSeconds.toFixed(2)} s, ${metadata.orientation}`);
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const reason = probeFailureText(error);
        await deps.videos.recordProbe(video.id, { ok: false, error: reason }, Date.now());
        const retryable = error instanceof MediaProbeError ? error.retryable : true;
        throw new JobError(`Invalid video ${video.path}: ${reason}`, retryable);
      }
    },
  };
}
