/**
 * The analysis job types (gpu_ai) and their processors, for the registry (create-processors.ts).
 * None without an analysis store (a runtime built without one fails these job types at once with
 * "No processor for job type …" rather than running them and losing the results).
 */
import type { JobType } from '../../../shared/domain/job-types';
import type { AnalysisStore } from '../../core/analysis-ports';
import type { Processor } from '../processor';
import type { MediaDeps } from '../steps/media-deps';
import { clipProcessor } from './clip-generate';
import { digestProcessor, highlightProcessor } from './digest-and-highlights';
import { sceneExtractProcessor } from './scene-extract';

export function analysisProcessors(media: MediaDeps, analysis: AnalysisStore | undefined): [JobType, Processor][] {
  if (!analysis) return [];
  const deps = { ...media, analysis };
  return [
    ['scene_extract', sceneExtractProcessor(deps)],
    ['digest_generate', digestProcessor(deps)],
    ['highlight_generate', highlightProcessor(deps)],
    ['clip_generate', clipProcessor(deps)],
  ];
}
