/**
 * Starts a pipeline's runs: screens the videos (library-screening.ts, the dry run's decision), then
 * for each one that matches reads its file's fingerprint and lets the store claim it for this
 * steps version together with inserting the run (the loop breaker: content that ran already is
 * skipped, unless forced), and advances each new run once (its first steps' jobs).
 */
import { join } from 'node:path';
import { newPipelineRunId } from '../../../shared/domain/job-ids';
import type { PipelineRecord, PipelineStore, RunTrigger } from '../../core/pipeline-ports';
import { repeatBefore } from '../../core/pipelines/screening';
import type { Clock } from '../../core/clock';
import { fingerprintFile } from './fingerprint';
import { screenLibrary, type ScreeningDeps } from './library-screening';

export interface StarterDeps extends ScreeningDeps {
  readonly pipelines: ScreeningDeps['pipelines'] & Pick<PipelineStore, 'startRun'>;
  readonly clock: Pick<Clock, 'now'>;
  readonly libraryPath: string;
  /** Advances a new run (its first steps become jobs). */
  advance(runId: string): Promise<void>;
}

export interface StartRequest {
  readonly videoIds?: readonly string[];
  readonly force: boolean;
  readonly trigger: RunTrigger;
  readonly triggerDetail: string | null;
}

export interface StartOutcome {
  readonly started: { runId: string; videoId: string; path: string }[];
  readonly skipped: { videoId: string; path: string; kind: 'missing' | 'condition' | 'own_output' | 'processed' | 'unreadable'; reason: string }[];
}

export async function startRuns(deps: StarterDeps, pipeline: PipelineRecord, request: StartRequest): Promise<StartOutcome> {
  const out: StartOutcome = { started: [], skipped: [] };
  const now = deps.clock.now();
  const stepIds = pipeline.document.steps.map((s) => s.id);
  await screenLibrary(deps, pipeline, { ...(request.videoIds ? { videoIds: request.videoIds } : {}), force: request.force, now }, async ({ video }, screening) => {
    if (!screening.run) {
      out.skipped.push({ videoId: video.id, path: video.path, kind: screening.kind, reason: screening.reason });
      return;
    }
    let fingerprint;
    try {
      fingerprint = await fingerprintFile(join(deps.libraryPath, video.path));
    } catch (error) {
      out.skipped.push({ videoId: video.id, path: video.path, kind: 'unreadable', reason: `cannot read the file: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const runId = newPipelineRunId();
    const result = await deps.pipelines.startRun({
      run: { id: runId, pipelineId: pipeline.id, pipelineVersion: pipeline.version, stepsVersion: pipeline.stepsVersion, videoId: video.id, trigger: request.trigger, triggerDetail: request.triggerDetail, forced: request.force, createdAt: deps.clock.now() },
      stepIds,
      fingerprint,
      force: request.force,
      repeatBefore: repeatBefore(pipeline.document.repeatAfterDays, now),
    });
    if (!result.started) {
      const by = result.previousRunId ? ` (run ${result.previousRunId})` : '';
      out.skipped.push({ videoId: video.id, path: video.path, kind: 'processed', reason: `already processed by this version of the pipeline${by}` });
      return;
    }
    out.started.push({ runId, videoId: video.id, path: video.path });
    await deps.advance(runId);
  });
  return out;
}
