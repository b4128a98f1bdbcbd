/**
 * The processors of this build, by job type. A type without a processor here fails at once with
 * "No processor for job type …" (not retried); a processor that needs ffmpeg/ffprobe on a machine
 * where they were not found fails at once with the discovery error.
 */
import type { ProcessorDeps } from './processor-deps';
import { analysisProcessors } from './analysis/analysis-processors';
import { quadProcessor, megaProcessor } from './compile/quad-and-mega';
import { randomCompilationProcessor } from './compile/random-compilation';
import { gifProcessor } from './encode/gif';
import { reencodeStreamingProcessor } from './encode/reencode-streaming';
import { moveToLibraryProcessor } from './library/move-to-library';
import { probeVideo } from './library/probe-video';
import { scanProcessor } from './library/scan';
import { thumbnailProcessor } from './library/thumbnail';
import { validateProcessor } from './library/validate';
import { createRegistry, type ProcessorRegistry } from './processor';
import { requireTools, type MediaDeps } from './steps/media-deps';
import { taggingProcessors } from './tagging/tag-generation';
import { transcodeProcessor } from './transcode/transcode-processor';

export function createProcessors(deps: ProcessorDeps): ProcessorRegistry {
  const { videos, library } = deps;
  const media: MediaDeps = { videos, library, tools: deps.tools, toolsError: deps.toolsError, encoders: deps.encoders };
  const ffprobePath = (): string => requireTools(media).ffprobe.path;
  const scan = scanProcessor({
    videos,
    library,
    parallelism: deps.scanParallelism,
    probe: (absolutePath, signal) => probeVideo({ absolutePath, ffprobePath: ffprobePath(), signal }),
  });
  return createRegistry([
    ['scan', scan],
    ['public_scan', scan],
    ['validate', validateProcessor({ videos, library, ffprobePath })],
    ['move_to_library', moveToLibraryProcessor({ videos, library })],
    ['thumbnail_generate', thumbnailProcessor(media)],
    ['reencode_streaming', reencodeStreamingProcessor(media, deps.transcode?.store)],
    ['compile_gif', gifProcessor(media)],
    ['compile_quad', quadProcessor(media)],
    ['compile_mega', megaProcessor(media)],
    ['compile_random', randomCompilationProcessor(media)],
    ...analysisProcessors(media, deps.analysis),
    ...taggingProcessors(media, deps.analysis),
    ['transcode', transcodeProcessor({ media, ...(deps.transcode ? { service: deps.transcode } : {}) })],
  ]);
}
