/**
 * `scan` and `public_scan`: walk a library folder, add new video files, probe them with ffprobe
 * in parallel (bounded by the CPU slots), and mark files that vanished as missing.
 * Registration itself (register-videos.ts) is shared with the library watcher.
 *
 * Thumbnails (param `thumbnails`, on by default): each new video that probed valid gets one,
 * made inline by the thumbnail processor after the probes, one at a time. Inline, not as queued
 * `thumbnail_generate` jobs: a processor cannot create jobs, and one ffmpeg at a time inside the
 * scan's own CPU slot is what the slot model allows (the scan never holds more than its slot).
 * A thumbnail that fails is logged and the scan goes on: the video is registered either way.
 * Progress = files probed (0–100, or 0–80 then thumbnails 80–100 when there are thumbnails to make).
 */
import type { VideoDirectory } from '../../../shared/domain/library';
import type { VideoRecord } from '../../core/library-ports';
import type { JobContext, Processor } from '../processor';
import { addFoundFiles, probeAndRecord, videosToProbe, type ProbeDeps } from './register-videos';
import { walkVideos } from './walk-videos';

export type { MediaProber } from './register-videos';

export interface ScanDeps extends ProbeDeps {
  /** Makes one video's thumbnail (thumbnail.ts); absent: scans make none. */
  readonly thumbnail?: Processor;
}

/** Width of the thumbnails a scan makes (the thumbnail_generate default). */
const THUMBNAIL_WIDTH = 640;

/** The scan's context as the thumbnail processor sees it: the scan's attempt, this video's params, the scan's own progress left alone. */
function thumbnailContext(ctx: JobContext, videoId: string): JobContext {
  return {
    job: { ...ctx.job, params: { videoId, width: THUMBNAIL_WIDTH } },
    signal: ctx.signal,
    console: ctx.console,
    files: ctx.files,
    ...(ctx.env ? { env: ctx.env } : {}),
    progress: () => ctx.heartbeat(),
    log: (text) => ctx.log(text),
    heartbeat: () => ctx.heartbeat(),
    trackProcess: (process) => ctx.trackProcess(process),
  };
}

async function makeThumbnails(ctx: JobContext, thumbnail: Processor, videos: readonly VideoRecord[]): Promise<number> {
  let made = 0;
  for (const [i, video] of videos.entries()) {
    ctx.signal.throwIfAborted();
    try {
      await thumbnail.run(thumbnailContext(ctx, video.id));
      made += 1;
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      ctx.log(`No thumbnail for ${video.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    ctx.progress(80 + ((i + 1) / videos.length) * 20);
  }
  return made;
}

export function scanProcessor(deps: ScanDeps): Processor {
  return {
    async run(ctx) {
      const { directoryType, skipExisting, thumbnails = true } = ctx.job.params as { directoryType: VideoDirectory; skipExisting: boolean; thumbnails?: boolean };
      const thumbnail = thumbnails ? deps.thumbnail : undefined;
      ctx.log(`Scanning ${directoryType}/ under ${deps.library.root}`);
      const files = await walkVideos(deps.library, directoryType, ctx.signal);
      const now = Date.now();
      const added = await addFoundFiles(deps.videos, directoryType, files, now);
      const missing = await deps.videos.markMissing(directoryType, new Set(files.map((f) => f.relativePath)), now);
      const toProbe = await videosToProbe(deps.videos, files, added, skipExisting);
      ctx.log(`Found ${files.length} video file(s): ${added.length} new, ${missing} gone missing; probing ${toProbe.length}`);
      const addedIds = new Set(added.map((v) => v.id));
      const needThumbnail: VideoRecord[] = [];
      const probeShare = thumbnail && added.length > 0 ? 80 : 100;
      let done = 0;
      let invalid = 0;
      await probeAndRecord(deps, toProbe, ctx.signal, (outcome) => {
        if (!outcome.ok) {
          invalid += 1;
          ctx.log(`Invalid: ${outcome.video.path}: ${outcome.reason}`);
        } else if (addedIds.has(outcome.video.id) && outcome.video.thumbnailPath === null) {
          needThumbnail.push(outcome.video);
        }
        done += 1;
        ctx.progress(toProbe.length === 0 ? probeShare : (done / toProbe.length) * probeShare);
      });
      const made = thumbnail && needThumbnail.length > 0 ? await makeThumbnails(ctx, thumbnail, needThumbnail) : 0;
      ctx.progress(100);
      ctx.log(`Scan finished: ${files.length} file(s), ${added.length} new, ${toProbe.length - invalid} valid, ${invalid} invalid, ${missing} missing${thumbnail ? `, ${made} thumbnail(s) made` : ''}`);
    },
  };
}
