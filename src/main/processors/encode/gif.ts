/** `compile_gif`: a GIF of part of a video, with a palette generated from that part, into gifs/. */
import { basename, extname, join } from 'node:path';
import { buildGifArgs } from '../media/ffmpeg-args';
import { JobError, type Processor } from '../processor';
import { runFfmpegStep } from '../steps/ffmpeg-step';
import { loadInputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import { DURATION_TOLERANCE } from '../steps/verify-output';

export function gifProcessor(deps: MediaDeps): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as { videoId: string; start: number; duration: number; fps: number; width: number; outputPath?: string };
      const tools = requireTools(deps);
      const input = await loadInputVideo(ctx, deps, p.videoId);
      if (p.start >= input.durationSeconds) throw new JobError(`start ${p.start} s is past the end of ${input.record.path} (${input.durationSeconds.toFixed(2)} s)`, false);
      const duration = Math.min(p.duration, input.durationSeconds - p.start);
      const stem = basename(input.record.filename, extname(input.record.filename));
      const outputPath = p.outputPath ? deps.library.resolve(p.outputPath) : join(deps.library.resolve('gifs'), `${stem}-${p.start}s.gif`);
      ctx.log(`GIF of ${input.record.path}: ${duration.toFixed(2)} s from ${p.start} s, ${p.fps} fps, width ${p.width}`);
      // no record holds a GIF: its publish is a bare fenced commit
      const { path: written } = await runFfmpegStep(ctx, {
        library: deps.library,
        tools,
        outputPath,
        durationSeconds: duration,
        check: { kind: 'video', durationSeconds: duration, tolerance: DURATION_TOLERANCE.gif },
        args: (output) => buildGifArgs({ input: input.absolutePath, output, startSeconds: p.start, durationSeconds: duration, fps: p.fps, width: p.width }),
      });
      ctx.progress(100);
      ctx.log(`GIF written: ${deps.library.toRelative(written)}`);
    },
  };
}
