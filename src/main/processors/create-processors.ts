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
import { TRANSCODE_FAILURES, withFailureLedger } from './transcode/outcomes';
import { REENCODE_FAILURES } from './transcode/reencode-ledger';
import { encodeAudioProcessor, encodeChunkProcessor } from './segments/chunk-processors';
import { withSegmentCleanup } from './segments/segment-cleanup';

export function createProcessors(deps: ProcessorDeps): ProcessorRegistry {
  const { videos, library } = deps;
  const media: MediaDeps = { videos, library, tools: deps.tools, toolsError: deps.toolsError, encoders: deps.encoders };
  const ffprobePath = (): string => requireTools(media).ffprobe.path;
  const thumbnail = thumbnailProcessor(media);
  const scan = scanProcessor({
    videos,
    library,
    parallelism: deps.scanParallelism,
    probe: (absolutePath, signal) => probeVideo({ absolutePath, ffprobePath: ffprobePath(), signal }),
    // new videos get their thumbnail during the scan (param `thumbnails`, on by default)
    thumbnail,
  });
  return createRegistry([
    ['scan', scan],
    ['public_scan', scan],
    ['validate', validateProcessor({ videos, library, ffprobePath, ffmpegPath: () => requireTools(media).ffmpeg.path })],
    ['move_to_library', moveToLibraryProcessor({ videos, library })],
    ['thumbnail_generate', thumbnail],
    // every re-encode and transcode attempt that fails writes its ledger row, even before reading its input (issue #17)
    ['reencode_streaming', withFailureLedger(withSegmentCleanup(media, reencodeStreamingProcessor(media, deps.transcode?.store, deps.segments)), deps.transcode?.store, videos, REENCODE_FAILURES)],
    ['compile_gif', gifProcessor(media)],
    ['compile_quad', quadProcessor(media)],
    ['compile_mega', megaProcessor(media)],
    ['compile_random', randomCompilationProcessor(media)],
    ...analysisProcessors(media, deps.analysis),
    ...taggingProcessors(media, deps.analysis),
    ['transcode', withFailureLedger(withSegmentCleanup(media, transcodeProcessor({ media, ...(deps.transcode ? { service: deps.transcode } : {}), ...(deps.segments ? { segments: deps.segments } : {}) })), deps.transcode?.store, videos, TRANSCODE_FAILURES)],
    ['encode_chunk', encodeChunkProcessor(media)],
    ['encode_audio', encodeAudioProcessor(media)],
  ]);
}
