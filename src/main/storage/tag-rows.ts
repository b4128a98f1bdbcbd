/**
 * Both adapters read a page's tags with one grouped query whose rows come ordered by video, then
 * most confident first; this turns them into the port's map (see AnalysisStore.tagsOfVideos).
 */
import type { TagSummary } from '../core/analysis-ports';

export interface TagSummaryRow {
  readonly video_id: string;
  readonly tag: string;
  readonly confidence: number;
}

export function groupTags(rows: readonly TagSummaryRow[]): Map<string, TagSummary[]> {
  const byVideo = new Map<string, TagSummary[]>();
  for (const { video_id, tag, confidence } of rows) {
    const list = byVideo.get(video_id);
    if (list) list.push({ tag, confidence });
    else byVideo.set(video_id, [{ tag, confidence }]);
  }
  return byVideo;
}
