/**
 * The children of a segmented encode (#20):
 * - `encode_chunk`: the frames of one chunk (cut-plan.ts), encoded with the same encoder arguments
 *   as the unsegmented encode (buildTranscodeArgs, or re-encode's buildReencodeArgs, with the video
 *   stream only), into the parent's
 *   work folder; checked to hold exactly its frames before it takes its final name; in a replace
 *   with the live guard, then the guard across the finished chunks (segment-guard.ts);
 * - `encode_audio`: every kept audio track, encoded once as the unsegmented encode would.
 * A file already under its final name is the work of an earlier attempt that died after the
 * rename: it is checked and kept. Each attempt writes its own partial (its attempt token in the
 * name), and takes the final name only after checking that it still owns its job (the fence
 * publish-output.ts uses): an attempt whose lease was taken over (a frozen node that woke up) never
 * replaces a chunk the current attempt checked.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { encodeAudioParams, encodeChunkParams } from '../../../shared/domain/job-params';
import { buildReencodeArgs, fileArg } from '../media/ffmpeg-args';
import { JobError, type JobContext, type Processor } from '../processor';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import { attemptToken } from '../steps/publish-output';
import { SOFTWARE_ENCODER } from '../transcode/codec-encoders';
import { encodeWithFallbacks } from '../transcode/encode-step';
import { probeStreams, type MediaStreams } from '../transcode/stream-probe';
import { buildTranscodeArgs } from '../transcode/transcode-args';
import { runFfmpeg } from './run-ffmpeg';
import { finishedChunks, GUARD_TRIPPED, segmentGuardVerdict } from './segment-guard';
import { audioName, audioPartialName, chunkName, chunkPartialName, probeChunk } from './segment-files';

export type ChunkParams = z.infer<typeof encodeChunkParams>;
export type AudioParams = z.infer<typeof encodeAudioParams>;

/** The chunk's command: the unsegmented encode's, video only, seeking to the chunk and stopping after its frames. Pure. */
export function chunkArgs(p: ChunkParams, streams: MediaStreams, input: string, partial: string): string[] {
  const base =
    p.recipe === 'reencode'
      ? buildReencodeArgs({ input, output: partial, encoding: { encoder: 'libx264', crf: p.quality, preset: p.preset, ...(p.targetBitrate ? { targetBitrateKbps: p.targetBitrate } : {}) }, ...(p.maxHeight ? { maxHeight: p.maxHeight } : {}) })
      : buildTranscodeArgs({
          input, output: partial, container: 'mp4', encoder: SOFTWARE_ENCODER[p.codec], quality: p.quality, preset: p.preset,
          ...(p.maxHeight ? { maxHeight: p.maxHeight } : {}), audioBitrateKbps: 128, streams,
          plan: { videoIndex: streams.video.index, audio: [], subtitles: [], attachments: false, refused: null },
        });
  const i = base.indexOf('-i');
  return [...base.slice(0, i), '-ss', p.seekSeconds.toFixed(6), ...base.slice(i, -1), '-frames:v', String(p.frames), '-an', '-sn', '-dn', '-map_chapters', '-1', base.at(-1)!];
}

/** The audio child's command: the kept tracks with the unsegmented encode's audio arguments. Pure. */
export function audioArgs(p: AudioParams, input: string, partial: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-y', '-i', fileArg(input),
    ...p.tracks.flatMap((t) => ['-map', `0:${t.index}`]),
    '-vn', '-sn', '-dn',
    ...p.tracks.flatMap((t, i) => (t.codec === 'copy' ? [`-c:a:${i}`, 'copy'] : [`-c:a:${i}`, t.codec, `-b:a:${i}`, `${p.bitrateKbps}k`])),
    ...(p.channels ? ['-ac', String(p.channels)] : []),
    fileArg(partial),
  ];
}

/** Renames this attempt's partial to the final name, fenced: an attempt that lost its job removes its partial and stops. */
async function takeFinalName(ctx: JobContext, partial: string, final: string, label: string): Promise<void> {
  if (!(await ctx.files.ownsJob())) {
    await rm(partial, { force: true });
    throw new JobError(`${label}: this attempt no longer owns its job (cancelled, or rescued after a lost lease); its file was discarded`, true);
  }
  await rename(partial, final);
}

export function encodeChunkProcessor(media: MediaDeps): Processor {
  return {
    async run(ctx: JobContext) {
      const p = ctx.job.params as unknown as ChunkParams;
      const tools = requireTools(media);
      const work = media.library.resolve(p.workDir);
      const final = join(work, chunkName(p.index));
      const label = `chunk ${p.index + 1} of ${p.total}`;
      if (existsSync(final)) {
        const kept = await probeChunk(ctx, tools.ffprobe.path, final);
        if (kept?.frames === p.frames) {
          ctx.log(`${label}: ${chunkName(p.index)} is already encoded (${kept.frames} frames); kept`);
          return;
        }
      }
      await mkdir(work, { recursive: true });
      const input = media.library.resolve(p.input);
      const partial = join(work, chunkPartialName(p.index, attemptToken(ctx.job)));
      ctx.log(`Encoding ${label}: ${p.frames} frames from ${p.startSeconds.toFixed(3)} s (${p.durationSeconds.toFixed(2)} s) with ${SOFTWARE_ENCODER[p.codec]}`);
      const streams = await probeStreams(ctx, tools.ffprobe.path, input);
      await encodeWithFallbacks(ctx, {
        ffmpegPath: tools.ffmpeg.path, encoders: [{ encoder: SOFTWARE_ENCODER[p.codec] }], args: () => chunkArgs(p, streams, input, partial),
        partialPath: partial, durationSeconds: p.durationSeconds, progressRange: [0, 95], guardAgainstBytes: null,
      });
      const written = await probeChunk(ctx, tools.ffprobe.path, partial);
      if (written?.frames !== p.frames) throw new JobError(`${label} holds ${written?.frames ?? 'no readable'} frames, ${p.frames} expected`, true);
      await takeFinalName(ctx, partial, final, label);
      ctx.progress(100);
      ctx.log(`${label} encoded: ${written.frames} frames, ${written.durationSeconds.toFixed(3)} s`);
      if (p.guardAgainstBytes) {
        const finished = await finishedChunks(work);
        const verdict = finished && segmentGuardVerdict(finished.done, finished.totalSeconds, p.guardAgainstBytes);
        if (verdict) throw new JobError(`${GUARD_TRIPPED}: ${verdict}`, false);
      }
    },
  };
}

export function encodeAudioProcessor(media: MediaDeps): Processor {
  return {
    async run(ctx: JobContext) {
      const p = ctx.job.params as unknown as AudioParams;
      const tools = requireTools(media);
      const work = media.library.resolve(p.workDir);
      const final = join(work, audioName(p.container));
      if (existsSync(final)) {
        ctx.log(`${audioName(p.container)} is already encoded; kept`);
        return;
      }
      await mkdir(work, { recursive: true });
      const input = media.library.resolve(p.input);
      const partial = join(work, audioPartialName(p.container, attemptToken(ctx.job)));
      ctx.log(`Encoding the audio once: ${p.tracks.map((t) => `track ${t.index} → ${t.codec}`).join(', ')}`);
      const { errors } = await runFfmpeg(ctx, tools.ffmpeg.path, audioArgs(p, input, partial), p.durationSeconds, [0, 95]);
      if (errors.length > 0) ctx.log(`Warning: ffmpeg reported ${errors.length} error(s) reading the audio: ${errors[0]!.slice(0, 200)}`);
      await takeFinalName(ctx, partial, final, 'the audio');
      ctx.progress(100);
    },
  };
}
