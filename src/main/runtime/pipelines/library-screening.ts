/**
 * Walks the library (or the given videos) in pages and screens each video for a pipeline
 * (core/pipelines/screening.ts): one read of the processed content, and per page one read of tags
 * (only when a condition needs them) and one of the pipelines that made the page's videos. The dry
 * run and a real run both go through here, so they agree on which videos match.
 */
import type { AnalysisStore } from '../../core/analysis-ports';
import type { VideoRecord, VideoStore } from '../../core/library-ports';
import type { PipelineRecord, PipelineStore } from '../../core/pipeline-ports';
import { compileConditions, needsTags, type VideoSubject } from '../../core/pipelines/conditions';
import { processedIndex, repeatBefore, screenVideo, type Screening } from '../../core/pipelines/screening';

const PAGE = 1_000;

export interface ScreeningDeps {
  readonly pipelines: Pick<PipelineStore, 'listProcessedContent' | 'pipelinesOfJobs'>;
  readonly videos: Pick<VideoStore, 'listVideos' | 'getVideo'>;
  readonly analysis?: Pick<AnalysisStore, 'tagsOfVideos'> | undefined;
}

export interface ScreeningRequest {
  /** Only these videos (unknown ids are left out); absent: the whole library. */
  readonly videoIds?: readonly string[];
  readonly force: boolean;
  readonly now: number;
  /** Load tags even when the trigger conditions do not need them (a step's `if` does). */
  readonly withTags?: boolean;
}

export type ScreenedVideo = (subject: VideoSubject, screening: Screening) => void | Promise<void>;

/** Every video of the request, screened, in pages; returns how many were evaluated. */
export async function screenLibrary(deps: ScreeningDeps, pipeline: PipelineRecord, request: ScreeningRequest, onVideo: ScreenedVideo): Promise<number> {
  const { document } = pipeline;
  const conditions = compileConditions(document.conditions);
  const tagsNeeded = (request.withTags ?? false) || needsTags(document.conditions);
  const since = repeatBefore(document.repeatAfterDays, request.now);
  const processed = processedIndex(await deps.pipelines.listProcessedContent(pipeline.id, pipeline.stepsVersion, since));
  const seen = new Set<string>();
  let evaluated = 0;
  for await (const page of pages(deps.videos, request.videoIds)) {
    const fresh = page.filter((v) => !seen.has(v.id));
    for (const v of fresh) seen.add(v.id);
    const tags = tagsNeeded && deps.analysis ? await deps.analysis.tagsOfVideos(fresh.map((v) => v.id)) : null;
    const sources = [...new Set(fresh.map((v) => v.sourceJobId).filter((id): id is string => id !== null))];
    const pipelineOfJob = sources.length > 0 ? await deps.pipelines.pipelinesOfJobs(sources) : new Map<string, string>();
    const ctx = { conditions, now: request.now, force: request.force, pipelineOfJob, pipelineId: pipeline.id, processed };
    for (const video of fresh) {
      const subject: VideoSubject = { video, tags: tagMap(tags?.get(video.id)) };
      evaluated += 1;
      await onVideo(subject, screenVideo(subject, ctx));
    }
  }
  return evaluated;
}

export function tagMap(tags: readonly { tag: string; confidence: number }[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of tags ?? []) out.set(t.tag, Math.max(out.get(t.tag) ?? 0, t.confidence));
  return out;
}

async function* pages(videos: ScreeningDeps['videos'], ids: readonly string[] | undefined): AsyncGenerator<VideoRecord[]> {
  if (ids) {
    for (let i = 0; i < ids.length; i += PAGE) {
      const found = await Promise.all(ids.slice(i, i + PAGE).map((id) => videos.getVideo(id)));
      yield found.filter((v): v is VideoRecord => v !== undefined);
    }
    return;
  }
  for (let offset = 0; ; offset += PAGE) {
    const { rows } = await videos.listVideos({}, offset, PAGE);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
  }
}
