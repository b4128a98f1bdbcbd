/** What the media processors need from the composition root. */
import type { VideoStore } from '../../core/library-ports';
import type { LibraryPaths } from '../../library/library-paths';
import type { EncoderInventory } from '../media/hardware-encoders';
import type { MediaTools } from '../media/tool-discovery';
import { JobError } from '../processor';

export interface MediaDeps {
  readonly videos: VideoStore;
  readonly library: LibraryPaths;
  readonly tools: MediaTools | null;
  readonly toolsError: string | null;
  readonly encoders: EncoderInventory;
}

/** ffmpeg and ffprobe, or a non-retryable failure saying why they are missing. */
export function requireTools(deps: MediaDeps): MediaTools {
  if (!deps.tools) throw new JobError(deps.toolsError ?? 'ffmpeg and ffprobe were not found on this machine', false);
  return deps.tools;
}
