/**
 * `thumbnail_generate`: one JPEG frame (default at 25 % of the duration, width 640) into
 * thumbnails/, recorded on the video. Regenerating replaces the video's previous thumbnail, but
 * never by writing over it: the new one is published under a free name (`name (1).jpg` while the
 * old one is there), recorded on the video in one fenced write, and only then is the thumbnail it
 * replaced removed (so two concurrent thumbnail jobs of one video each publish a whole file, and the
 * one recorded last wins).
 */
import { rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { buildThumbnailArgs } from '../media/ffmpeg-args';
import type { Processor } from '../processor';
import { runFfmpegStep } from '../steps/ffmpeg-step';
import { loadInputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import type { VideoRecord } from '../../core/library-ports';

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
      const published = await runFfmpegStep<{ video: VideoRecord; previous: string | null }>(ctx, {
        library: deps.library,
        tools,
        outputPath,
        durationSeconds: null,
        check: { kind: 'image', width },
        record: (file) => deps.videos.publishThumbnail(input.record.id, { ...ctx.files.fence, path: file.relativePath }, Date.now()),
        args: (output) => buildThumbnailArgs({ input: input.absolutePath, output, atSeconds: at, width }),
      });
      const relative = published.relativePath;
      const previous = published.value === true ? null : published.value.previous;
      if (previous && previous !== relative && previous.startsWith('thumbnails/')) {
        await rm(deps.library.resolve(previous), { force: true });
        ctx.log(`Replaced the previous thumbnail ${previous}`);
      }
      ctx.progress(100);
      ctx.log(`Thumbnail written: ${relative}`);
    },
  };
}
