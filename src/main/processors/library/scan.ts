/**
 * `scan` and `public_scan`: walk a library folder, add new video files, probe them with ffprobe
 * in parallel (bounded by the CPU slots), and mark files that vanished as missing.
 * Progress = files done / files to probe. Registration itself (register-videos.ts) is shared with
 * the library watcher.
 */
import type { VideoDirectory } from '../../../shared/domain/library';
import type { Processor } from '../processor';
import { addFoundFiles, probeAndRecord, videosToProbe, type ProbeDeps } from './register-videos';
import { walkVideos } from './walk-videos';

export type { MediaProber } from './register-videos';

export type ScanDeps = ProbeDeps;

export function scanProcessor(deps: ScanDeps): Processor {
  return {
    async run(ctx) {
      const { directoryType, skipExisting } = ctx.job.params as { directoryType: VideoDirectory; skipExisting: boolean };
      ctx.log(`Scanning ${directoryType}/ under ${deps.library.root}`);
      const files = await walkVideos(deps.library, directoryType, ctx.signal);
      const now = Date.now();
      const added = await addFoundFiles(deps.videos, directoryType, files, now);
      const missing = await deps.videos.markMissing(directoryType, new Set(files.map((f) => f.relativePath)), now);
      const toProbe = await videosToProbe(deps.videos, files, added, skipExisting);
      ctx.log(`Found ${files.length} video file(s): ${added.length} new, ${missing} gone missing; probing ${toProbe.length}`);
      let done = 0;
      let invalid = 0;
      await probeAndRecord(deps, toProbe, ctx.signal, (outcome) => {
        if (!outcome.ok) {
          invalid += 1;
          ctx.log(`Invalid: ${outcome.video.path}: ${outcome.reason}`);
        }
        done += 1;
        ctx.progress(toProbe.length === 0 ? 100 : (done / toProbe.length) * 100);
      });
      ctx.progress(100);
      ctx.log(`Scan finished: ${files.length} file(s), ${added.length} new, ${toProbe.length - invalid} valid, ${invalid} invalid, ${missing} missing`);
    },
  };
}
