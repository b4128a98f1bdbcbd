/**
 * `thumbnail_generate`: one JPEG frame (default at 25 % of the duration, width 640) into
 * thumbnails/, recorded on the video. Regenerating replaces the video's previous thumbnail.
 */
import { basename, extname, join } from 'node:path';
import { buildThumbnailArgs } from '../media/ffmpeg-args';
import type { Processor } from '../processor';
import { runFfmpegStep } from '../steps/ffmpeg-step';
import { loadInputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';

export function thumbnailProcessor(deps: MediaDeps): Processor {
  return {
    async run(ctx) {
      const { videoId, timestamp, width } = ctx.job.params as { videoId: string; timestamp?: number; width: number };
      const tools = requireTools(deps);
      const input = await loadInputVideo(ctx, deps, videoId);
      // never past the last frame: a seek beyond the end writes nothing
      const at = Math.min(timestamp ?? input.durationSeconds * 0.25, Math.max(0, input.durationSeconds - 0.1));
      const stem = basename(input.record.filename, extname(input.record.filename));
      const outputPath = join(deps.library.resolve('thumbnails'), `${stem}-${input.record.id.slice(0, 8)}.jpg`);
      ctx.log(`Thumbnail of ${input.record.path} at ${at.toFixed(2)} s, width ${width}`);
      const written = await runFfmpegStep(ctx, {
        ffmpegPath: tools.ffmpeg.path,
        outputPath,
        durationSeconds: null,
        onExisting: 'overwrite',
        args: (output) => buildThumbnailArgs({ input: input.absolutePath, output, atSeconds: at, width }),
      });
      const relative = deps.library.toRelative(written);
      await deps.videos.setThumbnail(input.record.id, relative, Date.now());
      ctx.progress(100);
      ctx.log(`Thumbnail written: ${relative}`);
    },
  };
}
