/**
 * `scan` and `public_scan`: walk a library folder, add new video files, probe them with ffprobe
 * in parallel (bounded by the CPU slots), and mark files that vanished as missing.
 * Progress = files done / files to probe.
 */
import { randomUUID } from 'node:crypto';
import type { VideoDirectory } from '../../../shared/domain/library';
import type { VideoMetadata, VideoStore } from '../../core/library-ports';
import type { LibraryPaths } from '../../library/library-paths';
import type { Processor } from '../processor';
import { forEachBounded } from './bounded-parallel';
import { probeFailureText } from './probe-video';
import { walkVideos } from './walk-videos';

export type MediaProber = (absolutePath: string, signal: AbortSignal) => Promise<VideoMetadata>;

export interface ScanDeps {
  readonly videos: VideoStore;
  readonly library: LibraryPaths;
  readonly probe: MediaProber;
  /** How many files are probed at once. */
  readonly parallelism: number;
}

export function scanProcessor(deps: ScanDeps): Processor {
  return {
    async run(ctx) {
      const { directoryType, skipExisting } = ctx.job.params as { directoryType: VideoDirectory; skipExisting: boolean };
      ctx.log(`Scanning ${directoryType}/ under ${deps.library.root}`);
      const files = await walkVideos(deps.library, directoryType, ctx.signal);
      const now = Date.now();
      const added = await deps.videos.addVideos(files.map((f) => ({ id: randomUUID(), path: f.relativePath, directoryType, sizeBytes: f.sizeBytes, mtimeMs: f.mtimeMs, at: now })));
      const missing = await deps.videos.markMissing(directoryType, new Set(files.map((f) => f.relativePath)), now);
      const addedIds = new Set(added.map((v) => v.id));
      const toProbe = [];
      for (const f of files) {
        const video = await deps.videos.getVideoByPath(f.relativePath);
        if (video && (!skipExisting || addedIds.has(video.id) || video.probedAt === null)) toProbe.push(video);
      }
      ctx.log(`Found ${files.length} video file(s): ${added.length} new, ${missing} gone missing; probing ${toProbe.length}`);
      let done = 0;
      let invalid = 0;
      await forEachBounded(toProbe, deps.parallelism, ctx.signal, async (video) => {
        try {
          const metadata = await deps.probe(deps.library.resolve(video.path), ctx.signal);
          await deps.videos.recordProbe(video.id, { ok: true, metadata }, Date.now());
        } catch (error) {
          if (ctx.signal.aborted) throw error;
          invalid += 1;
          const reason = probeFailureText(error);
          await deps.videos.recordProbe(video.id, { ok: false, error: reason }, Date.now());
          ctx.log(`Invalid: ${video.path}: ${reason}`);
        }
        done += 1;
        ctx.progress(toProbe.length === 0 ? 100 : (done / toProbe.length) * 100);
      });
      ctx.progress(100);
      ctx.log(`Scan finished: ${files.length} file(s), ${added.length} new, ${toProbe.length - invalid} valid, ${invalid} invalid, ${missing} missing`);
    },
  };
}
