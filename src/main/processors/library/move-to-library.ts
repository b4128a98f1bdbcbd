/**
 * `move_to_library`: moves a video (typically from the inbox) into a library folder and updates
 * its record. Never overwrites; a missing input fails at once (it cannot heal by retrying).
 */
import { dirname } from 'node:path';
import type { VideoStore } from '../../core/library-ports';
import type { LibraryPaths } from '../../library/library-paths';
import { JobError, type Processor } from '../processor';
import { moveFileSafely } from './move-file';
import { attemptToken } from '../steps/publish-output';
import { requireVideo, requireVideoFile } from './video-input';

export function moveToLibraryProcessor(deps: { videos: VideoStore; library: LibraryPaths }): Processor {
  return {
    async run(ctx) {
      const { videoId, targetDirectory } = ctx.job.params as { videoId: string; targetDirectory: 'videos' | 'public' | 'playback' | 'compilations' };
      const video = await requireVideo(deps.videos, videoId);
      if (video.directoryType === targetDirectory) {
        throw new JobError(`The video is already in ${targetDirectory}/ (${video.path}).`, false);
      }
      const source = await requireVideoFile(deps.library, video);
      const targetDir = deps.library.resolve(targetDirectory);
      ctx.log(`Moving ${video.path} to ${targetDirectory}/`);
      const { destination, method } = await moveFileSafely(source, targetDir, {
        // a copy across file systems is written under a partial name of this attempt, recorded for recovery
        partialToken: attemptToken(ctx.job),
        onPartial: (path, state) => (state === 'writing' ? ctx.files.recordPartial(deps.library.toRelative(path)) : ctx.files.forgetPartial(deps.library.toRelative(path))),
      });
      const relative = deps.library.toRelative(destination);
      if (dirname(relative) !== targetDirectory) throw new JobError(`Unexpected destination ${relative}.`, false);
      await deps.videos.moveVideo(video.id, relative, targetDirectory, Date.now());
      ctx.progress(100);
      ctx.log(`Moved to ${relative} (${method === 'rename' ? 'renamed on the same file system' : 'copied, verified and deleted across file systems'})`);
    },
  };
}
