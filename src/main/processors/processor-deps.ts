/**
 * What the job processors need from the program that runs them: the stores they write, the library,
 * the media tools and encoders found at start-up, and how many files a scan may probe at once.
 * Declared here, beside the processors, so that they depend on nothing of the runtime that wires them.
 */
import type { AnalysisStore } from '../core/analysis-ports';
import type { VideoStore } from '../core/library-ports';
import type { LibraryPaths } from '../library/library-paths';
import type { EncoderInventory } from './media/hardware-encoders';
import type { MediaTools } from './media/tool-discovery';
import type { TranscodeService } from './transcode/transcode-service';
import type { SegmentStore } from '../core/segment-ports';

export interface ProcessorDeps {
  readonly videos: VideoStore;
  /** Scenes, chosen segments and tags of the analysis jobs (their processors need it). */
  readonly analysis?: AnalysisStore;
  readonly library: LibraryPaths;
  /** ffmpeg and ffprobe, or null when they could not be found (`toolsError` says why). */
  readonly tools: MediaTools | null;
  readonly toolsError: string | null;
  /** Working H.264 encoders, best first (libx264 last); empty when ffmpeg is missing. */
  readonly encoders: EncoderInventory;
  /** Files a scan probes at once (the node's cpu slots). */
  readonly scanParallelism: number;
  /** Library transcoding's records (ledger, marks, swap journal, quarantine); without it `transcode` cannot replace and nothing is recorded. */
  readonly transcode?: TranscodeService;
  /** Segmented encodes' chunk jobs (#20); without it segment mode stays off. */
  readonly segments?: SegmentStore;
}
