/**
 * `validate`: re-runs ffprobe on a video, refreshes its metadata and marks it valid, or invalid
 * with the reason. An invalid or missing file also fails the job (not retried), so it shows up
 * among failed jobs with its reason; a probe timeout is retried.
 *
 * `decode: true` is the thorough health check: after the probe the whole file is decoded (its video
 * and every audio stream, to the null muxer at `-v error`, as the transcode's proof does), because
 * ffprobe reads headers only and passes a truncated or damaged file. Any error line marks the video
 * invalid with the count and the first error, and fails the job (not retried: the file is damaged).
 * That verdict is about the file as it was (its size and mtime go with it): a later plain validate,
 * which would only read the headers and pass it again, keeps it while the file has not changed, and
 * says so; a file changed since is probed afresh.
 */
import type { VideoStore } from '../../core/library-ports';
import type { LibraryPaths } from '../../library/library-paths';
import { MediaProbeError } from '../media/ffprobe';
import { JobError, type Processor } from '../processor';
import { decodePass } from '../transcode/proof';
import { DECODE_VERDICT, fileSignature, keepsDecodeVerdict, keptVerdictText, sameFile } from './decode-verdict';
import { probeFailureText, probeVideo } from './probe-video';
import { requireVideo } from './video-input';

export function validateProcessor(deps: { videos: VideoStore; library: LibraryPaths; ffprobePath: () => string; ffmpegPath: () => string }): Processor {
  return {
    async run(ctx) {
      const { videoId, decode = false } = ctx.job.params as { videoId: string; decode?: boolean };
      const video = await requireVideo(deps.videos, videoId);
      const absolutePath = deps.library.resolve(video.path);
      ctx.log(`Validating ${video.path}`);
      const file = await fileSignature(absolutePath);
      if (!decode && keepsDecodeVerdict(video, file)) throw new JobError(`Invalid video ${video.path}: ${keptVerdictText(video)}`, false);
      let metadata: Awaited<ReturnType<typeof probeVideo>>;
      try {
        metadata = await probeVideo({ absolutePath, ffprobePath: deps.ffprobePath(), signal: ctx.signal, ctx });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const reason = probeFailureText(error);
        await deps.videos.recordProbe(video.id, { ok: false, error: reason }, Date.now());
        const retryable = error instanceof MediaProbeError ? error.retryable : true;
        throw new JobError(`Invalid video ${video.path}: ${reason}`, retryable);
      }
      if (decode) {
        ctx.progress(5);
        // a decode that cannot run (ffmpeg missing, a cancel) throws here and leaves the video as it was
        const decoded = await decodePass(ctx, deps.ffmpegPath(), absolutePath, metadata.durationSeconds, [5, 99]);
        // a decoder killed from outside says nothing about the file: retried, the video left as it was
        if (decoded.unexplained) throw new JobError(`The full decode did not finish: ${decoded.unexplained}`, true);
        if (decoded.errors.length > 0) {
          // a verdict about a file that changed during the decode (a copy still arriving) is about no file that is there
          const after = await fileSignature(absolutePath);
          if (!file || !after || !sameFile(file, after)) throw new JobError(`${video.path} changed during the full decode; it is decoded again later`, true);
          const reason = `${DECODE_VERDICT} ${decoded.errors.length} error line(s), the first: ${decoded.errors[0]!.slice(0, 300)}`;
          await deps.videos.recordProbe(video.id, { ok: false, error: reason, file }, Date.now());
          throw new JobError(`Invalid video ${video.path}: ${reason}`, false);
        }
        ctx.log(`Decoded in full without an error: ${decoded.frames ?? 'an unknown number of'} video frames`);
      }
      await deps.videos.recordProbe(video.id, { ok: true, metadata }, Date.now());
      ctx.progress(100);
      ctx.log(`Valid: ${metadata.width}x${metadata.height} ${metadata.videoCodec}${metadata.audioCodec ? `/${metadata.audioCodec}` : ' (no audio)'}, ${metadata.durationSeconds.toFixed(2)} s, ${metadata.orientation}`);
    },
  };
}
