/**
 * The dry run: the pipeline evaluated over the library (or the given videos) without creating a
 * job or a run. It shares the screening with real runs (library-screening.ts), so both agree on
 * which videos match; for each match it lists the steps that would run if every step succeeded
 * (those on the success path whose `if` holds on the video as it is now).
 */
import type { DryRun } from '../../../shared/contracts/pipeline';
import type { PipelineStep } from '../../../shared/domain/pipeline';
import type { PipelineRecord } from '../../core/pipeline-ports';
import { compileConditions, needsTags, type CompiledCondition, type VideoSubject } from '../../core/pipelines/conditions';
import { screenLibrary, type ScreeningDeps } from './library-screening';

export async function dryRunPipeline(deps: ScreeningDeps, pipeline: PipelineRecord, request: { videoIds?: readonly string[]; force: boolean; now: number; monotonicMs: () => number }): Promise<DryRun> {
  const started = request.monotonicMs();
  const steps = pipeline.document.steps;
  const plan = successPath(steps);
  const withTags = steps.some((s) => needsTags(s.if));
  const wouldRun: DryRun['wouldRun'] = [];
  const skipped: DryRun['skipped'] = [];
  const evaluated = await screenLibrary(deps, pipeline, { ...(request.videoIds ? { videoIds: request.videoIds } : {}), force: request.force, now: request.now, withTags }, (subject, screening) => {
    const { video } = subject;
    if (screening.run) wouldRun.push({ videoId: video.id, path: video.path, steps: plan(subject, request.now) });
    else skipped.push({ videoId: video.id, path: video.path, kind: screening.kind, reason: screening.reason });
  });
  return {
    pipelineId: pipeline.id,
    version: pipeline.version,
    stepsVersion: pipeline.stepsVersion,
    evaluated,
    tookMs: Math.round((request.monotonicMs() - started) * 10) / 10,
    wouldRun,
    skipped,
  };
}

/** The steps reached when every step succeeds, in document order, less those whose `if` fails. */
function successPath(steps: readonly PipelineStep[]): (subject: VideoSubject, now: number) => string[] {
  const conditions = new Map<string, CompiledCondition>(steps.filter((s) => s.if).map((s) => [s.id, compileConditions(s.if!)]));
  const reached = new Set<string>();
  // a step is on the success path when it comes first or after a step on it, on success or always
  for (let grew = true; grew; ) {
    grew = false;
    for (const step of steps) {
      if (reached.has(step.id)) continue;
      if (!step.after || (reached.has(step.after.step) && step.after.on !== 'failure')) {
        reached.add(step.id);
        grew = true;
      }
    }
  }
  const inOrder = steps.filter((s) => reached.has(s.id));
  return (subject, now) => inOrder.filter((s) => (conditions.get(s.id)?.(subject, now) ?? null) === null).map((s) => s.id);
}
