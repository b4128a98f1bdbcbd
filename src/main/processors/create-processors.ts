/**
 * The processors of this build, by job type. A type without a processor here fails at once with
 * "No processor for job type …" (not retried); a processor that needs ffmpeg/ffprobe on a machine
 * where they were not found fails at once with the discovery error.
 */
import type { ProcessorDeps } from '../runtime/open-embedded-runtime';
import { moveToLibraryProcessor } from './library/move-to-library';
import { probeVideo } from './library/probe-video';
import { scanProcessor } from './library/scan';
import { validateProcessor } from './library/validate';
import { createRegistry, JobError, type ProcessorRegistry } from './processor';

export function createProcessors(deps: ProcessorDeps): ProcessorRegistry {
  const { videos, library, config } = deps;
  const ffprobePath = (): string => {
    if (!deps.tools) throw new JobError(deps.toolsError ?? 'ffprobe was not found', false);
    return deps.tools.ffprobe.path;
  };
  const scan = scanProcessor({
    videos,
    library,
    parallelism: Math.max(1, config.limits.cpu),
    probe: (absolutePath, signal) => probeVideo({ absolutePath, ffprobePath: ffprobePath(), signal }),
  });
  return createRegistry([
    ['scan', scan],
    ['public_scan', scan],
    ['validate', validateProcessor({ videos, library, ffprobePath })],
    ['move_to_library', moveToLibraryProcessor({ videos, library })],
  ]);
}
