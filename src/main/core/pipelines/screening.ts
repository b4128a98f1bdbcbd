/**
 * Which library videos a pipeline would start a run for, and why each other one is skipped: the
 * one decision the dry run and a real run share (so they agree), in this order:
 *   missing    the file was not found by the last scan (nothing to run on);
 *   condition  a condition failed (which one, and what the video has);
 *   own_output the video was made by a job of this pipeline's runs (its own output does not retrigger it);
 *   processed  the loop breaker: this content ran already with this version of the steps (size and
 *              mtime as recorded; a real run confirms with the content hash before starting).
 * `force` runs past the last two.
 */
import type { VideoRecord } from '../library-ports';
import type { ProcessedContent } from '../pipeline-ports';
import type { CompiledCondition, VideoSubject } from './conditions';

export type SkipReasonKind = 'missing' | 'condition' | 'own_output' | 'processed' | 'unreadable';

export type Screening = { readonly run: true } | { readonly run: false; readonly kind: SkipReasonKind; readonly reason: string };

export interface ScreeningContext {
  readonly conditions: CompiledCondition;
  readonly now: number;
  readonly force: boolean;
  /** Pipeline ids of the jobs that made videos (sourceJobId), for the lineage check. */
  readonly pipelineOfJob: ReadonlyMap<string, string>;
  readonly pipelineId: string;
  /** `${sizeBytes}:${mtimeMs}` of content this steps version processed → the run that did. */
  readonly processed: ReadonlyMap<string, string | null>;
}

export const RUN: Screening = { run: true };

export function contentKey(sizeBytes: number | null, mtimeMs: number | null): string | null {
  return sizeBytes === null || mtimeMs === null ? null : `${sizeBytes}:${mtimeMs}`;
}

export function processedIndex(rows: readonly ProcessedContent[]): Map<string, string | null> {
  return new Map(rows.map((r) => [`${r.sizeBytes}:${r.mtimeMs}`, r.runId]));
}

/** Content that last ran before this time may run again; null: never (no repeatAfterDays). */
export function repeatBefore(repeatAfterDays: number | null, now: number): number | null {
  return repeatAfterDays === null ? null : now - repeatAfterDays * 86_400_000;
}

export function screenVideo(subject: VideoSubject, ctx: ScreeningContext): Screening {
  const { video } = subject;
  if (video.missing) return { run: false, kind: 'missing', reason: 'the file was missing at the last scan' };
  const failed = ctx.conditions(subject, ctx.now);
  if (failed !== null) return { run: false, kind: 'condition', reason: failed };
  if (ctx.force) return RUN;
  const lineage = ownOutput(video, ctx);
  if (lineage) return lineage;
  const key = contentKey(video.sizeBytes, video.mtimeMs);
  if (key !== null && ctx.processed.has(key)) {
    const runId = ctx.processed.get(key);
    return { run: false, kind: 'processed', reason: `already processed by this version of the pipeline${runId ? ` (run ${runId})` : ''}` };
  }
  return RUN;
}

function ownOutput(video: VideoRecord, ctx: ScreeningContext): Screening | null {
  if (!video.sourceJobId || ctx.pipelineOfJob.get(video.sourceJobId) !== ctx.pipelineId) return null;
  return { run: false, kind: 'own_output', reason: `made by job ${video.sourceJobId} of this pipeline (its own output)` };
}
