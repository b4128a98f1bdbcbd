/** What the analysis processors need: the media deps and the analysis store. */
import type { AnalysisStore } from '../../core/analysis-ports';
import type { MediaDeps } from '../steps/media-deps';

export interface AnalysisDeps extends MediaDeps {
  readonly analysis: AnalysisStore;
}

/** Default detection settings when a job (digest, highlights) does not say. */
export const DEFAULT_DETECTION = { threshold: 0.3, minSceneLength: 1 } as const;

/** `12.00–14.00 s (0.91), …`, at most `max` items. Pure. */
export function describeRanges(ranges: readonly { startSeconds: number; endSeconds: number; score?: number | null }[], max = 20): string {
  const shown = ranges.slice(0, max).map((r) => `${r.startSeconds.toFixed(2)}–${r.endSeconds.toFixed(2)} s${r.score !== undefined && r.score !== null ? ` (${r.score.toFixed(2)})` : ''}`);
  return shown.join(', ') + (ranges.length > max ? `, … ${ranges.length - max} more` : '');
}
